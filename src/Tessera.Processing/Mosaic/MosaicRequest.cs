using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Output;

namespace Tessera.Processing.Mosaic;

/// <summary>A mosaic: inputs (all with the same band count) over the union of their footprints.</summary>
/// <param name="Crs">Target CRS (EPSG:n, WKT...); null = the first input's.</param>
/// <param name="Resolution">Target pixel size in the target CRS's units (square pixels); null = the finest x and y
/// pixel sizes of the inputs when they are all in the target CRS, else the first input's.</param>
/// <param name="MaxPixels">Larger mosaics (pixels x bands) are refused, with the estimate in the message.</param>
/// <param name="Harmonize">Match each input's radiometry to the inputs before it (per-band gain and offset fitted
/// on the overlap; see <see cref="MosaicHarmonizer"/>).</param>
/// <param name="FeatherWidth">For <see cref="MosaicMethod.Feather"/>: the distance (input pixels) over which an input fades in from its edge.</param>
public sealed record MosaicRequest(
    IReadOnlyList<string> Inputs,
    string OutputPath,
    MosaicMethod Method = MosaicMethod.Feather,
    OutputOptions? Output = null,
    string? Crs = null,
    double? Resolution = null,
    Resampling Resampling = Resampling.Nearest,
    long MaxPixels = 20_000_000_000,
    RasterDataType? OutputType = null,
    int Threads = 0,
    int FeatherWidth = 128,
    bool Harmonize = false);
