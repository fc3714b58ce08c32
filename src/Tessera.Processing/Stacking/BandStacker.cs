using Tessera.Processing.Inputs;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;
using Tessera.Raster.Features;
using Tessera.Raster.Output;

namespace Tessera.Processing.Stacking;

/// <summary>
/// Runs a <see cref="StackRequest"/>: chooses the output grid (the finest input's or the named one, cropped to
/// the box or cutline), aligns every band on it (GDAL's warper for other grids or CRSs), copies the bands block
/// by block through the engine, and writes the result (a COG by default). Values pass through float32: exact
/// for 8- and 16-bit integers and float32 data.
/// </summary>
public static class BandStacker
{
    public static void Run(StackRequest request, IProgress<RasterProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (request.Bands.Count == 0)
        {
            throw new RasterArgumentException("no input bands");
        }
        var raw = request.Bands.Select(b => b with { Scale = 1, Offset = 0 }).ToList(); // copied as stored
        var reference = request.Reference is null
            ? null
            : (raw.FirstOrDefault(b => b.Name == request.Reference)
               ?? raw.FirstOrDefault(b => Path.GetFileName(b.Path) == request.Reference || b.Path == request.Reference)
               ?? throw new RasterArgumentException($"reference '{request.Reference}' is not one of the inputs")).Name;
        var grid = GridAligner.ChooseReference(raw, reference);
        var what = request.Bands.Count == 1 ? request.Bands[0].Path : "the inputs";
        if (request.Box is { } box)
        {
            grid = box.ApplyTo(grid, what);
        }
        VectorFile? cutline = null;
        Rasterizer? mask = null;
        try
        {
            if (request.Cutline is { } cutlinePath)
            {
                cutline = VectorFile.Open(cutlinePath);
                grid = CropToCutline(grid, cutline, what);
                mask = Rasterizer.Burn(cutline, grid);
            }
            var aligned = raw.Select(s => GridAligner.Align(s, grid, request.Resampling, AlignmentMethod.Resample)).ToList();
            if (mask is not null)
            {
                aligned.Add(GridAligner.Align(new BandSource("cutline", mask.Path, 1, Scale: 1, Offset: 0), grid, Resampling.Nearest));
            }
            var infos = request.Bands.Select(Describe).ToList();
            var type = request.OutputType ?? CommonType(infos.Select(i => i.DataType));
            var noData = CommonNoData(infos.Select(i => i.NoData), type);
            var descriptions = request.Descriptions ?? request.Bands.Select((b, i) => Name(b, infos[i])).ToList();
            if (descriptions.Count != request.Bands.Count)
            {
                throw new RasterArgumentException($"{descriptions.Count} band descriptions for {request.Bands.Count} bands");
            }
            using var output = RasterOutput.Begin(request.OutputPath, request.Output ?? new OutputOptions(), grid, type, descriptions, noData);
            var job = new BlockJob(grid, aligned, request.Bands.Count, () => new CopyKernel(mask is not null), noData, Threads: request.Threads);
            BlockEngine.Run(job, output, progress, cancellationToken);
            output.Commit(progress, cancellationToken);
        }
        finally
        {
            mask?.Dispose();
            cutline?.Dispose();
        }
    }

    /// <summary>All bands of each input, or the one named after "@" (PATH@N or PATH@DESCRIPTION).</summary>
    public static IReadOnlyList<BandSource> Expand(IEnumerable<string> inputs)
    {
        var bands = new List<BandSource>();
        foreach (var input in inputs)
        {
            var spec = BandSpec.Parse(input);
            var path = RasterPaths.Normalize(spec.Path);
            using var ds = RasterDataset.Open(path);
            if (spec.Selector is null)
            {
                bands.AddRange(Enumerable.Range(1, ds.BandCount).Select(b => new BandSource(ds.BandCount == 1 ? input : $"{input}@{b}", path, b)));
            }
            else
            {
                bands.Add(new BandSource(input, path, new BandSpec(path, spec.Selector).ResolveBand(ds)));
            }
        }
        return bands;
    }

    private static RasterGrid CropToCutline(RasterGrid grid, VectorFile cutline, string what)
    {
        var extent = cutline.Extent ?? throw new RasterArgumentException($"{cutline.Path}: has no geometry to crop to");
        var crs = cutline.CrsWkt;
        Bounds inGrid;
        if (string.IsNullOrEmpty(crs) || !grid.HasCrs)
        {
            inGrid = extent;
        }
        else
        {
            using var from = SpatialReference.FromWkt(crs);
            using var to = SpatialReference.FromWkt(grid.CrsWkt);
            inGrid = from.TransformBounds(to, extent);
        }
        return CropBox.Subgrid(grid, inGrid) ?? throw new RasterArgumentException($"the cutline {cutline.Path} does not overlap {what}");
    }

    private static RasterBandInfo Describe(BandSource band)
    {
        using var ds = RasterDataset.Open(band.Path);
        return ds.Band(band.Band);
    }

    /// <summary>The band's own description, else its file's name (and band number when the file has several).</summary>
    public static string NameOf(BandSource band) => Name(band, Describe(band));

    private static string Name(BandSource band, RasterBandInfo info)
    {
        if (!string.IsNullOrWhiteSpace(info.Description))
        {
            return info.Description;
        }
        using var ds = RasterDataset.Open(band.Path);
        var stem = Path.GetFileNameWithoutExtension(band.Path);
        return ds.BandCount == 1 ? stem : $"{stem} band {band.Band}";
    }

    public static RasterDataType CommonType(IEnumerable<RasterDataType> types)
    {
        var distinct = types.Distinct().ToList();
        if (distinct.Count == 1)
        {
            return distinct[0];
        }
        return distinct.Any(t => t is RasterDataType.Float64 or RasterDataType.Int32 or RasterDataType.UInt32 or RasterDataType.Int64 or RasterDataType.UInt64)
            ? RasterDataType.Float64
            : RasterDataType.Float32;
    }

    private static double CommonNoData(IEnumerable<double?> values, RasterDataType type)
    {
        var distinct = values.Distinct().ToList();
        return distinct is [{ } only] ? only : type.DefaultNoData();
    }
}
