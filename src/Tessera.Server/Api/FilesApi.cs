using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Tessera.Catalog;
using Tessera.Catalog.Files;
using Tessera.Server.Access;

namespace Tessera.Server.Api;

/// <summary>The file store over HTTP: upload (multipart, streamed), list, detail, download (ranges), delete.</summary>
public static class FilesApi
{
    public static void MapFilesApi(this WebApplication app)
    {
        var files = app.MapGroup("/files");
        files.MapPost("/", Upload).DisableAntiforgery();
        files.MapGet("/", List);
        files.MapGet("/{id:long}", Detail);
        files.MapGet("/{id:long}/download", Download);
        files.MapDelete("/{id:long}", Delete);
    }

    private static async Task<Created<ApiResponse<StoredFile>>> Upload(HttpRequest request, FileStore store, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw new ApiErrors.BadRequestException("send the raster as multipart/form-data in a field named 'file'");
        }
        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file") ?? throw new ApiErrors.BadRequestException("the form has no field named 'file'");
        await using var content = file.OpenReadStream();
        var stored = await store.AddAsync(content, file.FileName, Caller.Of(request.HttpContext).User, cancellationToken);
        return TypedResults.Created($"/files/{stored.Id}", ApiResponse<StoredFile>.Ok(stored));
    }

    private static async Task<Ok<ApiResponse<FilePage>>> List(HttpContext context, FileStore store, int? offset, int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(ApiResponse<FilePage>.Ok(await store.ListAsync(Caller.Of(context).Visibility, offset ?? 0, limit ?? 50, cancellationToken)));

    private static async Task<Ok<ApiResponse<StoredFile>>> Detail(HttpContext context, long id, FileStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(ApiResponse<StoredFile>.Ok(await store.GetAsync(id, Caller.Of(context).Visibility, cancellationToken)
            ?? throw new StoredFileNotFoundException(id)));

    private static async Task<PhysicalFileHttpResult> Download(HttpContext context, long id, FileStore store, CancellationToken cancellationToken)
    {
        var visibility = Caller.Of(context).Visibility;
        var file = await store.GetAsync(id, visibility, cancellationToken) ?? throw new StoredFileNotFoundException(id);
        var path = await store.PathOfAsync(id, visibility, cancellationToken);
        return TypedResults.PhysicalFile(path, "image/tiff", file.Name, enableRangeProcessing: true);
    }

    private static async Task<Ok<ApiResponse<object>>> Delete(HttpContext context, long id, FileStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, Caller.Of(context).Visibility, cancellationToken)
            ? TypedResults.Ok(ApiResponse<object>.Ok(new { id }))
            : throw new StoredFileNotFoundException(id);
}
