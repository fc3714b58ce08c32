using System.Diagnostics;
using System.Text.Json;

namespace Tessera.TestSupport;

/// <summary>
/// Runs a script of <c>tests/reference</c> with the system Python and its GDAL bindings and numpy: an
/// independent implementation to compare Tessera's output with. The script gets a JSON request on stdin and
/// prints a JSON answer.
/// </summary>
public static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    public static JsonElement Run(string script, object request)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "reference", script);
        var start = new ProcessStartInfo(Interpreter, [path])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start python3");
        process.StandardInput.Write(JsonSerializer.Serialize(request));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {stderr.Result}");
        }
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }
}
