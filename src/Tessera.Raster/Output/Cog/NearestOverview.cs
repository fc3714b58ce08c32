namespace Tessera.Raster.Output.Cog;

/// <summary>
/// GDAL's NEAREST overview resampling, as its COG driver applies it level after level: overview pixel <c>i</c> takes
/// pixel <c>(int)(0.5 + i * ratio)</c> of the level above (ratio = that level's size over this one's), so an exact
/// halving takes the top-left pixel of each 2 x 2. Values are copied as they are: classes and masks keep theirs.
/// </summary>
internal static class NearestOverview
{
    /// <summary>The pixel of the level above (of <paramref name="size"/>) that overview pixel <paramref name="i"/> takes.</summary>
    public static int Source(int i, double ratio, int size) => Math.Min((int)(0.5 + i * ratio), size - 1);

    /// <summary>Halves <paramref name="width"/> x <paramref name="height"/> values (offset and size even) into
    /// <paramref name="half"/>, each half-size row <paramref name="halfStride"/> values after the one before.</summary>
    public static void Halve(int width, int height, ReadOnlySpan<float> values, Span<float> half, int halfStride)
    {
        var w = width / 2;
        for (var r = 0; r < height / 2; r++)
        {
            HalveRow(values.Slice(2 * r * width, width), half.Slice(r * halfStride, w));
        }
    }

    /// <summary>One overview row from the top row of a pair (an exact ratio of 2).</summary>
    public static void HalveRow(ReadOnlySpan<float> top, Span<float> output)
    {
        for (var c = 0; c < output.Length; c++)
        {
            output[c] = top[2 * c];
        }
    }
}
