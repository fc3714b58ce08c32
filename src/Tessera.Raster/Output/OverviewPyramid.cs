using Tessera.Raster.Gdal;

namespace Tessera.Raster.Output;

/// <summary>
/// The overviews of a COG built in the processing pass instead of by reading the result back: the first level is
/// averaged from each block as the block engine writes it (2 x 2 pixels, nodata left out, nodata where all four are),
/// the deeper ones from the first by GDAL's own averaging, all into the staging file, whose overviews the COG copy then
/// takes as they are. Used where that gives what GDAL would compute: Float32, Byte, UInt16 or Int16 bands (integers are
/// averaged as stored, rounded half away from zero as GDAL does), an even width and height (the first level is exactly
/// half), averaged overviews; anything else, or a result not written whole through the engine, leaves the overviews to
/// GDAL.
/// </summary>
internal sealed unsafe class OverviewPyramid
{
    private readonly RasterDataset _staging;
    private readonly int _levels;
    private readonly float _noData;
    private readonly RasterDataType _type;
    private readonly BlockCoverage _coverage;
    private volatile bool _usable = true;

    private OverviewPyramid(RasterDataset staging, int levels, RasterDataType type, float noData)
    {
        _staging = staging;
        _levels = levels;
        _type = type;
        _noData = type == RasterDataType.Float32 ? noData : Cog.StoredValues.Round(noData, type);
        _coverage = new BlockCoverage(staging.Width, staging.Height, staging.BandCount);
    }

    /// <summary>A pyramid for <paramref name="staging"/> when it can be built in the pass; null otherwise.</summary>
    public static OverviewPyramid? TryCreate(RasterDataset staging, RasterDataType type, double noData, IReadOnlyList<string> cogOptions)
    {
        string? Option(string name) => cogOptions.LastOrDefault(o => o.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..];
        var tile = int.TryParse(Option("BLOCKSIZE"), out var size) ? size : 512;
        var levels = Cog.CogSettings.LevelCount(staging.Width, staging.Height, tile);
        if (type is not (RasterDataType.Float32 or RasterDataType.Byte or RasterDataType.UInt16 or RasterDataType.Int16)
            || staging.Width % 2 != 0 || staging.Height % 2 != 0 || levels == 0
            || !string.Equals(Option("OVERVIEWS") ?? "AUTO", "AUTO", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(Option("OVERVIEW_RESAMPLING") ?? "AVERAGE", "AVERAGE", StringComparison.OrdinalIgnoreCase)
            || Option("OVERVIEW_COUNT") is not null)
        {
            return null;
        }
        var factors = Enumerable.Range(1, levels).Select(l => 1 << l).ToArray();
        fixed (int* list = factors)
        {
            GdalErrors.Reset();
            // "NONE": the levels are made empty, to be filled as the blocks pass.
            if (GdalNative.GDALBuildOverviews(staging.Handle, "NONE", levels, list, 0, null, IntPtr.Zero, IntPtr.Zero) != 0)
            {
                return null;
            }
        }
        return new OverviewPyramid(staging, levels, type, (float)noData);
    }

    /// <summary>
    /// Averages a block's values (as stored: nodata encoded) 2 x 2 into <paramref name="half"/>, on the thread that
    /// computed the block. A block whose cells would straddle blocks (odd offset or size) turns the pass off: GDAL then
    /// builds the overviews.
    /// </summary>
    public void Halve(Window window, ReadOnlySpan<float> values, Span<float> half)
    {
        if (window.ColOffset % 2 != 0 || window.RowOffset % 2 != 0 || window.Width % 2 != 0 || window.Height % 2 != 0)
        {
            _usable = false;
            return;
        }
        Cog.OverviewAveraging.Halve(window, values, half, _type, _noData, stored: false);
    }

    /// <summary>Writes a halved block into the first level (on the engine's writing thread).</summary>
    public void Write(int band, Window window, ReadOnlySpan<float> half)
    {
        if (!_usable)
        {
            return;
        }
        var w = window.Width / 2;
        var h = window.Height / 2;
        var level = GdalNative.GDALGetOverview(GdalNative.GDALGetRasterBand(_staging.Handle, band), 0);
        fixed (float* data = half)
        {
            GdalErrors.Reset();
            if (GdalNative.GDALRasterIO(level, 1, window.ColOffset / 2, window.RowOffset / 2, w, h, data, w, h,
                    (int)RasterDataType.Float32, 0, 0) != 0)
            {
                throw new RasterIOException(_staging.Path, $"cannot write an overview: {GdalErrors.Describe("GDAL failed")}");
            }
        }
        _coverage.Add(band, window);
    }

    /// <summary>Whether the first level was made in the pass (known once <see cref="Finish"/> has run).</summary>
    public bool MadeInPass { get; private set; }

    /// <summary>
    /// Completes the levels: the deeper ones from the first, averaged by GDAL; or, when the first is not whole (the
    /// result was not written entirely through the engine), every level from the full resolution by GDAL.
    /// </summary>
    public void Finish()
    {
        var complete = _usable && _coverage.Whole;
        MadeInPass = complete;
        GdalErrors.Reset();
        if (!complete)
        {
            var factors = Enumerable.Range(1, _levels).Select(l => 1 << l).ToArray();
            fixed (int* list = factors)
            {
                Check(GdalNative.GDALBuildOverviews(_staging.Handle, "AVERAGE", _levels, list, 0, null, IntPtr.Zero, IntPtr.Zero));
            }
            return;
        }
        if (_levels == 1)
        {
            return;
        }
        for (var b = 1; b <= _staging.BandCount; b++)
        {
            var band = GdalNative.GDALGetRasterBand(_staging.Handle, b);
            var deeper = new IntPtr[_levels - 1];
            for (var l = 1; l < _levels; l++)
            {
                deeper[l - 1] = GdalNative.GDALGetOverview(band, l);
            }
            fixed (IntPtr* list = deeper)
            {
                Check(GdalNative.GDALRegenerateOverviews(GdalNative.GDALGetOverview(band, 0), deeper.Length, list, "AVERAGE", IntPtr.Zero, IntPtr.Zero));
            }
        }
    }

    private void Check(int error)
    {
        if (error != 0)
        {
            throw new RasterIOException(_staging.Path, $"cannot build the overviews: {GdalErrors.Describe("GDAL failed")}");
        }
    }
}
