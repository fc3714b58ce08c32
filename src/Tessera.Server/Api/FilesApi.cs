using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Tessera.Catalog;
using Tessera.Catalog.Files;
using Tessera.Server.Access;

namespace Tessera.Server.Api;

/// <summary>The file store over HTTP: upload (multipart, streamed), list, detail, download (ranges), delete.</summary>
public static class FilesApi
{
    public static void MapFilesApi(this WebApplication app, long maxUploadBytes)
    {
        var files = app.MapGroup("/files");
        // The multipart envelope around the file costs a little more than the file itself.
        files.MapPost("/", Upload).DisableAntiforgery().WithBodyLimit(maxUploadBytes + (1 << 20));
        files.MapGet("/", List);
        files.MapGet("/{id:long}", Detail);
        files.MapGet("/{id:long}/download", Download);
        files.MapDelete("/{id:long}", Delete);
    }

    /// <summary>
    /// Reads the multipart body section by section and streams the part named "file" straight into the file
    /// store (size limit and checksum on the way): nothing is buffered in memory or in a temporary form file.
    /// </summary>
    /// The same bytes uploaded again by the same owner are not stored twice: 200 with the file already stored (201 for a new one).
    private static async Task<IResult> Upload(HttpRequest request, FileStore store, CancellationToken cancellationToken)
    {
        var boundary = request.HasFormContentType && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value
            : null;
        if (string.IsNullOrEmpty(boundary) || !request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiErrors.BadRequestException("send the raster as multipart/form-data in a field named 'file'");
        }
        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.IsFileDisposition() || disposition.Name.Value?.Trim('"') != "file")
            {
                continue;
            }
            var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? string.Empty;
            var (stored, already) = await store.UploadAsync(section.Body, name, Caller.Of(request.HttpContext).User, cancellationToken);
            if (already)
            {
                request.HttpContext.Response.Headers.ContentLocation = $"/files/{stored.Id}";
                return TypedResults.Ok(ApiResponse<StoredFile>.Ok(stored, $"already stored as file {stored.Id} ({stored.Name}): the same bytes are not stored twice"));
            }
            return TypedResults.Created($"/files/{stored.Id}", ApiResponse<StoredFile>.Ok(stored));
        }
        throw new ApiErrors.BadRequestException("the form has no file field named 'file'");
    }

    private static async Task<Ok<ApiResponse<FilePage>>> List(HttpContext context, FileStore store, int? offset, int? limit, CancellationToken cancellationToken)
    {
        if (offset < 0)
        {
            throw new ApiErrors.BadRequestException($"offset: {offset} is not 0 or more");
        }
        if (limit is < 1 or > 1000)
        {
            throw new ApiErrors.BadRequestException($"limit: {limit} is not between 1 and 1000");
        }
        return TypedResults.Ok(ApiResponse<FilePage>.Ok(await store.ListAsync(Caller.Of(context).Visibility, offset ?? 0, limit ?? 50, cancellationToken)));
    }

    private static async Task<Ok<ApiResponse<StoredFile>>> Detail(HttpContext context, long id, FileStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(ApiResponse<StoredFile>.Ok(await store.GetAsync(id, Caller.Of(context).Visibility, cancellationToken)
            ?? throw new StoredFileNotFoundException(id)));

    private static async Task<PhysicalFileHttpResult> Download(HttpContext context, long id, FileStore store, CancellationToken cancellationToken)
    {
        var visibility = Caller.Of(context).Visibility;
        var file = await store.GetAsync(id, visibility, cancellationToken) ?? throw new StoredFileNotFoundException(id);
        var path = await store.PathOfAsync(id, visibility, cancellationToken);
        return TypedResults.PhysicalFile(path, file.MediaType, file.Name, enableRangeProcessing: true);
    }

    private static async Task<Ok<ApiResponse<object>>> Delete(HttpContext context, long id, FileStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, Caller.Of(context).Visibility, cancellationToken)
            ? TypedResults.Ok(ApiResponse<object>.Ok(new { id }))
            : throw new StoredFileNotFoundException(id);
}
