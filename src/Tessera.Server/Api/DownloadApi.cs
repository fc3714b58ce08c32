using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Catalog;
using Tessera.Catalog.Downloads;
using Tessera.Catalog.Providers;
using Tessera.Catalog.Scenes;
using Tessera.Host.Catalog;
using Tessera.Server.Access;
using Tessera.Tasks;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;

namespace Tessera.Server.Api;

/// <summary>
/// geospaas_processing's download manager and copier over HTTP. <c>POST /catalog/download</c> selects items as
/// <c>/stac/search</c> does (<c>collections</c>, <c>ids</c>, <c>bbox</c> or <c>intersects</c>, <c>datetime</c>,
/// <c>query</c>) and queues one download task per item, with the item's <c>assets</c> (all by default);
/// <c>POST /catalog/copy</c> the same for items already on the server. A selection of more items than
/// <c>max_downloads</c> (400 by default) is refused whole, with its count, before anything starts. A delivery
/// (<see cref="Delivery"/>: <c>destination</c>, <c>link</c>, <c>flag_file</c>, <c>type</c>, <c>time_to_live</c>,
/// <c>save_path</c>) and <c>provider_settings</c> (a provider settings file of the server) write or read the server's
/// folders, so they are for administrators. <c>POST /catalog/publish</c> (its <c>publish</c>) copies the selected items'
/// files on the server to the publishing server the administrator configured; without one it is refused (409).
/// <c>POST /catalog/convert</c> selects the same way and queues a conversion
/// per item with something on the server (its <c>assets</c>, all by default) into cloud-optimized GeoTIFF assets.
/// </summary>
public static class DownloadApi
{
    private const int DefaultMaxDownloads = 400;

    private static readonly string[] OwnFields = ["assets", "max_downloads", "provider_settings"];

    public static void MapDownloadApi(this WebApplication app)
    {
        app.MapPost("/catalog/download", (HttpContext c, ITaskStore t, TaskSignal s, Tessera.Host.ServiceParts p, CancellationToken ct) =>
            QueueAsync(c, t, s, p, CatalogTaskTypes.Download, ct)).RequireRole(Role.Write);
        app.MapPost("/catalog/copy", (HttpContext c, ITaskStore t, TaskSignal s, Tessera.Host.ServiceParts p, CancellationToken ct) =>
            QueueAsync(c, t, s, p, CatalogTaskTypes.Copy, ct)).RequireRole(Role.Admin);
        app.MapPost("/catalog/remove_downloaded", (HttpContext c, ITaskStore t, TaskSignal s, Tessera.Host.ServiceParts p, CancellationToken ct) =>
            QueueAsync(c, t, s, p, CatalogTaskTypes.RemoveDownloaded, ct)).RequireRole(Role.Admin);
        app.MapPost("/catalog/archive", (HttpContext c, ITaskStore t, TaskSignal s, Tessera.Host.ServiceParts p, CancellationToken ct) =>
            QueueAsync(c, t, s, p, CatalogTaskTypes.Archive, ct)).RequireRole(Role.Write);
        app.MapPost("/catalog/publish", (HttpContext c, ITaskStore t, TaskSignal s, Tessera.Host.ServiceParts p, CancellationToken ct) =>
            p.Publish is null ? Task.FromResult(ApiErrors.Problem(StatusCodes.Status409Conflict, Tessera.Catalog.Remote.PublishTarget.NotConfigured))
                : QueueAsync(c, t, s, p, CatalogTaskTypes.Publish, ct)).RequireRole(Role.Write);
        app.MapPost("/catalog/convert", (HttpContext c, ITaskStore t, TaskSignal s, Tessera.Host.ServiceParts p, CancellationToken ct) =>
            QueueAsync(c, t, s, p, CatalogTaskTypes.Convert, ct)).RequireRole(Role.Write);
        app.MapPost("/catalog/cleanup", Cleanup).RequireRole(Role.Admin);
    }

    /// <summary>geospaas_processing's cleanup: one task removing every download older than <c>before</c> (a date or an RFC 3339 time).</summary>
    private static async Task<IResult> Cleanup(HttpContext context, ITaskStore tasks, TaskSignal signal, CancellationToken cancellationToken)
    {
        var body = await JsonBodies.ObjectAsync(context, cancellationToken);
        foreach (var (key, _) in body)
        {
            if (key != "before")
            {
                throw new ApiErrors.BadRequestException($"{key}: not a field of a cleanup (known: before)");
            }
        }
        if (body["before"] is not JsonValue value || !value.TryGetValue<string>(out var text)
            || !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var before))
        {
            throw new ApiErrors.BadRequestException("before: give a date (YYYY-MM-DD) or an RFC 3339 time");
        }
        var task = await tasks.CreateAsync(new NewTask($"cleanup before {text}", CatalogTaskTypes.Cleanup, Caller.Of(context).User, "{}",
            ParametersJson: new JsonObject { ["before"] = before.ToUniversalTime().ToString("O") }.ToJsonString()), cancellationToken);
        signal.Notify();
        return TypedResults.Ok(ApiResponse<object>.Ok(new { taskId = task.Id }));
    }

    private static async Task<IResult> QueueAsync(HttpContext context, ITaskStore tasks, TaskSignal signal, Tessera.Host.ServiceParts parts,
        TaskType type, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(context);
        var body = await JsonBodies.ObjectAsync(context, cancellationToken);
        var copying = type == CatalogTaskTypes.Copy;
        var what = CatalogTaskTypes.NameOf(type.Number).ToLowerInvariant();
        var known = type == CatalogTaskTypes.Download ? OwnFields.Concat(Delivery.Fields).ToArray()
            : type == CatalogTaskTypes.Copy ? [.. Delivery.Fields, "assets"]
            : ["assets"];
        var selection = new JsonObject();
        foreach (var (key, value) in body)
        {
            if (!known.Contains(key))
            {
                if (key is "limit" or "page" or "sortby" || !StacSearch.SearchParameters.Contains(key))
                {
                    throw new ApiErrors.BadRequestException($"{key}: not a field of a {what} (known: " +
                        string.Join(", ", StacSearch.SearchParameters.Except(["limit", "page", "sortby"]).Concat(known)) + ")");
                }
                selection[key] = value?.DeepClone();
            }
        }
        Delivery? delivery;
        string? providers;
        IReadOnlyList<string>? assets;
        int max;
        try
        {
            delivery = Delivery.FromJson(body, parts.CatalogFolders);
            providers = ProviderSettingsPath(body, parts);
            assets = body["assets"] is null ? null : body["assets"] is JsonArray list && list.Count > 0
                && list.All(a => a is JsonValue v && v.TryGetValue<string>(out _))
                ? list.Select(a => a!.GetValue<string>()).ToList()
                : throw new CatalogException("assets: give a non-empty array of asset keys");
            // Only downloads fill the disk: a copy, an archive, a conversion or a removal takes what is here already.
            max = type != CatalogTaskTypes.Download ? 100_000 : body["max_downloads"] is null ? DefaultMaxDownloads
                : body["max_downloads"] is JsonValue m && m.TryGetValue<int>(out var n) && n >= 0 ? n
                : throw new CatalogException("max_downloads: give a whole number, 0 or more");
        }
        catch (CatalogException e)
        {
            throw new ApiErrors.BadRequestException(e.Message);
        }
        if (copying && delivery is null)
        {
            throw new ApiErrors.BadRequestException("destination: a copy needs one");
        }
        if ((delivery is not null || providers is not null) && caller.Role != Role.Admin)
        {
            return ApiErrors.Problem(StatusCodes.Status403Forbidden,
                $"{(delivery is not null ? "destination" : "provider_settings")}: only administrators may name the server's folders");
        }
        var items = await SelectAsync(parts.Catalog, StacSearch.FromBody(selection), caller.Visibility, max, cancellationToken);
        if (type != CatalogTaskTypes.Download)
        {
            // Only items with something on this machine to copy, archive, convert, remove or publish.
            items = items.Where(i => i.Assets.Any(a => a.LocalPath is not null && (assets is null || assets.Contains(a.Key)))).ToList();
        }
        var ids = new List<long>();
        foreach (var item in items)
        {
            var missing = assets?.FirstOrDefault(key => item.Assets.All(a => a.Key != key));
            if (missing is not null)
            {
                throw new ApiErrors.BadRequestException($"assets: item '{item.Collection}/{item.Id}' has no asset '{missing}'");
            }
        }
        foreach (var item in items)
        {
            var parameters = new DownloadParameters($"{item.Collection}/{item.Id}", assets, delivery, providers);
            ids.Add((await tasks.CreateAsync(new NewTask($"{what} {item.Collection}/{item.Id}", type, caller.User, "{}",
                ParametersJson: parameters.ToJson().ToJsonString()), cancellationToken)).Id);
        }
        signal.Notify();
        return TypedResults.Ok(ApiResponse<object>.Ok(new { taskIds = ids, items = items.Count }));
    }

    /// <summary>Every item the selection matches, or a refusal naming the count when there are more than <paramref name="max"/>.</summary>
    private static async Task<List<CatalogItem>> SelectAsync(ISceneCatalog catalog, StacSearch selection, string? visibility, int max,
        CancellationToken cancellationToken)
    {
        var search = selection.ToItemSearch(visibility) with { Limit = 1000, Offset = 0 };
        try
        {
            var items = new List<CatalogItem>();
            while (true)
            {
                var page = await catalog.SearchAsync(search with { Offset = items.Count, Count = items.Count == 0 }, cancellationToken);
                if (items.Count == 0 && page.Matched > max)
                {
                    throw new ApiErrors.BadRequestException(
                        $"{page.Matched} items match, more than max_downloads ({max}): nothing was started; narrow the selection or raise max_downloads");
                }
                items.AddRange(page.Items);
                if (page.Items.Count < search.Limit)
                {
                    return items;
                }
            }
        }
        finally
        {
            search.Intersects?.Dispose();
        }
    }

    /// <summary>A provider settings file of the server that replaces the service's for these downloads: under the catalog folders, and valid.</summary>
    private static string? ProviderSettingsPath(JsonObject body, Tessera.Host.ServiceParts parts)
    {
        if (body["provider_settings"] is null)
        {
            return null;
        }
        var path = body["provider_settings"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        if (!Path.IsPathFullyQualified(path) || !parts.CatalogFolders.Allows(Path.GetDirectoryName(path) ?? ""))
        {
            throw new CatalogException("provider_settings: give the absolute path of a file under the server's catalog folders (catalogFolders)");
        }
        try
        {
            ProviderSettingsFile.Load(path);
        }
        catch (CatalogException e)
        {
            throw new CatalogException($"provider_settings: {e.Message.Replace(path, Path.GetFileName(path))}");
        }
        return path;
    }
}
