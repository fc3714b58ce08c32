using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Tessera.Catalog.Files;
using Tessera.Server.Access;
using Tessera.Tasks;
using Tessera.Tasks.Stores;

namespace Tessera.Server.Api;

/// <summary>
/// <c>GET /metadata/query/raster/publishUrl?taskId=</c> (or <c>fileId=</c>): where a published result can be
/// fetched (download, preview and its legend, XYZ tile template, TileJSON), and its footprint.
/// </summary>
public static class PublishApi
{
    public sealed record PublishInfo(long FileId, string Name, string DownloadUrl, double[]? Bounds, string? PreviewUrl,
        string? LegendUrl, string? TileUrlTemplate, string? TileJsonUrl);

    public static void MapPublishApi(this WebApplication app) =>
        app.MapGet("/metadata/query/raster/publishUrl", PublishUrl);

    private static async Task<Ok<ApiResponse<PublishInfo>>> PublishUrl(HttpContext context, long? taskId, long? fileId,
        ITaskStore tasks, FileStore files, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(context);
        long id;
        if (taskId is { } t)
        {
            var task = await tasks.GetAsync(t, cancellationToken);
            if (task is null || !caller.MaySee(task.Owner))
            {
                throw new TaskNotFoundException(t);
            }
            id = task.Result?.OutputFileId
                ?? throw new TaskException($"task {t} is {task.Status.SeedName()}: it has no published result");
        }
        else
        {
            id = fileId ?? throw new ApiErrors.BadRequestException("give taskId or fileId");
        }
        var file = await files.GetAsync(id, caller.Visibility, cancellationToken) ?? throw new Tessera.Catalog.StoredFileNotFoundException(id);
        double[]? bounds = file.LonLatBounds is { } b ? [b.MinX, b.MinY, b.MaxX, b.MaxY] : null;
        var urls = TilesApi.Urls(file.Id);
        // Tiles need a georeferenced raster; previews a raster; a table has only its download.
        var raster = file.Raster is not null;
        var mapped = raster && (file.Raster!.Epsg is not null || file.LonLatBounds is not null);
        return TypedResults.Ok(ApiResponse<PublishInfo>.Ok(new PublishInfo(file.Id, file.Name, $"/files/{file.Id}/download", bounds,
            raster ? urls.Preview : null, raster ? urls.Legend : null, mapped ? urls.TileTemplate : null, mapped ? urls.TileJson : null)));
    }
}
