using Tessera.Raster.Blocks;

namespace Tessera.Cli.Terminal;

/// <summary>
/// A one-line progress bar redrawn in place on stderr, at most ten times a second. Used only when stderr is
/// a terminal; otherwise nothing is drawn, so logs and pipes stay clean.
/// </summary>
public sealed class ProgressBar(TextWriter error) : IProgress<RasterProgress>, IDisposable
{
    private const int Width = 30;
    private readonly Lock _gate = new();
    private long _lastDrawTicks;
    private string _lastStage = string.Empty;
    private bool _drawn;

    public void Report(RasterProgress value)
    {
        lock (_gate)
        {
            var now = Environment.TickCount64;
            var finished = value.Done >= value.Total;
            if (!finished && value.Stage == _lastStage && now - _lastDrawTicks < 100)
            {
                return;
            }
            _lastDrawTicks = now;
            _lastStage = value.Stage;
            var filled = (int)Math.Round(value.Fraction * Width);
            var unit = value.Stage == "compute" ? $" {value.Done}/{value.Total} blocks" : string.Empty;
            error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {value.Fraction * 100,3:0}% {value.Stage}{unit}   ");
            _drawn = true;
        }
    }

    public void Dispose()
    {
        if (_drawn)
        {
            error.WriteLine();
        }
    }
}
