using System.Diagnostics;

namespace Tessera.TestSupport;

/// <summary>Runs another program (GDAL's utilities, Orfeo ToolBox, PostgreSQL's) and fails with its output if it fails.</summary>
public static class ExternalTool
{
    public static void Run(string file, params string[] args) => Run(TimeSpan.FromMinutes(5), file, args);

    public static void Run(TimeSpan timeout, string file, params string[] args) => Output(timeout, file, args);

    /// <summary>Runs it and returns what it wrote on standard output.</summary>
    public static string Output(string file, params string[] args) => Output(TimeSpan.FromMinutes(5), file, args);

    public static string Output(TimeSpan timeout, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}{output.Result}");
        }
        return output.Result;
    }
}
