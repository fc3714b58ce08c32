using Tessera.Raster;
using Tessera.Raster.Alignment;

namespace Tessera.Processing.Operations;

/// <summary>Output sizes from the inputs' headers, for <see cref="Operation.EstimateOutputBytes"/>.</summary>
public static class Estimates
{
    /// <summary>Bytes of <paramref name="bands"/> bands of <paramref name="type"/> on the finest grid of the inputs.</summary>
    public static long OnFinestGrid(IEnumerable<OperationInput> inputs, int bands, RasterDataType type)
    {
        var sources = inputs.Select(i => new BandSource(i.Role, i.Path, i.Band ?? 1)).ToList();
        if (sources.Count == 0)
        {
            return 0;
        }
        var finest = GridAligner.ChooseReference(sources); // the grid the operation computes on
        return (long)finest.Width * finest.Height * bands * type.SizeInBytes();
    }

    /// <summary>The number of bands an input gives: the chosen one, or all of the file's.</summary>
    public static int BandsOf(OperationInput input)
    {
        if (input.Band is not null)
        {
            return 1;
        }
        using var ds = RasterDataset.Open(input.Path);
        return ds.BandCount;
    }

    /// <summary>The data type of an input's first band (or its chosen one).</summary>
    public static RasterDataType TypeOf(OperationInput input)
    {
        using var ds = RasterDataset.Open(input.Path);
        return ds.Band(input.Band ?? 1).DataType;
    }
}
