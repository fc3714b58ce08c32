namespace Tessera.Raster.Blocks;

/// <summary>
/// A named run of a block's inputs: <see cref="Count"/> items (images, masks) of <see cref="Bands"/> bands each,
/// item after item, from <see cref="Start"/>. A kernel reads "band b of image i" or "the mask of image i" through its
/// groups instead of computing an index; <see cref="InputGroups.Layout"/> lays groups end to end in the order a job
/// gives its sources.
/// </summary>
public readonly record struct InputGroup(string Name, int Start, int Count, int Bands = 1)
{
    /// <summary>How many inputs the group spans.</summary>
    public int Size => Count * Bands;

    /// <summary>The first input after the group.</summary>
    public int End => Start + Size;

    /// <summary>The block input holding band <paramref name="band"/> of item <paramref name="item"/>.</summary>
    public int IndexOf(int item, int band = 0) =>
        (uint)item < (uint)Count && (uint)band < (uint)Bands
            ? Start + item * Bands + band
            : throw new ArgumentOutOfRangeException(nameof(item), $"{Name}: item {item}, band {band} is outside {Count} x {Bands}");
}

/// <summary>Groups of inputs laid end to end.</summary>
public static class InputGroups
{
    /// <summary>The groups, the first starting at input 0, each after the one before.</summary>
    public static InputGroup[] Layout(params (string Name, int Count, int Bands)[] groups)
    {
        var laid = new InputGroup[groups.Length];
        var start = 0;
        for (var g = 0; g < groups.Length; g++)
        {
            laid[g] = new InputGroup(groups[g].Name, start, groups[g].Count, groups[g].Bands);
            start = laid[g].End;
        }
        return laid;
    }

    /// <summary>Band <paramref name="band"/> of item <paramref name="item"/> of <paramref name="group"/>.</summary>
    public static ReadOnlySpan<float> Input(this RasterBlock block, InputGroup group, int item = 0, int band = 0) =>
        block.Input(group.IndexOf(item, band));
}
