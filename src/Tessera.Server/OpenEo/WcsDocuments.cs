using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Tessera.Raster;

namespace Tessera.Server.OpenEo;

/// <summary>
/// WCS 2.0.1 in KVP over one coverage (a rectified grid in its own CRS, an EPSG one): GetCapabilities,
/// DescribeCoverage (the grid: origin at the centre of the upper-left pixel, offset vectors, limits, every coordinate in
/// the CRS's axis order: latitude first in a geographic one; one field per band, NaN as nil value) and what a GetCoverage asks for: trims of the CRS axes (<c>SUBSET=E(a,b)</c>,
/// <c>SUBSET=N(c,d)</c>, or <c>Long</c> and <c>Lat</c>; the coverage's pixels they touch), optionally a size (<c>SCALESIZE=i(w),j(h)</c> or
/// <c>SCALEFACTOR</c>) and bands (<c>RANGESUBSET</c>), answered as a Float32 GeoTIFF.
/// </summary>
public static class WcsDocuments
{
    private static readonly XNamespace Wcs = "http://www.opengis.net/wcs/2.0";
    private static readonly XNamespace Ows = "http://www.opengis.net/ows/2.0";
    private static readonly XNamespace Gml = "http://www.opengis.net/gml/3.2";
    private static readonly XNamespace GmlCov = "http://www.opengis.net/gmlcov/1.0";
    private static readonly XNamespace Swe = "http://www.opengis.net/swe/2.0";
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The EPSG code of the coverage's CRS (openEO's BadRequest when it has none: WCS names CRSs by URI).</summary>
    public static int Epsg(Coverage coverage) => Crs(coverage).Epsg;

    /// <summary>
    /// The coverage's CRS: its EPSG code, and whether its axes come latitude first (EPSG's geographic CRSs), in which
    /// order GML writes every coordinate (and GDAL's client swaps them back).
    /// </summary>
    private static (int Epsg, bool LatLon) Crs(Coverage coverage)
    {
        using var crs = SpatialReference.FromWkt(coverage.Cube.Grid.CrsWkt);
        return (crs.EpsgCode ?? throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", "the result's CRS has no EPSG code: WCS cannot name it"),
            crs.IsGeographic);
    }

    /// <summary>A point (x, y) in the CRS's axis order.</summary>
    private static string Pos(double x, double y, bool latLon) => latLon ? $"{F(y)} {F(x)}" : $"{F(x)} {F(y)}";

    public static string CrsUri(int epsg) => $"http://www.opengis.net/def/crs/EPSG/0/{epsg}";

    public static XDocument Capabilities(Coverage coverage, string endpoint)
    {
        XElement Operation(string name) => new(Ows + "Operation", new XAttribute("name", name),
            new XElement(Ows + "DCP", new XElement(Ows + "HTTP", new XElement(Ows + "Get", new XAttribute(XLink + "href", endpoint + "?")))));
        var box = coverage.LonLat;
        return new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(Wcs + "Capabilities", new XAttribute("version", "2.0.1"),
                new XAttribute(XNamespace.Xmlns + "wcs", Wcs), new XAttribute(XNamespace.Xmlns + "ows", Ows), new XAttribute(XNamespace.Xmlns + "xlink", XLink),
                new XElement(Ows + "ServiceIdentification",
                    new XElement(Ows + "Title", coverage.Title),
                    new XElement(Ows + "ServiceType", "OGC WCS"),
                    new XElement(Ows + "ServiceTypeVersion", "2.0.1"),
                    new XElement(Ows + "Profile", "http://www.opengis.net/spec/WCS/2.0/conf/core"),
                    new XElement(Ows + "Profile", "http://www.opengis.net/spec/WCS_protocol-binding_get-kvp/1.0/conf/get-kvp"),
                    new XElement(Ows + "Profile", "http://www.opengis.net/spec/WCS_service-extension_scaling/1.0/conf/scaling"),
                    new XElement(Ows + "Profile", "http://www.opengis.net/spec/WCS_service-extension_range-subsetting/1.0/conf/record-subsetting"),
                    new XElement(Ows + "Profile", "http://www.opengis.net/spec/GMLCOV_geotiff-coverages/1.0/conf/geotiff-coverage")),
                new XElement(Ows + "OperationsMetadata", Operation("GetCapabilities"), Operation("DescribeCoverage"), Operation("GetCoverage")),
                new XElement(Wcs + "ServiceMetadata", new XElement(Wcs + "formatSupported", "image/tiff")),
                new XElement(Wcs + "Contents",
                    new XElement(Wcs + "CoverageSummary",
                        new XElement(Wcs + "CoverageId", coverage.Id),
                        new XElement(Wcs + "CoverageSubtype", "RectifiedGridCoverage"),
                        new XElement(Ows + "WGS84BoundingBox",
                            new XElement(Ows + "LowerCorner", $"{F(box.MinX)} {F(box.MinY)}"),
                            new XElement(Ows + "UpperCorner", $"{F(box.MaxX)} {F(box.MaxY)}"))))));
    }

    /// <summary>The coverage's description: envelope and grid in its CRS (axes E and N, grid axes i and j), and its bands.</summary>
    public static XDocument Describe(Coverage coverage)
    {
        var grid = coverage.Cube.Grid;
        var t = grid.Transform;
        if (!t.IsNorthUp)
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", "the result's grid is rotated: WCS here serves north-up grids");
        }
        var (epsg, latLon) = Crs(coverage);
        var crs = CrsUri(epsg);
        var b = grid.Bounds;
        var id = coverage.Id;
        var fields = coverage.BandNames.Select(name => new XElement(Swe + "field", new XAttribute("name", name),
            new XElement(Swe + "Quantity",
                new XElement(Swe + "description", $"{name} (Float32)"),
                new XElement(Swe + "nilValues", new XElement(Swe + "NilValues",
                    new XElement(Swe + "nilValue", new XAttribute("reason", "http://www.opengis.net/def/nil/OGC/0/missing"), "NaN"))),
                new XElement(Swe + "uom", new XAttribute("code", "1")))));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(Wcs + "CoverageDescriptions",
                new XAttribute(XNamespace.Xmlns + "wcs", Wcs), new XAttribute(XNamespace.Xmlns + "gml", Gml), new XAttribute(XNamespace.Xmlns + "gmlcov", GmlCov),
                new XAttribute(XNamespace.Xmlns + "swe", Swe),
                new XElement(Wcs + "CoverageDescription", new XAttribute(Gml + "id", id),
                    new XElement(Gml + "boundedBy",
                        new XElement(Gml + "Envelope", new XAttribute("srsName", crs), new XAttribute("axisLabels", latLon ? "Lat Long" : "E N"),
                            new XAttribute("uomLabels", latLon ? "deg deg" : "m m"),
                            new XAttribute("srsDimension", 2),
                            new XElement(Gml + "lowerCorner", Pos(b.MinX, b.MinY, latLon)),
                            new XElement(Gml + "upperCorner", Pos(b.MaxX, b.MaxY, latLon)))),
                    new XElement(Wcs + "CoverageId", id),
                    new XElement(Gml + "domainSet",
                        new XElement(Gml + "RectifiedGrid", new XAttribute(Gml + "id", $"{id}-grid"), new XAttribute("dimension", 2),
                            new XElement(Gml + "limits", new XElement(Gml + "GridEnvelope",
                                new XElement(Gml + "low", "0 0"),
                                new XElement(Gml + "high", $"{grid.Width - 1} {grid.Height - 1}"))),
                            new XElement(Gml + "axisLabels", "i j"),
                            new XElement(Gml + "origin", new XElement(Gml + "Point", new XAttribute(Gml + "id", $"{id}-origin"), new XAttribute("srsName", crs),
                                new XElement(Gml + "pos", Pos(t.OriginX + t.PixelWidth / 2, t.OriginY + t.PixelHeight / 2, latLon)))),
                            new XElement(Gml + "offsetVector", new XAttribute("srsName", crs), Pos(t.PixelWidth, 0, latLon)),
                            new XElement(Gml + "offsetVector", new XAttribute("srsName", crs), Pos(0, t.PixelHeight, latLon)))),
                    new XElement(GmlCov + "rangeType", new XElement(Swe + "DataRecord", fields)),
                    new XElement(Wcs + "ServiceParameters",
                        new XElement(Wcs + "CoverageSubtype", "RectifiedGridCoverage"),
                        new XElement(Wcs + "nativeFormat", "image/tiff")))));
    }

    private static OpenEoException Invalid(string message) => new(StatusCodes.Status400BadRequest, "BadRequest", message);

    /// <summary>The grid a GetCoverage asks for, and the bands (0-based) it keeps.</summary>
    public static (RasterGrid Grid, IReadOnlyList<int> Bands) Request(Coverage coverage, Func<string, IReadOnlyList<string>> values)
    {
        var grid = coverage.Cube.Grid;
        var t = grid.Transform;
        if (!t.IsNorthUp)
        {
            throw Invalid("the result's grid is rotated: WCS here serves north-up grids");
        }
        var epsg = Epsg(coverage);
        foreach (var key in new[] { "SUBSETTINGCRS", "OUTPUTCRS" })
        {
            if (values(key).FirstOrDefault() is { Length: > 0 } asked && !SameCrs(asked, epsg))
            {
                throw Invalid($"{key} {asked}: the coverage is served in its own CRS only ({CrsUri(epsg)})");
            }
        }
        if (values("FORMAT").FirstOrDefault() is { Length: > 0 } format && !format.StartsWith("image/tiff", StringComparison.OrdinalIgnoreCase)
            && !format.Equals("GTiff", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"format {format}: the coverage is served as image/tiff");
        }
        var b = grid.Bounds;
        var (minX, maxX, minY, maxY) = (b.MinX, b.MaxX, b.MinY, b.MaxY);
        foreach (var subset in values("SUBSET"))
        {
            var (axis, parameters) = Call(subset, "SUBSET");
            if (parameters.Length != 2)
            {
                throw Invalid($"SUBSET {subset}: give a trim, axis(low,high); slicing the coverage's axes is not served");
            }
            var (low, high) = (Number(parameters[0], subset), Number(parameters[1], subset));
            if (high < low)
            {
                throw Invalid($"SUBSET {subset}: the low end is above the high end");
            }
            switch (axis.ToUpperInvariant())
            {
                case "E" or "X" or "LONG" or "LON" or "EASTING":
                    (minX, maxX) = (Math.Max(minX, low), Math.Min(maxX, high));
                    break;
                case "N" or "Y" or "LAT" or "NORTHING":
                    (minY, maxY) = (Math.Max(minY, low), Math.Min(maxY, high));
                    break;
                default:
                    throw Invalid($"SUBSET {subset}: the coverage's axes are E and N (Long and Lat in a geographic CRS)");
            }
        }
        if (minX >= maxX || minY >= maxY)
        {
            throw Invalid("the subset lies outside the coverage");
        }
        // The coverage's pixels the trims touch (a hair inside, so that edges on pixel edges take no extra pixel).
        var c0 = (int)Math.Floor((minX - t.OriginX) / t.PixelWidth + 1e-6);
        var c1 = (int)Math.Ceiling((maxX - t.OriginX) / t.PixelWidth - 1e-6);
        var r0 = (int)Math.Floor((maxY - t.OriginY) / t.PixelHeight + 1e-6);
        var r1 = (int)Math.Ceiling((minY - t.OriginY) / t.PixelHeight - 1e-6);
        var window = new Window(c0, r0, Math.Max(1, c1 - c0), Math.Max(1, r1 - r0)).Intersect(grid.FullWindow);
        if (window.IsEmpty)
        {
            throw Invalid("the subset lies outside the coverage");
        }
        var (x0, y0) = t.PixelToWorld(window.ColOffset, window.RowOffset);
        var (width, height) = Size(window, values);
        var target = new RasterGrid(width, height, new GeoTransform(x0, t.PixelWidth * window.Width / width, 0, y0, 0, t.PixelHeight * window.Height / height), grid.CrsWkt);
        return (target, Bands(coverage, values("RANGESUBSET").FirstOrDefault()));
    }

    private static (int Width, int Height) Size(Window window, Func<string, IReadOnlyList<string>> values)
    {
        var (width, height) = (window.Width, window.Height);
        if (values("SCALEFACTOR").FirstOrDefault() is { Length: > 0 } factorText)
        {
            var factor = Number(factorText, "SCALEFACTOR");
            if (factor <= 0)
            {
                throw Invalid("SCALEFACTOR: give a positive number");
            }
            (width, height) = ((int)Math.Max(1, Math.Round(width / factor)), (int)Math.Max(1, Math.Round(height / factor)));
        }
        foreach (var size in values("SCALESIZE").SelectMany(v => SplitCalls(v)))
        {
            var (axis, parameters) = Call(size, "SCALESIZE");
            if (parameters.Length != 1 || !int.TryParse(parameters[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                throw Invalid($"SCALESIZE {size}: give axis(pixels)");
            }
            switch (axis.ToUpperInvariant())
            {
                case "I" or "E" or "X":
                    width = n;
                    break;
                case "J" or "N" or "Y":
                    height = n;
                    break;
                default:
                    throw Invalid($"SCALESIZE {size}: the grid's axes are i and j");
            }
        }
        return (width, height);
    }

    private static IReadOnlyList<int> Bands(Coverage coverage, string? rangeSubset)
    {
        var names = coverage.BandNames;
        if (string.IsNullOrWhiteSpace(rangeSubset) || rangeSubset.Trim() == "*")
        {
            return Enumerable.Range(0, names.Count).ToList();
        }
        var bands = new List<int>();
        foreach (var part in rangeSubset.Split(','))
        {
            var name = part.Trim();
            var index = names.ToList().FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            if (index < 0 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= names.Count)
            {
                index = number - 1;
            }
            bands.Add(index >= 0 ? index : throw Invalid($"RANGESUBSET: '{name}' is not a field of the coverage ({string.Join(", ", names)})"));
        }
        return bands;
    }

    /// <summary>"E(1,2),N(3,4)" as its calls (a SCALESIZE lists several in one value).</summary>
    private static IEnumerable<string> SplitCalls(string value)
    {
        var start = 0;
        var depth = 0;
        for (var i = 0; i < value.Length; i++)
        {
            depth += value[i] == '(' ? 1 : value[i] == ')' ? -1 : 0;
            if (value[i] == ',' && depth == 0)
            {
                yield return value[start..i];
                start = i + 1;
            }
        }
        yield return value[start..];
    }

    private static (string Axis, string[] Parameters) Call(string text, string key)
    {
        var open = text.IndexOf('(');
        if (open < 1 || !text.EndsWith(')'))
        {
            throw Invalid($"{key} {text}: give axis(values)");
        }
        return (text[..open].Trim(), text[(open + 1)..^1].Split(',').Select(p => p.Trim().Trim('"')).ToArray());
    }

    private static double Number(string text, string context) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value : throw Invalid($"{context}: '{text}' is not a number");

    private static bool SameCrs(string asked, int epsg)
    {
        var code = asked.TrimEnd('/').Split('/', ':').LastOrDefault();
        return code == epsg.ToString(CultureInfo.InvariantCulture);
    }
}
