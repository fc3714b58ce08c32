using Tessera.Cli.Terminal;

namespace Tessera.Cli;

/// <summary>Where a command writes, whether stderr is a terminal, and the cancellation of the whole run.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, CancellationToken Cancellation)
{
    /// <summary>A progress bar when stderr is a terminal and --quiet is off; otherwise none.</summary>
    public ProgressBar? Progress(bool quiet) => !quiet && ErrorIsTerminal ? new ProgressBar(Error) : null;

    public void Note(string message) => Error.WriteLine($"tessera: note: {message}");
}
