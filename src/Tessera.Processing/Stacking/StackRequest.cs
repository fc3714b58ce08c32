using Tessera.Raster;
using Tessera.Raster.Alignment;
using Tessera.Raster.Output;

namespace Tessera.Processing.Stacking;

/// <summary>
/// Bands of one or more rasters, written as the bands of one raster on one grid: what band merge and crop do.
/// </summary>
/// <param name="Bands">The bands, in output order (their Name is what <paramref name="Reference"/> and errors use).</param>
/// <param name="Reference">Name of the band whose grid is the output grid; null = the finest.</param>
/// <param name="Box">Crop the output grid to this box first.</param>
/// <param name="Cutline">A vector file (any CRS): the output grid is cropped to its extent and pixels outside its polygons are no data.</param>
/// <param name="OutputType">Null: the inputs' type when they share one, else Float32 (Float64 if an input is Float64 or 32-bit).</param>
/// <param name="Descriptions">Band descriptions; null keeps each input band's own (or names it after its file).</param>
public sealed record StackRequest(
    IReadOnlyList<BandSource> Bands,
    string OutputPath,
    OutputOptions? Output = null,
    string? Reference = null,
    Resampling Resampling = Resampling.Nearest,
    CropBox? Box = null,
    string? Cutline = null,
    RasterDataType? OutputType = null,
    IReadOnlyList<string>? Descriptions = null,
    int Threads = 0);
