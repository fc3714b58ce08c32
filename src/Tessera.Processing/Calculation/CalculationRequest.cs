using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Output;

namespace Tessera.Processing.Calculation;

/// <summary>A band-math calculation: one expression over named inputs, written as one band.</summary>
/// <param name="Description">The output band's description (the index name, or the expression).</param>
/// <param name="OutputNoData">Nodata of the output; null = the type's default (NaN for floats).</param>
/// <param name="Reference">Name of the input whose grid is the output grid; null = the finest.</param>
public sealed record CalculationRequest(
    IReadOnlyList<BandInput> Inputs,
    string Expression,
    string OutputPath,
    string Description,
    OutputOptions? Output = null,
    RasterDataType OutputType = RasterDataType.Float32,
    double? OutputNoData = null,
    Resampling Resampling = Resampling.Nearest,
    string? Reference = null,
    int Threads = 0,
    int BlockSize = 512,
    IReadOnlyDictionary<string, double>? Constants = null);
