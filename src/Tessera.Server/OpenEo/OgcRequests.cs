using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Tessera.Processing.Graphs.Evaluation;
using Tessera.Raster;
using Tessera.Raster.Rendering;
using Tessera.Raster.Tiles;
using Tessera.Server.Tiles;

namespace Tessera.Server.OpenEo;

/// <summary>
/// The protocols' answers over a coverage (<see cref="OgcMaps"/> resolves which, and checks the key): XYZ tiles, WMTS
/// and WCS in KVP (OGC's keys compared without case), their refusals as OWS exception reports; tiles drawn from the
/// pixels <see cref="CubeReader"/> computes for them, kept in the tile cache, coverages as Float32 GeoTIFFs.
/// </summary>
internal static class OgcRequests
{
    private static string Base(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    private static IResult Xml(XDocument document) =>
        Results.Text(document.Declaration + "\n" + document.Root, "application/xml", Encoding.UTF8);

    private static T Get<T>(IServiceProvider services) where T : notnull =>
        (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"no {typeof(T).Name} registered"));

    /// <summary>The KVP parameters by upper-case name (OGC's keys are compared without case), each with all its values.</summary>
    private static Func<string, IReadOnlyList<string>> Kvp(HttpContext context)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in context.Request.Query)
        {
            var list = values.TryGetValue(name, out var known) ? known : values[name] = [];
            list.AddRange(value.Where(v => v is not null)!);
        }
        return name => values.TryGetValue(name, out var list) ? list : [];
    }

    private static string Endpoint(HttpContext context) => $"{Base(context)}{context.Request.Path}";

    internal static async Task<IResult> TileAsync(HttpContext context, Coverage coverage, ServiceStyle configured, string cacheKey, string z, string x, string tile,
        CancellationToken cancellationToken)
    {
        var dot = tile.LastIndexOf('.');
        if (!int.TryParse(z, NumberStyles.None, CultureInfo.InvariantCulture, out var zi) || !int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var xi)
            || dot < 1 || !int.TryParse(tile[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var yi))
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", "give a tile as {z}/{x}/{y}.png");
        }
        var format = ImageFormats.FromExtension(tile[(dot + 1)..]) is { } f && f != ImageFormat.Npy && ImageEncoder.CanEncode(f) ? f
            : throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"tiles are served as .png (or .jpg, .webp), not '{tile[(dot + 1)..]}'");
        var address = TileAddress.TryCreate(zi, xi, yi, out var error) ?? throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", error!);
        return await RenderAsync(context, coverage, configured, cacheKey, address, format, cancellationToken);
    }

    private static async Task<IResult> RenderAsync(HttpContext context, Coverage coverage, ServiceStyle configured, string cacheKey, TileAddress tile, ImageFormat format,
        CancellationToken cancellationToken)
    {
        var tiles = Get<TileService>(context.RequestServices).Cache;
        var key = $"{cacheKey}:{tile}.{format}:{context.Request.QueryString}";
        if (!tiles.TryGet(key, out var bytes))
        {
            var query = context.Request.Query;
            // The default style may need the coverage's stretch, itself computed (once) from an overview.
            bytes = await Get<CoverageCache>(context.RequestServices).ComputeAsync(() =>
            {
                var (style, resampling) = configured.For(coverage, query);
                return Render(coverage, tile, style, resampling, format, cancellationToken);
            }, cancellationToken);
            tiles.Add(key, bytes);
        }
        return Results.Bytes(bytes, format.MediaType());
    }

    private static byte[] Render(Coverage coverage, TileAddress tile, RenderStyle style, Raster.Alignment.Resampling resampling, ImageFormat format,
        CancellationToken cancellationToken)
    {
        var b = tile.Bounds;
        var pixel = b.Width / 256;
        var grid = new RasterGrid(256, 256, new GeoTransform(b.MinX, pixel, 0, b.MaxY, 0, -pixel), WebMercator.Wkt);
        var planes = CubeReader.Read(coverage.Cube, grid, resampling, cancellationToken);
        var rgba = planes is null ? new byte[256 * 256 * 4] : Renderer.Render(style, style.Bands.Select(band => planes[band - 1]).ToList(), 256, 256);
        return ImageEncoder.Encode(rgba, 256, 256, format);
    }

    /// <summary>
    /// A request OGC's protocol refuses (a parameter missing or wrong) as an OWS exception report, which WMTS and WCS
    /// clients show; the key and the resource were checked before, in openEO's shape.
    /// </summary>
    private static IResult ExceptionReport(OpenEoException e, string owsNamespace, string version)
    {
        XNamespace ows = owsNamespace;
        var code = e.Status == StatusCodes.Status404NotFound ? "NoSuchCoverage" : e.Message.Contains(" needs ", StringComparison.Ordinal) ? "MissingParameterValue"
            : e.Message.StartsWith("REQUEST=", StringComparison.Ordinal) ? "OperationNotSupported" : "InvalidParameterValue";
        var locator = e.Message.Split(['=', ':', ' '], 2)[0];
        var report = new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(ows + "ExceptionReport", new XAttribute("version", version), new XAttribute(XNamespace.Xmlns + "ows", ows),
                new XElement(ows + "Exception", new XAttribute("exceptionCode", code), new XAttribute("locator", locator),
                    new XElement(ows + "ExceptionText", e.Message))));
        return Results.Text(report.Declaration + "\n" + report.Root, "application/xml", Encoding.UTF8, e.Status);
    }

    internal static async Task<IResult> WmtsAsync(HttpContext context, Coverage coverage, ServiceStyle configured, string cacheKey, CancellationToken cancellationToken)
    {
        try
        {
            return await WmtsRequestAsync(context, coverage, configured, cacheKey, cancellationToken);
        }
        catch (OpenEoException e) when (e.Status is StatusCodes.Status400BadRequest or StatusCodes.Status404NotFound)
        {
            return ExceptionReport(e, "http://www.opengis.net/ows/1.1", "1.1.0");
        }
    }

    internal static async Task<IResult> WcsAsync(HttpContext context, Coverage coverage, CancellationToken cancellationToken)
    {
        try
        {
            return await WcsRequestAsync(context, coverage, cancellationToken);
        }
        catch (OpenEoException e) when (e.Status is StatusCodes.Status400BadRequest or StatusCodes.Status404NotFound)
        {
            return ExceptionReport(e, "http://www.opengis.net/ows/2.0", "2.0.0");
        }
    }

    private static async Task<IResult> WmtsRequestAsync(HttpContext context, Coverage coverage, ServiceStyle configured, string cacheKey, CancellationToken cancellationToken)
    {
        var kvp = Kvp(context);
        var service = kvp("SERVICE").FirstOrDefault();
        if (service is not null && !service.Equals("WMTS", StringComparison.OrdinalIgnoreCase))
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"SERVICE={service}: this address serves WMTS");
        }
        switch (kvp("REQUEST").FirstOrDefault()?.ToUpperInvariant())
        {
            case null or "GETCAPABILITIES":
                return Xml(WmtsDocuments.Capabilities(coverage, Endpoint(context)));
            case "GETTILE":
                string Required(string name) => kvp(name).FirstOrDefault() is { Length: > 0 } v ? v
                    : throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"GetTile needs {name}");
                if (!Required("LAYER").Equals(coverage.Id, StringComparison.Ordinal))
                {
                    throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"LAYER: the layer here is '{coverage.Id}'");
                }
                if (!Required("TILEMATRIXSET").Equals(WmtsDocuments.TileMatrixSet, StringComparison.Ordinal))
                {
                    throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"TILEMATRIXSET: the tile matrix set here is {WmtsDocuments.TileMatrixSet}");
                }
                var format = kvp("FORMAT").FirstOrDefault() ?? "image/png";
                if (!format.Equals("image/png", StringComparison.OrdinalIgnoreCase))
                {
                    throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", "FORMAT: tiles are image/png");
                }
                int Number(string name) => int.TryParse(Required(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                    : throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"{name}: give a whole number");
                var tile = TileAddress.TryCreate(Number("TILEMATRIX"), Number("TILECOL"), Number("TILEROW"), out var error)
                    ?? throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", error!);
                return await RenderAsync(context, coverage, configured, cacheKey, tile, ImageFormat.Png, cancellationToken);
            case var other:
                throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"REQUEST={other}: WMTS here answers GetCapabilities and GetTile");
        }
    }

    private static async Task<IResult> WcsRequestAsync(HttpContext context, Coverage coverage, CancellationToken cancellationToken)
    {
        var kvp = Kvp(context);
        var service = kvp("SERVICE").FirstOrDefault();
        if (service is not null && !service.Equals("WCS", StringComparison.OrdinalIgnoreCase))
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"SERVICE={service}: this address serves WCS");
        }
        if (kvp("VERSION").FirstOrDefault() is { } version && version is not ("2.0.1" or "2.0.0"))
        {
            throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"VERSION={version}: WCS here is 2.0.1");
        }
        void CheckCoverage()
        {
            var id = kvp("COVERAGEID").FirstOrDefault() ?? kvp("COVERAGE").FirstOrDefault();
            if (id is not null && !id.Split(',').All(i => i.Trim() == coverage.Id))
            {
                throw new OpenEoException(StatusCodes.Status404NotFound, "NotFound", $"COVERAGEID: the coverage here is '{coverage.Id}'");
            }
        }
        switch (kvp("REQUEST").FirstOrDefault()?.ToUpperInvariant())
        {
            case null or "GETCAPABILITIES":
                return Xml(WcsDocuments.Capabilities(coverage, Endpoint(context)));
            case "DESCRIBECOVERAGE":
                CheckCoverage();
                return Xml(WcsDocuments.Describe(coverage));
            case "GETCOVERAGE":
                CheckCoverage();
                var (grid, bands) = WcsDocuments.Request(coverage, kvp);
                if ((long)grid.Width * grid.Height > CubeReader.MaxPixels)
                {
                    throw new OpenEoException(StatusCodes.Status400BadRequest, "ComputationTooLarge",
                        $"{grid.Width} x {grid.Height} pixels are more than {CubeReader.MaxPixels} at once: ask for a smaller subset (or SCALESIZE)");
                }
                var options = Get<Tessera.Host.ServiceOptions>(context.RequestServices);
                var bytes = await Get<CoverageCache>(context.RequestServices).ComputeAsync(
                    () => GeoTiff(coverage, grid, bands, options.DataFolder, cancellationToken), cancellationToken);
                return Results.File(bytes, "image/tiff", $"{coverage.Id}.tif");
            case var other:
                throw new OpenEoException(StatusCodes.Status400BadRequest, "BadRequest", $"REQUEST={other}: WCS here answers GetCapabilities, DescribeCoverage and GetCoverage");
        }
    }

    /// <summary>The coverage's values on the grid as a Float32 GeoTIFF (NaN as nodata), one band per field asked for.</summary>
    private static byte[] GeoTiff(Coverage coverage, RasterGrid grid, IReadOnlyList<int> bands, string dataFolder, CancellationToken cancellationToken)
    {
        var planes = CubeReader.Read(coverage.Cube, grid, Raster.Alignment.Resampling.Nearest, cancellationToken);
        var folder = Directory.CreateDirectory(Path.Combine(dataFolder, "work", "openeo")).FullName;
        var path = Path.Combine(folder, $"wcs-{Guid.NewGuid():N}.tif");
        try
        {
            using (var output = RasterDataset.Create(path, "GTiff", grid, bands.Count, RasterDataType.Float32, ["COMPRESS=DEFLATE", "TILED=YES"]))
            {
                var empty = planes is null ? new float[grid.Width * grid.Height] : null;
                empty?.AsSpan().Fill(float.NaN);
                for (var i = 0; i < bands.Count; i++)
                {
                    output.SetNoData(i + 1, double.NaN);
                    output.SetDescription(i + 1, coverage.BandNames[bands[i]]);
                    output.Write<float>(i + 1, grid.FullWindow, planes is null ? empty! : planes[bands[i]]);
                }
                output.Close();
            }
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
