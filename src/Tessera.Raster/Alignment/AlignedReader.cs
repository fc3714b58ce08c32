using Tessera.Raster.Kernels;

namespace Tessera.Raster.Alignment;

/// <summary>
/// Reads <see cref="AlignedSource"/>s on the reference grid, as values (nodata = NaN, scale and offset applied).
/// Belongs to one thread: it opens its own dataset per distinct file and keeps it until disposed.
/// </summary>
public sealed class AlignedReader : IDisposable
{
    private readonly Dictionary<string, RasterDataset> _open = new(StringComparer.Ordinal);
    private float[] _scratch = [];
    private GridInterpolator? _interpolator;

    /// <summary>Fills <paramref name="destination"/> (window.Width * window.Height values, row-major).</summary>
    public void Read(AlignedSource source, Window window, Span<float> destination)
    {
        var dest = destination[..checked((int)window.PixelCount)];
        var ds = Dataset(source.OpenPath);
        if (source.Mapping is { } mapping)
        {
            (_interpolator ??= new GridInterpolator()).Read(ds, source, mapping, window, dest);
            return;
        }
        var inSource = new Window(window.ColOffset + source.ColShift, window.RowOffset + source.RowShift, window.Width, window.Height);
        var available = inSource.Intersect(new Window(0, 0, source.SourceWidth, source.SourceHeight));
        if (available.PixelCount == inSource.PixelCount)
        {
            ds.Read(source.Band, inSource, dest);
        }
        else
        {
            dest.Fill(float.NaN);
            if (!available.IsEmpty)
            {
                ReadPart(ds, source.Band, inSource, available, dest);
            }
        }
        PixelKernels.Decode(dest, source.NoData, source.Scale, source.Offset);
    }

    private void ReadPart(RasterDataset ds, int band, Window wanted, Window available, Span<float> dest)
    {
        var n = checked((int)available.PixelCount);
        if (_scratch.Length < n)
        {
            _scratch = new float[n];
        }
        var part = _scratch.AsSpan(0, n);
        ds.Read(band, available, part);
        var colInDest = available.ColOffset - wanted.ColOffset;
        for (var r = 0; r < available.Height; r++)
        {
            var rowInDest = available.RowOffset - wanted.RowOffset + r;
            part.Slice(r * available.Width, available.Width)
                .CopyTo(dest.Slice(rowInDest * wanted.Width + colInDest, available.Width));
        }
    }

    private RasterDataset Dataset(string path)
    {
        if (!_open.TryGetValue(path, out var ds))
        {
            ds = RasterDataset.Open(path);
            _open[path] = ds;
        }
        return ds;
    }

    public void Dispose()
    {
        foreach (var ds in _open.Values)
        {
            ds.Dispose();
        }
        _open.Clear();
    }
}
