using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Tessera.Catalog;
using Tessera.Catalog.Files;
using Tessera.Catalog.Scenes;
using Tessera.Raster;
using Tessera.Raster.Analysis;
using Tessera.Raster.Features;
using Tessera.Server.Access;

namespace Tessera.Server.Api;

/// <summary>
/// A point through time over a collection of the catalog (what Earth Engine users do first): <c>GET
/// /catalog/collections/{id}/point?lon=&amp;lat=&amp;asset=</c> reads the asset's value under the point in every item
/// whose footprint holds it, oldest first: from the asset's file where it lies on this machine (a downloaded or local
/// product, a result), saying how many items have it elsewhere only. Nothing is downloaded for it.
/// </summary>
public static class CollectionSeriesApi
{
    /// <summary>Items read at most: a series is for looking at, not for bulk extraction (an openEO job does that).</summary>
    public const int MostItems = 2000;

    public static void MapCollectionSeriesApi(this WebApplication app) => app.MapGet("/catalog/collections/{id}/point", Series);

    private static async Task<Ok<ApiResponse<object>>> Series(HttpContext context, string id, string? lon, string? lat, string? asset,
        ISceneCatalog catalog, FileStore files, CancellationToken cancellationToken)
    {
        QueryParameters.Only(context, "lon", "lat", "asset");
        var x = RasterQueriesApi.Coordinate(lon, "lon", 180);
        var y = RasterQueriesApi.Coordinate(lat, "lat", 90);
        if (string.IsNullOrWhiteSpace(asset))
        {
            throw new ApiErrors.BadRequestException("asset: required: the key of the asset whose values to read (as the items name it, e.g. B04 or data)");
        }
        _ = await catalog.GetCollectionAsync(id, cancellationToken) ?? throw new StacNotFoundException($"collection '{id}' does not exist");
        var visibility = Caller.Of(context).Visibility;
        using var point = GeoJsonGeometry.Parse(string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"Point\",\"coordinates\":[{x:R},{y:R}]}}"));
        var items = new List<CatalogItem>();
        while (items.Count <= MostItems)
        {
            var page = await catalog.SearchAsync(new ItemSearch([id], Intersects: point, SortBy: [new SortField("datetime")], Limit: 500, Offset: items.Count,
                Visibility: visibility, Count: false), cancellationToken);
            items.AddRange(page.Items);
            if (page.Items.Count < 500)
            {
                break;
            }
        }
        var values = new List<object>();
        var elsewhere = 0;
        var without = 0;
        foreach (var item in items.Take(MostItems))
        {
            var found = item.Assets.FirstOrDefault(a => a.Key == asset);
            if (found is null)
            {
                without++;
                continue;
            }
            var path = found.LocalPath is { } local && File.Exists(local) ? local
                : item.FileId is { } fileId && found.Key == "data" ? await PathOrNullAsync(files, fileId, visibility, cancellationToken)
                : null;
            if (path is null)
            {
                elsewhere++;
                continue;
            }
            object entry;
            try
            {
                var read = await Task.Run(() =>
                {
                    using var raster = RasterDataset.Open(path);
                    return PointQuery.At(raster, x, y);
                }, cancellationToken);
                entry = read is null
                    ? new { item = item.Id, datetime = item.DateTime ?? item.Start, value = (double?)null, noData = true, error = (string?)"the point lies outside its raster" }
                    : new { item = item.Id, datetime = item.DateTime ?? item.Start, value = read.Values[0].Value, noData = read.Values[0].NoData, error = (string?)null };
            }
            catch (RasterException e)
            {
                entry = new { item = item.Id, datetime = item.DateTime ?? item.Start, value = (double?)null, noData = true, error = (string?)Tessera.Tasks.Workers.ErrorText.ForCaller(e.Message) };
            }
            values.Add(entry);
        }
        return TypedResults.Ok(ApiResponse<object>.Ok(new
        {
            lon = x, lat = y, asset, values, notOnThisMachine = elsewhere, withoutTheAsset = without, truncated = items.Count > MostItems,
        }));
    }

    private static async Task<string?> PathOrNullAsync(FileStore files, long id, string? visibility, CancellationToken cancellationToken)
    {
        try
        {
            return await files.PathOfAsync(id, visibility, cancellationToken);
        }
        catch (StoredFileNotFoundException)
        {
            return null;
        }
    }
}
