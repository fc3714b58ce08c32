using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// A lazy cube's values on another grid (a map tile, a coverage's subset), computing only the cube's pixels under it:
/// the cube's expressions run on the part of its grid that the target covers (its band files read onto that part as
/// <see cref="CubeWriter"/> reads them onto the whole), then that part is warped onto the target (nearest neighbour by
/// default), so each target pixel gets the value of the cube pixel under its centre, as if the whole result had been
/// written and warped. A target on the cube's own pixel lattice gets the cube's values without a warp. A target much
/// coarser than the cube (a map zoomed out) is computed on a coarser grid of the same lattice origin instead, so that
/// the work stays near the target's size: an overview, not every pixel.
/// </summary>
public static class CubeReader
{
    /// <summary>Most pixels a target may have (a coverage request above it is refused by the caller).</summary>
    public const long MaxPixels = 4096L * 4096;

    /// <summary>How many cube pixels a target pixel may cover before the cube is computed on a coarser grid.</summary>
    private const double MaxCoarsening = 2.0;

    /// <summary>
    /// One plane per band of the cube (its only time), row-major on <paramref name="target"/>, NaN where there is no
    /// data; null when the target does not touch the cube or none of the band files it reads.
    /// </summary>
    public static float[][]? Read(DataCube cube, RasterGrid target, Resampling resampling = Resampling.Nearest, CancellationToken cancellationToken = default)
    {
        if (cube.TimeCount > 1)
        {
            throw new GraphException("DataCubeDimensionsUnsupported", $"the cube has {cube.TimeCount} times; a map shows one: reduce the dimension t first", null);
        }
        if ((long)target.Width * target.Height > MaxPixels)
        {
            throw new GraphException("ComputationTooLarge", $"{target.Width} x {target.Height} pixels are more than {MaxPixels} at once", null);
        }
        if (OnLattice(cube.Grid, target) is { } shift)
        {
            return ReadOnLattice(cube, target, shift, cancellationToken);
        }
        if (Cover(cube.Grid, target) is not { } cover)
        {
            return null;
        }
        var part = PartGrid(cube.Grid, cover.Window, (long)target.Width * target.Height * cover.Fraction);
        using var computed = Compute(cube, part, cancellationToken);
        if (computed is null)
        {
            return null;
        }
        using var warped = RasterDataset.Create(string.Empty, "MEM", target, cube.BandCount, RasterDataType.Float32);
        var empty = new float[target.Width * target.Height];
        empty.AsSpan().Fill(float.NaN);
        for (var b = 1; b <= cube.BandCount; b++)
        {
            warped.SetNoData(b, double.NaN);
            warped.Write<float>(b, target.FullWindow, empty);
        }
        RasterWarp.Into(computed, warped, resampling);
        return Planes(warped, target.FullWindow, cube.BandCount);
    }

    /// <summary>A cube of a raster file's bands as they are (a stored result), to read parts of it as a lazy cube's.</summary>
    public static DataCube OfFile(string path)
    {
        using var dataset = RasterDataset.Open(path);
        var bands = Enumerable.Range(1, dataset.BandCount)
            .Select(b => dataset.Band(b).Description is { Length: > 0 } d ? d : $"band {b}").ToList();
        return new DataCube(dataset.Grid, null, bands, Enumerable.Range(0, bands.Count).Select(i => (PixelExpr)new Leaf(i)).ToList(),
            Enumerable.Range(1, bands.Count).Select(b => new BandSource(bands[b - 1], path, b)).ToList(), new Dictionary<string, string>());
    }

    /// <summary>Where the target's pixel (0, 0) is on the cube's grid, when the target is on the same lattice; else null.</summary>
    private static (int Col, int Row)? OnLattice(RasterGrid grid, RasterGrid target)
    {
        var (g, t) = (grid.Transform, target.Transform);
        if (!g.IsNorthUp || !t.IsNorthUp || !grid.IsSameCrs(target))
        {
            return null;
        }
        var span = Math.Max(target.Width, target.Height);
        if (Math.Abs(g.PixelWidth - t.PixelWidth) * span > Math.Abs(g.PixelWidth) * 1e-6
            || Math.Abs(g.PixelHeight - t.PixelHeight) * span > Math.Abs(g.PixelHeight) * 1e-6)
        {
            return null;
        }
        var col = (t.OriginX - g.OriginX) / g.PixelWidth;
        var row = (t.OriginY - g.OriginY) / g.PixelHeight;
        if (Math.Abs(col - Math.Round(col)) > 1e-6 || Math.Abs(row - Math.Round(row)) > 1e-6)
        {
            return null;
        }
        return ((int)Math.Round(col), (int)Math.Round(row));
    }

    private static float[][]? ReadOnLattice(DataCube cube, RasterGrid target, (int Col, int Row) shift, CancellationToken cancellationToken)
    {
        var inCube = new Window(shift.Col, shift.Row, target.Width, target.Height).Intersect(cube.Grid.FullWindow);
        if (inCube.IsEmpty)
        {
            return null;
        }
        using var computed = Compute(cube, SubGrid(cube.Grid, inCube), cancellationToken);
        if (computed is null)
        {
            return null;
        }
        var part = Planes(computed, new Window(0, 0, inCube.Width, inCube.Height), cube.BandCount);
        var planes = new float[cube.BandCount][];
        var (dc, dr) = (inCube.ColOffset - shift.Col, inCube.RowOffset - shift.Row);
        for (var b = 0; b < planes.Length; b++)
        {
            planes[b] = new float[target.Width * target.Height];
            planes[b].AsSpan().Fill(float.NaN);
            for (var r = 0; r < inCube.Height; r++)
            {
                part[b].AsSpan(r * inCube.Width, inCube.Width).CopyTo(planes[b].AsSpan((dr + r) * target.Width + dc, inCube.Width));
            }
        }
        return planes;
    }

    /// <summary>
    /// The cube's pixels under the target (in the cube's CRS), a pixel more on every side; null when none. Across CRSs
    /// the cube's extent is cut to the target's first (in the target's CRS), so that a target far larger than the cube
    /// (a world tile) is never transformed whole.
    /// </summary>
    private static (Window Window, double Fraction)? Cover(RasterGrid grid, RasterGrid target)
    {
        Bounds box;
        var fraction = 1.0; // of the target's extent that the cube covers
        if (grid.IsSameCrs(target))
        {
            box = target.Bounds;
        }
        else
        {
            using var cubeCrs = SpatialReference.FromWkt(grid.CrsWkt);
            using var targetCrs = SpatialReference.FromWkt(target.CrsWkt);
            try
            {
                var cube = cubeCrs.TransformBounds(targetCrs, grid.Bounds);
                var t0 = target.Bounds;
                var common = new Bounds(Math.Max(cube.MinX, t0.MinX), Math.Max(cube.MinY, t0.MinY), Math.Min(cube.MaxX, t0.MaxX), Math.Min(cube.MaxY, t0.MaxY));
                if (common.MinX >= common.MaxX || common.MinY >= common.MaxY)
                {
                    return null;
                }
                box = targetCrs.TransformBounds(cubeCrs, common);
                fraction = common.Width * common.Height / (t0.Width * t0.Height);
            }
            catch (RasterException)
            {
                return null; // the target is where the cube's CRS has no coordinates
            }
        }
        var t = grid.Transform;
        if (!t.IsNorthUp || !double.IsFinite(box.MinX) || !double.IsFinite(box.MaxY))
        {
            return (grid.FullWindow, fraction);
        }
        var c0 = Math.Floor((Math.Min(box.MinX, box.MaxX) - t.OriginX) / t.PixelWidth) - 1;
        var c1 = Math.Ceiling((Math.Max(box.MinX, box.MaxX) - t.OriginX) / t.PixelWidth) + 1;
        var r0 = Math.Floor((box.MaxY - t.OriginY) / t.PixelHeight) - 1;
        var r1 = Math.Ceiling((box.MinY - t.OriginY) / t.PixelHeight) + 1;
        if (c1 < 0 || r1 < 0 || c0 > grid.Width || r0 > grid.Height)
        {
            return null;
        }
        var (col, row) = ((int)Math.Max(0, c0), (int)Math.Max(0, r0));
        var window = new Window(col, row, (int)Math.Min(grid.Width, c1) - col, (int)Math.Min(grid.Height, r1) - row);
        return window.IsEmpty ? null : (window, fraction);
    }

    private static RasterGrid SubGrid(RasterGrid grid, Window window)
    {
        var (x, y) = grid.Transform.PixelToWorld(window.ColOffset, window.RowOffset);
        return new RasterGrid(window.Width, window.Height, grid.Transform with { OriginX = x, OriginY = y }, grid.CrsWkt);
    }

    /// <summary>The window's grid, or a coarser one over it (pixels a whole multiple as large) when the target has far fewer pixels.</summary>
    private static RasterGrid PartGrid(RasterGrid grid, Window window, double targetPixels)
    {
        var sub = SubGrid(grid, window);
        var ratio = Math.Sqrt(window.PixelCount / Math.Max(1, targetPixels));
        var k = (int)Math.Floor(ratio / MaxCoarsening);
        if (k < 2 || !grid.Transform.IsNorthUp)
        {
            return sub;
        }
        var t = sub.Transform;
        return new RasterGrid((window.Width + k - 1) / k, (window.Height + k - 1) / k, t with { PixelWidth = t.PixelWidth * k, PixelHeight = t.PixelHeight * k },
            sub.CrsWkt);
    }

    /// <summary>
    /// The cube's bands computed on <paramref name="grid"/> into memory (Float32, NaN as nodata); the band files that do
    /// not reach the grid read as no data. Null when the cube reads band files and none reaches the grid.
    /// </summary>
    private static RasterDataset? Compute(DataCube cube, RasterGrid grid, CancellationToken cancellationToken)
    {
        var outputs = Enumerable.Range(0, cube.BandCount).Select(b => cube.Value(0, b)).ToList();
        var used = new SortedSet<int>();
        foreach (var value in outputs)
        {
            PixelExprs.Leaves(value, used);
        }
        var renumber = new Dictionary<int, int>();
        var inputs = new List<AlignedSource>();
        foreach (var i in used)
        {
            if (Reaches(cube.Inputs[i], grid))
            {
                renumber[i] = inputs.Count;
                inputs.Add(GridAligner.Align(cube.Inputs[i], grid, cube.ResamplingOf(i)));
            }
        }
        if (used.Count > 0 && inputs.Count == 0)
        {
            return null;
        }
        var done = new Dictionary<PixelExpr, PixelExpr>(ReferenceEqualityComparer.Instance);
        var exprs = outputs.Select(o => Renumber(o, renumber, done)).ToList();
        var dataset = RasterDataset.Create(string.Empty, "MEM", grid, exprs.Count, RasterDataType.Float32);
        try
        {
            for (var b = 1; b <= exprs.Count; b++)
            {
                dataset.SetNoData(b, double.NaN);
            }
            BlockEngine.Run(new BlockJob(grid, inputs, exprs.Count, () => new CubeKernel(exprs), double.NaN, BlockSize: 256), dataset, null, cancellationToken);
            return dataset;
        }
        catch
        {
            dataset.Dispose();
            throw;
        }
    }

    /// <summary>The grid of each band file a cube read (null: no georeference), kept while the cube's inputs live, so that a map's tiles open each once.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<BandSource, RasterGrid?[]> Grids = new();

    private static RasterGrid? GridOf(BandSource source) => Grids.GetValue(source, s =>
    {
        using var dataset = RasterDataset.Open(s.Path);
        return [dataset.HasGeoTransform ? dataset.Grid : null];
    })[0];

    /// <summary>Whether a band file's footprint meets the grid (in the grid's CRS).</summary>
    private static bool Reaches(BandSource source, RasterGrid grid)
    {
        if (GridOf(source) is not { } own)
        {
            return true; // read pixel for pixel, as the writer would
        }
        if (!own.HasCrs || !grid.HasCrs || own.IsSameCrs(grid))
        {
            return own.Bounds.Intersects(grid.Bounds);
        }
        using var from = SpatialReference.FromWkt(own.CrsWkt);
        using var to = SpatialReference.FromWkt(grid.CrsWkt);
        try
        {
            return from.TransformBounds(to, own.Bounds).Intersects(grid.Bounds);
        }
        catch (RasterException)
        {
            return false;
        }
    }

    private static float[][] Planes(RasterDataset dataset, Window window, int bands)
    {
        var planes = new float[bands][];
        for (var b = 0; b < bands; b++)
        {
            planes[b] = new float[window.PixelCount];
            dataset.Read<float>(b + 1, window, planes[b]);
        }
        return planes;
    }

    /// <summary>The expression over the inputs that reach the grid (renumbered); the others are no data. What was shared stays shared.</summary>
    private static PixelExpr Renumber(PixelExpr expr, IReadOnlyDictionary<int, int> map, Dictionary<PixelExpr, PixelExpr> done) =>
        PixelExprs.ReplaceLeaves(expr, l => map.TryGetValue(l.Index, out var i) ? new Leaf(i) : new Constant(double.NaN), done);
}
