using Tessera.Processing.Operations;
using Tessera.Raster.Rendering;

namespace Tessera.Host.Publishing;

/// <summary>The default style of a result whose band is named after its operation (an index's "NDVI"), from the
/// operation's definition: what previews and tiles show when the caller asks for no style.</summary>
public static class ResultStyles
{
    public static readonly KnownStyle Known = description =>
        OperationCatalog.RenderingFor(description) is { } r ? (Colormap.Parse(r.Colormap), new ValueRange(r.Minimum, r.Maximum)) : null;
}
