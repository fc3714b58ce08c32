namespace Tessera.Processing.Operations;

/// <summary>How a result is shown when the caller asks for no style: one band through a colormap over a fixed
/// range, with the legend's title. Null on an operation: the raster's own default (RGB or a stretched viridis).</summary>
public sealed record OperationRendering(string Colormap, double Minimum, double Maximum, string Legend);

/// <summary>What an operation produces: a raster (previews, tiles, STAC) or a table.</summary>
public enum OutputKind
{
    Raster,
    Table,
}
