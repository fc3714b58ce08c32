using Tessera.Raster;

namespace Tessera.Processing.Operations;

/// <summary>Output sizes from the inputs' headers, for <see cref="Operation.EstimateOutputBytes"/>.</summary>
public static class Estimates
{
    /// <summary>Bytes of <paramref name="bands"/> bands of <paramref name="type"/> on the finest grid of the inputs.</summary>
    public static long OnFinestGrid(IEnumerable<OperationInput> inputs, int bands, RasterDataType type)
    {
        RasterGrid? finest = null;
        foreach (var input in inputs)
        {
            using var ds = RasterDataset.Open(input.Path);
            if (finest is null || ds.Grid.Transform.PixelArea < finest.Transform.PixelArea * (1 - 1e-9))
            {
                finest = ds.Grid;
            }
        }
        return finest is null ? 0 : (long)finest.Width * finest.Height * bands * type.SizeInBytes();
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
