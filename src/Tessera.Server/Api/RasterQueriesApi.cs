using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Tessera.Catalog.Files;
using Tessera.Raster;
using Tessera.Raster.Analysis;
using Tessera.Raster.Rendering;

namespace Tessera.Server.Api;

/// <summary>
/// What the result viewer asks of a stored raster besides tiles (TiTiler's point and statistics): <c>GET
/// /files/{id}/point?lon=&amp;lat=</c>, every band's value under a point, with the bands' labels (descriptions or dates:
/// a stack's values through time); <c>GET /files/{id}/statistics?bins=</c>, each band's range, mean, deviation, 2–98 %
/// stretch and histogram from the raster read small; <c>GET /colormaps</c>, the colormaps tiles can be drawn with.
/// </summary>
public static class RasterQueriesApi
{
    public static void MapRasterQueriesApi(this WebApplication app)
    {
        app.MapGet("/files/{id:long}/point", Point);
        app.MapGet("/files/{id:long}/statistics", Statistics);
        app.MapGet("/colormaps", Colormaps);
    }

    private static async Task<Ok<ApiResponse<object>>> Point(HttpContext context, long id, string? lon, string? lat, FileStore files,
        CancellationToken cancellationToken)
    {
        QueryParameters.Only(context, "lon", "lat");
        var x = Coordinate(lon, "lon", 180);
        var y = Coordinate(lat, "lat", 90);
        var (_, path) = await TilesApi.FileAsync(context, id, files, cancellationToken);
        var result = await Task.Run(() =>
        {
            using var raster = RasterDataset.Open(path);
            return PointQuery.At(raster, x, y);
        }, cancellationToken) ?? throw new ApiErrors.BadRequestException($"lon, lat: the point {x.ToString(CultureInfo.InvariantCulture)}, {y.ToString(CultureInfo.InvariantCulture)} lies outside file {id}");
        return TypedResults.Ok(ApiResponse<object>.Ok(new
        {
            lon = x, lat = y, result.X, result.Y, result.Column, result.Row,
            values = result.Values.Select(v => new { v.Band, v.Label, v.Value, v.NoData }),
        }));
    }

    private static async Task<Ok<ApiResponse<SampleStatistics.Result>>> Statistics(HttpContext context, long id, int? bins, FileStore files,
        CancellationToken cancellationToken)
    {
        QueryParameters.Only(context, "bins");
        if (bins is < 2 or > 1024)
        {
            throw new ApiErrors.BadRequestException($"bins: {bins} is not from 2 to 1024");
        }
        var (_, path) = await TilesApi.FileAsync(context, id, files, cancellationToken);
        var statistics = await Task.Run(() =>
        {
            using var raster = RasterDataset.Open(path);
            return SampleStatistics.Of(raster, bins: bins ?? 64);
        }, cancellationToken);
        context.Response.Headers.CacheControl = "private, max-age=86400"; // a stored file never changes
        return TypedResults.Ok(ApiResponse<SampleStatistics.Result>.Ok(statistics));
    }

    private static Ok<ApiResponse<object>> Colormaps() => TypedResults.Ok(ApiResponse<object>.Ok(Colormap.All.Select(c => new
    {
        c.Name,
        // 16 colours along the ramp, low to high: enough for a legend's gradient.
        colors = Enumerable.Range(0, 16).Select(i => c[(int)Math.Round(i * 255 / 15.0)]).Select(rgb => $"#{rgb.R:x2}{rgb.G:x2}{rgb.B:x2}"),
    })));

    internal static double Coordinate(string? text, string name, double limit) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) <= limit
            ? value
            : throw new ApiErrors.BadRequestException($"{name}: {(text is null ? "missing" : $"'{(text.Length > 20 ? text[..20] + "…" : text)}' is not")} a {(name == "lon" ? "longitude" : "latitude")} in degrees (-{limit} to {limit})");
}
