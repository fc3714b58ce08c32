using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// The processes that combine two cubes on one grid (<c>merge_cubes</c>, <c>mask</c>): the second cube's inputs are
/// appended to the first's and its expressions renumbered to them, so the result is still one lazy cube computed in
/// one pass.
/// </summary>
public static class CubeMerging
{
    /// <summary>
    /// The union of both cubes' times (sorted) and bands (cube1's, then cube2's new ones); a value both cubes have goes
    /// through the overlap resolver (x from cube1, y from cube2), and without a resolver such an overlap is refused.
    /// </summary>
    public static DataCube MergeCubes(DataCube cube1, DataCube cube2, ProcessGraph? resolver, Arguments a)
    {
        RequireSameGrid(cube1, cube2, a, "cube2");
        if ((cube1.Times is null) != (cube2.Times is null) || (cube1.Bands is null) != (cube2.Bands is null))
        {
            throw new GraphException("ProcessArgumentInvalid",
                $"the cubes have different dimensions ({Dimensions(cube1)} and {Dimensions(cube2)}): reduce or add dimensions so they match", a.Node, "cube2");
        }
        var (shifted, inputs, resamplings) = Append(cube1, cube2);
        var times = cube1.Times is null ? null : cube1.Times.Union(cube2.Times!, StringComparer.Ordinal)
            .OrderBy(t => DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var time) ? time : DateTimeOffset.MaxValue)
            .ThenBy(t => t, StringComparer.Ordinal).ToList();
        var bands = cube1.Bands is null ? null : cube1.Bands.Union(cube2.Bands!, StringComparer.Ordinal).ToList();
        static int? Find(IReadOnlyList<string>? labels, string? label) => labels is null ? 0 : labels.ToList().IndexOf(label!) is var i and >= 0 ? i : null;
        var values = new List<PixelExpr>();
        for (var t = 0; t < (times?.Count ?? 1); t++)
        {
            for (var b = 0; b < (bands?.Count ?? 1); b++)
            {
                var (t1, b1) = (Find(cube1.Times, times?[t]), Find(cube1.Bands, bands?[b]));
                var (t2, b2) = (Find(cube2.Times, times?[t]), Find(cube2.Bands, bands?[b]));
                var x = t1 is { } i1 && b1 is { } j1 ? cube1.Value(i1, j1) : null;
                var y = t2 is { } i2 && b2 is { } j2 ? shifted[i2 * cube2.BandCount + j2] : null;
                if (x is not null && y is not null)
                {
                    if (resolver is null)
                    {
                        var label = string.Join(", ", new[] { times?[t], bands?[b] }.Where(l => l is not null));
                        throw new GraphException("OverlapResolverMissing",
                            $"both cubes have values at {(label.Length == 0 ? "every pixel" : label)}: give an overlap_resolver to combine them", a.Node, "overlap_resolver");
                    }
                    try
                    {
                        values.Add(CallbackCompiler.Compile(resolver, new Dictionary<string, object> { ["x"] = x, ["y"] = y }, a.Node));
                    }
                    catch (GraphException e)
                    {
                        throw new GraphException(e.Code, $"in its callback: {e.Message}", a.Node, "overlap_resolver");
                    }
                }
                else
                {
                    values.Add(x ?? y ?? new Constant(double.NaN));
                }
            }
        }
        var common = new Dictionary<string, string>(cube1.CommonNames, StringComparer.Ordinal);
        foreach (var (band, name) in cube2.CommonNames)
        {
            common.TryAdd(band, name);
        }
        return new DataCube(cube1.Grid, times, bands, values, inputs, common, resamplings);
    }

    /// <summary>
    /// The data's values replaced (by <paramref name="replacement"/>, NaN by default) where the mask is neither 0 nor
    /// nodata. The mask has one band (applied to every band) or the data's bands; a mask without <c>t</c> applies to
    /// every time, one with <c>t</c> is matched by label.
    /// </summary>
    public static DataCube Mask(DataCube data, DataCube mask, double replacement, Arguments a)
    {
        RequireSameGrid(data, mask, a, "mask");
        if (mask.Bands is { Count: > 1 } && (data.Bands is null || !mask.Bands.SequenceEqual(data.Bands)))
        {
            throw new GraphException("ProcessArgumentInvalid",
                $"the mask has bands {string.Join(", ", mask.Bands)}: give it one band, or the data's ({(data.Bands is null ? "none" : string.Join(", ", data.Bands))})", a.Node, "mask");
        }
        if (mask.Times is not null && data.Times is null)
        {
            throw new GraphException("ProcessArgumentInvalid", "the mask has a dimension t the data has not: reduce it first", a.Node, "mask");
        }
        var (shifted, inputs, resamplings) = Append(data, mask);
        var values = new List<PixelExpr>();
        for (var t = 0; t < data.TimeCount; t++)
        {
            var mt = 0;
            if (mask.Times is not null)
            {
                mt = mask.Times.ToList().IndexOf(data.Times![t]);
                if (mt < 0)
                {
                    throw new GraphException("ProcessArgumentInvalid", $"the mask has no time {data.Times[t]} (it has {string.Join(", ", mask.Times)})", a.Node, "mask");
                }
            }
            for (var b = 0; b < data.BandCount; b++)
            {
                var condition = shifted[mt * mask.BandCount + (mask.BandCount == 1 ? 0 : b)];
                values.Add(new Conditional(condition, new Constant(replacement), data.Value(t, b)));
            }
        }
        return data with { Values = values, Inputs = inputs, Resamplings = resamplings };
    }

    /// <summary>Refuses a second cube on another grid (same size, lattice and CRS needed).</summary>
    public static void RequireSameGrid(DataCube first, DataCube second, Arguments a, string argument)
    {
        var (g1, g2) = (first.Grid, second.Grid);
        var same = g1.Width == g2.Width && g1.Height == g2.Height && g1.Transform.IsCloseTo(g2.Transform);
        if (same && g1.CrsWkt != g2.CrsWkt)
        {
            using var s1 = SpatialReference.FromWkt(g1.CrsWkt);
            using var s2 = SpatialReference.FromWkt(g2.CrsWkt);
            same = s1.IsSame(s2);
        }
        if (!same)
        {
            throw new GraphException("ProcessArgumentInvalid",
                $"the cubes are on different grids ({Describe(g1)} and {Describe(g2)}): put one on the other's with resample_cube_spatial first", a.Node, argument);
        }
    }

    private static string Describe(RasterGrid g) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{g.Width} x {g.Height} pixels of {g.Transform.PixelWidth:0.###} from ({g.Transform.OriginX:0.###}, {g.Transform.OriginY:0.###})");

    private static string Dimensions(DataCube c) => $"x, y{(c.Times is null ? "" : ", t")}{(c.Bands is null ? "" : ", bands")}";

    /// <summary>The second cube's values over the inputs of both (its leaves shifted past the first's), the inputs and their resamplings.</summary>
    private static (IReadOnlyList<PixelExpr> Values, IReadOnlyList<Raster.Alignment.BandSource> Inputs, IReadOnlyList<Raster.Alignment.Resampling> Resamplings)
        Append(DataCube first, DataCube second)
    {
        var done = new Dictionary<PixelExpr, PixelExpr>(ReferenceEqualityComparer.Instance);
        var values = second.Values.Select(v => Shift(v, first.Inputs.Count, done)).ToList();
        return (values, [.. first.Inputs, .. second.Inputs], [.. first.AllResamplings, .. second.AllResamplings]);
    }

    /// <summary>The expression with every leaf's index moved by <paramref name="offset"/>, shared parts staying shared.</summary>
    public static PixelExpr Shift(PixelExpr expr, int offset, Dictionary<PixelExpr, PixelExpr> done) =>
        offset == 0 ? expr : PixelExprs.MapLeaves(expr, i => i + offset, done);
}
