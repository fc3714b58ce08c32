using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Output;

namespace Tessera.Processing.Fusion;

/// <summary>Pan + multispectral → multispectral at the pan's resolution.</summary>
/// <param name="Multispectral">Multispectral files (all their bands) or bands (FILE@N), in output order.</param>
/// <param name="Weights">Per band, for weighted Brovey (default equal).</param>
/// <param name="Resampling">How the multispectral bands are brought onto the pan grid (by georeference).</param>
public sealed record PansharpenRequest(
    string Pan,
    IReadOnlyList<string> Multispectral,
    string OutputPath,
    PansharpenMethod Method = PansharpenMethod.Brovey,
    IReadOnlyList<double>? Weights = null,
    Resampling Resampling = Resampling.Bilinear,
    OutputOptions? Output = null,
    RasterDataType? OutputType = null,
    int Threads = 0);
