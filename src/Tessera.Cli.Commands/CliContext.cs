using Tessera.Cli.Terminal;

namespace Tessera.Cli;

/// <summary>Where a command writes, whether stderr is a terminal, the cancellation of the whole run, and how it reads the
/// environment (the process's, unless a test gives its own).</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, CancellationToken Cancellation,
    Func<string, string?>? EnvironmentReader = null)
{
    public Func<string, string?> Environment => EnvironmentReader ?? System.Environment.GetEnvironmentVariable;

    /// <summary>A progress bar when stderr is a terminal and --quiet is off; otherwise none.</summary>
    public ProgressBar? Progress(bool quiet) => !quiet && ErrorIsTerminal ? new ProgressBar(Error) : null;

    public void Note(string message) => Error.WriteLine($"tessera: note: {message}");
}
