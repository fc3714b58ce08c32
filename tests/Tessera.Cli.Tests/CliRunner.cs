using System.Diagnostics;

namespace Tessera.Cli.Tests;

/// <summary>Runs the <c>tessera</c> command in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        /// <summary>The first "tessera: error:" line, without the prefix.</summary>
        public string ErrorLine => Error.Split('\n').FirstOrDefault(l => l.StartsWith("tessera: error: ", StringComparison.Ordinal))?["tessera: error: ".Length..] ?? string.Empty;
    }

    public static Result Run(params string[] args) => Run(terminal: false, args);

    public static Result Run(bool terminal, params string[] args) => Run(terminal, null, args);

    /// <param name="environment">The environment the command sees (null: the process's).</param>
    public static Result Run(bool terminal, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, new CliContext(output, error, terminal, CancellationToken.None,
            environment is null ? null : name => environment.GetValueOrDefault(name)));
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the built <c>tessera</c> as its own process: a crash ends it, not the test run.</summary>
    public static (int ExitCode, string Error) RunBinary(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "tessera.dll"), .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
