using Tessera.Raster.Blocks;

namespace Tessera.Raster.Output;

/// <summary>
/// One result from the files of its parts (each a window of the whole grid, computed on its own; see
/// <see cref="RasterOutput.OnlyPart"/>): checked to tile the grid exactly, with the same bands, type and nodata, then
/// laid side by side in a virtual raster that the block engine reads block by block into a result written as the
/// whole would have been (<see cref="RasterOutput"/>: a COG with its overviews and statistics made in the pass), in the
/// memory of its blocks whatever the whole's size. The values are the parts' own, unchanged.
/// </summary>
public static class PartStitch
{
    /// <summary>One part: its file and the window of the whole grid it holds.</summary>
    public sealed record Part(string Path, Window Window);

    /// <summary>Writes the COG of <paramref name="whole"/> from <paramref name="parts"/> at <paramref name="path"/>.</summary>
    /// <param name="shown">How the caller knows a part, for messages ("part 3 (task 41)").</param>
    /// <param name="options">How the result is stored (the parts' own format: default, a COG).</param>
    public static void Write(IReadOnlyList<Part> parts, RasterGrid whole, string path, Func<int, string> shown,
        IProgress<RasterProgress>? progress = null, CancellationToken cancellationToken = default, OutputOptions? options = null)
    {
        if (parts.Count == 0)
        {
            throw new RasterArgumentException("a result made of parts needs at least one part");
        }
        CheckTiling(parts, whole, shown);
        RasterBandInfo[]? bands = null;
        for (var i = 0; i < parts.Count; i++)
        {
            using var ds = RasterDataset.Open(parts[i].Path);
            var window = parts[i].Window;
            if (ds.Width != window.Width || ds.Height != window.Height)
            {
                throw new RasterArgumentException($"{shown(i)} is {ds.Width} x {ds.Height} pixels, not the {window.Width} x {window.Height} of its window {window}");
            }
            if (!ds.GeoTransform.IsCloseTo(whole.Part(window).Transform))
            {
                throw new RasterArgumentException($"{shown(i)} is not georeferenced where its window {window} of the result lies");
            }
            var these = ds.Bands.ToArray();
            bands ??= these;
            if (these.Length != bands.Length || these.Zip(bands).Any(p => p.First.DataType != p.Second.DataType || !SameNoData(p.First.NoData, p.Second.NoData)))
            {
                throw new RasterArgumentException($"{shown(i)} does not have the bands, data type and nodata of {shown(0)}");
            }
        }
        // The parts side by side (inline XML naming only the files just checked).
        var vrt = VirtualRaster.Xml(whole, bands!.Select(b => new VirtualRaster.Band(b.DataType,
            parts.Select(p => new VirtualRaster.Source(p.Path, b.Index, p.Window)).ToList(), b.NoData, b.Description)).ToList());
        var noData = bands![0].NoData ?? double.NaN;
        // Raw values, each band read where the parts lie; the kernel passes them through.
        var sources = bands.Select(b => new Alignment.AlignedSource(new Alignment.BandSource($"band {b.Index}", vrt, b.Index, b.NoData, 1, 0),
            vrt, b.Index, false, 0, 0, whole.Width, whole.Height, b.NoData, 1, 0)).ToList();
        using var output = RasterOutput.Begin(path, options ?? new OutputOptions(), whole, bands[0].DataType, bands.Select(b => b.Description).ToList(), noData);
        BlockEngine.Run(new BlockJob(whole, sources, bands.Length, () => new PassThrough(), noData), output, progress, cancellationToken);
        output.Commit(progress, cancellationToken);
    }

    /// <summary>Output band i is input band i.</summary>
    private sealed class PassThrough : IBlockKernel
    {
        public void Process(RasterBlock block)
        {
            for (var i = 0; i < block.OutputCount; i++)
            {
                block.Input(i).CopyTo(block.Output(i));
            }
        }
    }

    private static bool SameNoData(double? a, double? b) =>
        (a, b) switch
        {
            (null, null) => true,
            ({ } x, { } y) => x.Equals(y),
            _ => false,
        };

    /// <summary>Every part inside the grid, none overlapping another, all of them covering it.</summary>
    private static void CheckTiling(IReadOnlyList<Part> parts, RasterGrid whole, Func<int, string> shown)
    {
        long covered = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var window = parts[i].Window;
            if (window.IsEmpty || !whole.FullWindow.Contains(window))
            {
                throw new RasterArgumentException($"{shown(i)}: its window {window} is not inside the result's {whole.Width} x {whole.Height} pixels");
            }
            for (var j = 0; j < i; j++)
            {
                if (!window.Intersect(parts[j].Window).IsEmpty)
                {
                    throw new RasterArgumentException($"{shown(i)} overlaps {shown(j)}");
                }
            }
            covered += window.PixelCount;
        }
        if (covered != whole.FullWindow.PixelCount)
        {
            throw new RasterArgumentException($"the parts cover {covered} of the result's {whole.FullWindow.PixelCount} pixels");
        }
    }
}
