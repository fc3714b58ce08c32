using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Tessera.Catalog.Files;
using Tessera.Catalog;
using Tessera.Host.Publishing;
using Tessera.Raster.Rendering;
using Tessera.Raster.Tiles;
using Tessera.Server.Access;
using Tessera.Server.Tiles;

namespace Tessera.Server.Api;

/// <summary>
/// Map tiles and previews of stored files: <c>/tiles/{fileId}/{z}/{x}/{y}.png|webp|npy</c> (Web Mercator XYZ;
/// <c>bands</c>, <c>colormap</c>, <c>rescale</c>, <c>resampling</c>), <c>/tiles/{fileId}/tilejson.json</c>,
/// <c>/files/{id}/preview.png</c> and <c>/files/{id}/legend.json</c>. A tile outside the data is 204.
/// </summary>
public static class TilesApi
{
    public static void MapTilesApi(this WebApplication app)
    {
        app.MapGet("/tiles/{fileId:long}/{z}/{x}/{tile}", Tile);
        app.MapGet("/tiles/{fileId:long}/tilejson.json", TileJson);
        app.MapGet("/files/{id:long}/preview.png", (HttpContext c, long id, FileStore f, Previews p, CancellationToken t) =>
            Companion(c, id, f, p, Previews.ImageName, "image/png", t));
        app.MapGet("/files/{id:long}/legend.json", (HttpContext c, long id, FileStore f, Previews p, CancellationToken t) =>
            Companion(c, id, f, p, Previews.LegendName, "application/json", t));
        app.MapGet("/files/{id:long}/report.json", Report);
    }

    /// <summary>The URLs of a file's published forms (relative to the server).</summary>
    public static (string TileTemplate, string TileJson, string Preview, string Legend) Urls(long fileId) =>
        ($"/tiles/{fileId}/{{z}}/{{x}}/{{y}}.png", $"/tiles/{fileId}/tilejson.json", $"/files/{fileId}/preview.png", $"/files/{fileId}/legend.json");

    private static async Task<Results<FileContentHttpResult, NoContent>> Tile(HttpContext context, long fileId, string z, string x, string tile,
        string? bands, string? colormap, string? resampling, FileStore files, TileService tiles, CancellationToken cancellationToken)
    {
        var zoom = Coordinate(z, "z", "a zoom level");
        var column = Coordinate(x, "x", "a tile column");
        var dot = tile.LastIndexOf('.');
        var format = dot > 0 ? ImageFormats.FromExtension(tile[(dot + 1)..]) : null;
        if (format is null || !int.TryParse(tile[..dot], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var y))
        {
            throw new ApiErrors.BadRequestException($"'{tile}' is not a tile row with a format: use {{y}}.png, {{y}}.webp or {{y}}.npy");
        }
        var address = TileAddress.TryCreate(zoom, column, y, out var error) ?? throw new ApiErrors.BadRequestException(error!);
        var query = TileQuery.Parse(bands, colormap, context.Request.Query["rescale"], resampling);
        var (file, path) = await FileAsync(context, fileId, files, cancellationToken);
        var image = await tiles.GetAsync(file, path, address, format.Value, query, cancellationToken);
        context.Response.Headers.CacheControl = "private, max-age=86400"; // a stored file never changes
        context.Response.Headers["X-Tile-Cache"] = image.FromCache ? "hit" : "miss";
        return image.Bytes is null ? TypedResults.NoContent() : TypedResults.File(image.Bytes, image.MediaType);
    }

    private static int Coordinate(string text, string name, string what) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ApiErrors.BadRequestException($"{name}: '{(text.Length > 20 ? text[..20] + "…" : text)}' is not {what}");

    private static async Task<Ok<TileJsonDocument>> TileJson(HttpContext context, long fileId, FileStore files, TileService tiles,
        CancellationToken cancellationToken)
    {
        var (file, path) = await FileAsync(context, fileId, files, cancellationToken);
        var (bounds, minZoom, maxZoom) = tiles.Describe(path, file.Raster!.Width, file.Raster.Height);
        var request = context.Request;
        // The tiles are asked for with the same parameters (a token, a colormap...) as this document was.
        var query = request.QueryString.HasValue ? request.QueryString.Value : string.Empty;
        var template = $"{request.Scheme}://{request.Host}{request.PathBase}{Urls(fileId).TileTemplate}{query}";
        var center = new[] { (bounds.MinX + bounds.MaxX) / 2, (bounds.MinY + bounds.MaxY) / 2, Math.Min(maxZoom, minZoom + 2) };
        return TypedResults.Ok(new TileJsonDocument("2.2.0", file.Name, "xyz", [template], minZoom, maxZoom,
            [bounds.MinX, bounds.MinY, bounds.MaxX, bounds.MaxY], center));
    }

    private static async Task<PhysicalFileHttpResult> Companion(HttpContext context, long id, FileStore files, Previews previews, string name,
        string mediaType, CancellationToken cancellationToken)
    {
        var (file, _) = await FileAsync(context, id, files, cancellationToken);
        var path = await previews.EnsureAsync(file, name, cancellationToken);
        context.Response.Headers.CacheControl = "private, max-age=86400";
        return TypedResults.PhysicalFile(path, mediaType);
    }

    /// <summary>What the processing that made a result measured (its quality, the share of cloud replaced); 404 when it kept none.</summary>
    private static async Task<PhysicalFileHttpResult> Report(HttpContext context, long id, FileStore files, CancellationToken cancellationToken)
    {
        var (file, _) = await FileAsync(context, id, files, cancellationToken);
        var path = files.CompanionPath(file, Tessera.Processing.Operations.OperationRun.ReportName);
        if (!File.Exists(path))
        {
            throw new Tessera.Server.Api.ApiErrors.NotFoundException($"file {id} has no processing report (only some processing keeps one: pan-sharpening, cloud removal)");
        }
        context.Response.Headers.CacheControl = "private, max-age=86400";
        return TypedResults.PhysicalFile(path, "application/json");
    }

    /// <summary>A stored raster the caller may see, and where it lies; 404 for none, 400 for a file that is no raster.</summary>
    internal static async Task<(StoredFile File, string Path)> FileAsync(HttpContext context, long id, FileStore files, CancellationToken cancellationToken)
    {
        var visibility = Caller.Of(context).Visibility;
        var file = await files.GetAsync(id, visibility, cancellationToken) ?? throw new StoredFileNotFoundException(id);
        if (file.Raster is null)
        {
            throw new ApiErrors.BadRequestException($"file {id} is a {file.Kind} ({file.Name}), not a raster: it has no tiles, preview, legend or pixel values");
        }
        return (file, await files.PathOfAsync(id, visibility, cancellationToken));
    }
}

/// <summary>A TileJSON 2.2.0 document.</summary>
public sealed record TileJsonDocument(string Tilejson, string Name, string Scheme, IReadOnlyList<string> Tiles, int Minzoom, int Maxzoom,
    double[] Bounds, double[] Center);
