using System.Globalization;
using System.Xml.Linq;
using Tessera.Raster.Tiles;

namespace Tessera.Server.OpenEo;

/// <summary>
/// WMTS 1.0.0 in KVP: the capabilities of one layer (a coverage) in the GoogleMapsCompatible tile matrix set (EPSG:3857,
/// 256-pixel tiles, zoom 0 to the coverage's deepest useful zoom), PNG tiles got with GetTile at the same address.
/// </summary>
public static class WmtsDocuments
{
    public const string TileMatrixSet = "GoogleMapsCompatible";

    private static readonly XNamespace Wmts = "http://www.opengis.net/wmts/1.0";
    private static readonly XNamespace Ows = "http://www.opengis.net/ows/1.1";
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

    /// <summary>OGC's standardized rendering pixel (0.28 mm), which scale denominators are counted in.</summary>
    private const double PixelMetres = 0.00028;

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The capabilities document; <paramref name="endpoint"/> is the KVP address (GetCapabilities and GetTile).</summary>
    public static XDocument Capabilities(Coverage coverage, string endpoint)
    {
        XElement Operation(string name) => new(Ows + "Operation", new XAttribute("name", name),
            new XElement(Ows + "DCP", new XElement(Ows + "HTTP", new XElement(Ows + "Get", new XAttribute(XLink + "href", endpoint + "?"),
                new XElement(Ows + "Constraint", new XAttribute("name", "GetEncoding"),
                    new XElement(Ows + "AllowedValues", new XElement(Ows + "Value", "KVP")))))));
        var box = coverage.LonLat;
        var maxZoom = Math.Max(0, coverage.MaxZoom);
        var matrices = Enumerable.Range(0, maxZoom + 1).Select(z => new XElement(Wmts + "TileMatrix",
            new XElement(Ows + "Identifier", z.ToString(CultureInfo.InvariantCulture)),
            new XElement(Wmts + "ScaleDenominator", F(WebMercator.Resolution(z) / PixelMetres)),
            new XElement(Wmts + "TopLeftCorner", $"{F(-WebMercator.HalfWorld)} {F(WebMercator.HalfWorld)}"),
            new XElement(Wmts + "TileWidth", 256),
            new XElement(Wmts + "TileHeight", 256),
            new XElement(Wmts + "MatrixWidth", 1L << z),
            new XElement(Wmts + "MatrixHeight", 1L << z)));
        var limits = Enumerable.Range(0, maxZoom + 1).Select(z =>
        {
            var upperLeft = WebMercator.TileAt(box.MinX, box.MaxY, z);
            var lowerRight = WebMercator.TileAt(box.MaxX, box.MinY, z);
            return new XElement(Wmts + "TileMatrixLimits",
                new XElement(Wmts + "TileMatrix", z.ToString(CultureInfo.InvariantCulture)),
                new XElement(Wmts + "MinTileRow", upperLeft.Y), new XElement(Wmts + "MaxTileRow", lowerRight.Y),
                new XElement(Wmts + "MinTileCol", upperLeft.X), new XElement(Wmts + "MaxTileCol", lowerRight.X));
        });
        return new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(Wmts + "Capabilities", new XAttribute("version", "1.0.0"),
                new XAttribute(XNamespace.Xmlns + "ows", Ows), new XAttribute(XNamespace.Xmlns + "xlink", XLink),
                new XElement(Ows + "ServiceIdentification",
                    new XElement(Ows + "Title", coverage.Title),
                    new XElement(Ows + "ServiceType", "OGC WMTS"),
                    new XElement(Ows + "ServiceTypeVersion", "1.0.0")),
                new XElement(Ows + "OperationsMetadata", Operation("GetCapabilities"), Operation("GetTile")),
                new XElement(Wmts + "Contents",
                    new XElement(Wmts + "Layer",
                        new XElement(Ows + "Title", coverage.Title),
                        new XElement(Ows + "WGS84BoundingBox",
                            new XElement(Ows + "LowerCorner", $"{F(box.MinX)} {F(box.MinY)}"),
                            new XElement(Ows + "UpperCorner", $"{F(box.MaxX)} {F(box.MaxY)}")),
                        new XElement(Ows + "Identifier", coverage.Id),
                        new XElement(Wmts + "Style", new XAttribute("isDefault", "true"), new XElement(Ows + "Identifier", "default")),
                        new XElement(Wmts + "Format", "image/png"),
                        new XElement(Wmts + "TileMatrixSetLink",
                            new XElement(Wmts + "TileMatrixSet", TileMatrixSet),
                            new XElement(Wmts + "TileMatrixSetLimits", limits))),
                    new XElement(Wmts + "TileMatrixSet",
                        new XElement(Ows + "Identifier", TileMatrixSet),
                        new XElement(Ows + "SupportedCRS", "urn:ogc:def:crs:EPSG::3857"),
                        new XElement(Wmts + "WellKnownScaleSet", "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible"),
                        matrices))));
    }
}
