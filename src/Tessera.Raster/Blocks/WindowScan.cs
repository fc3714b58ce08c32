using Tessera.Raster.Alignment;

namespace Tessera.Raster.Blocks;

/// <summary>
/// Reads aligned inputs over a grid window by window (row-major, squares of <c>side</c> pixels) on the calling
/// thread and hands each window's values (NaN = no data) to a callback: for statistics gathered before or
/// instead of a <see cref="BlockEngine"/> run. Memory is one window per input.
/// </summary>
public static class WindowScan
{
    /// <param name="visit">Gets the window and one buffer per input (the first PixelCount values count).</param>
    public static void Run(RasterGrid grid, IReadOnlyList<AlignedSource> inputs, Action<Window, float[][]> visit,
        CancellationToken cancellationToken = default, int side = 512)
    {
        using var reader = new AlignedReader();
        var buffers = inputs.Select(_ => new float[side * side]).ToArray();
        for (var row = 0; row < grid.Height; row += side)
        {
            for (var col = 0; col < grid.Width; col += side)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var window = new Window(col, row, Math.Min(side, grid.Width - col), Math.Min(side, grid.Height - row));
                for (var i = 0; i < inputs.Count; i++)
                {
                    reader.Read(inputs[i], window, buffers[i]);
                }
                visit(window, buffers);
            }
        }
    }
}
