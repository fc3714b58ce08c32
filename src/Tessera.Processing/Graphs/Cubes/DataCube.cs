using Tessera.Raster;
using Tessera.Raster.Alignment;

namespace Tessera.Processing.Graphs.Cubes;

/// <summary>
/// A lazy data cube: a grid (x, y), labels along <c>t</c> and <c>bands</c> when it has those dimensions, and for each
/// (time, band) the expression of its values over the cube's inputs (<see cref="Inputs"/>: band files read on the
/// grid). Nothing is read until the cube is written; processes make new cubes.
/// </summary>
/// <param name="Times">Labels of <c>t</c> (RFC 3339), or null once <c>t</c> has been reduced away.</param>
/// <param name="Bands">Labels of <c>bands</c>, or null once <c>bands</c> has been reduced away.</param>
/// <param name="Values">Row-major over (time, band): index <c>t * BandCount + b</c>.</param>
/// <param name="CommonNames">The common name of each band label that has one ("B08" → "nir").</param>
/// <param name="Resamplings">How each input is brought onto the grid (index as <see cref="Inputs"/>); null: nearest neighbour for all.</param>
public sealed record DataCube(RasterGrid Grid, IReadOnlyList<string>? Times, IReadOnlyList<string>? Bands, IReadOnlyList<PixelExpr> Values,
    IReadOnlyList<BandSource> Inputs, IReadOnlyDictionary<string, string> CommonNames, IReadOnlyList<Resampling>? Resamplings = null)
{
    /// <summary>How input <paramref name="index"/> is resampled onto the grid.</summary>
    public Resampling ResamplingOf(int index) => Resamplings?[index] ?? Resampling.Nearest;

    /// <summary>Every input's resampling, one per input.</summary>
    public IReadOnlyList<Resampling> AllResamplings => Enumerable.Range(0, Inputs.Count).Select(ResamplingOf).ToList();

    public int TimeCount => Times?.Count ?? 1;

    public int BandCount => Bands?.Count ?? 1;

    public PixelExpr Value(int time, int band) => Values[time * BandCount + band];

    /// <summary>The index of a band named by its label or its common name; null when there is none.</summary>
    public int? BandIndex(string name)
    {
        if (Bands is null)
        {
            return null;
        }
        for (var b = 0; b < Bands.Count; b++)
        {
            if (Bands[b] == name)
            {
                return b;
            }
        }
        for (var b = 0; b < Bands.Count; b++)
        {
            if (CommonNames.TryGetValue(Bands[b], out var common) && common == name)
            {
                return b;
            }
        }
        return null;
    }
}
