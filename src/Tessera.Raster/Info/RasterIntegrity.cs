namespace Tessera.Raster.Info;

/// <summary>
/// Decodes every block of every band once, so that a file whose header opens but whose data does not (a
/// truncated upload, flipped bits in compressed tiles, offsets pointing past the end) is found when it arrives
/// instead of when somebody asks for its preview or a task reads it.
/// </summary>
public static class RasterIntegrity
{
    /// <summary>Reads the whole raster block by block; <see cref="RasterIOException"/> naming the first band and
    /// window that cannot be decoded.</summary>
    public static void Check(RasterDataset dataset, CancellationToken cancellationToken = default)
    {
        var first = dataset.Band(1);
        var blockWidth = Math.Max(1, first.BlockWidth);
        var blockHeight = Math.Max(1, first.BlockHeight);
        // Blocks in file order with the bands inside: a pixel-interleaved block is decoded once and its other
        // bands come from GDAL's cache. Values are converted to bytes: only decoding matters here.
        var buffer = new byte[(long)blockWidth * blockHeight];
        for (var row = 0; row < dataset.Height; row += blockHeight)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var col = 0; col < dataset.Width; col += blockWidth)
            {
                var window = new Window(col, row, Math.Min(blockWidth, dataset.Width - col), Math.Min(blockHeight, dataset.Height - row));
                for (var band = 1; band <= dataset.BandCount; band++)
                {
                    dataset.Read<byte>(band, window, buffer.AsSpan(0, (int)window.PixelCount));
                }
            }
        }
    }
}
