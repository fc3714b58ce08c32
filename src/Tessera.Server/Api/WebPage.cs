using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.Server.Access;

namespace Tessera.Server.Api;

/// <summary>
/// The web page: <c>/</c> and its files under <c>/web/</c>, embedded in the assembly (HTML, CSS, JavaScript
/// modules and the vendored map library; no CDN). Served without a token: the page asks for one itself.
/// </summary>
public static class WebPage
{
    private const string Prefix = "web/";

    private static readonly Lazy<FrozenDictionary<string, (byte[] Bytes, string Type, string ETag)>> Files = new(Load);

    public static void MapWebPage(this WebApplication app)
    {
        app.MapGet("/", (HttpContext context) => Serve(context, "index.html")).ExcludeFromDescription().AllowAnyone();
        app.MapGet("/index.html", (HttpContext context) => Serve(context, "index.html")).ExcludeFromDescription().AllowAnyone();
        app.MapGet("/web/{**path}", (HttpContext context, string path) => Serve(context, path)).ExcludeFromDescription().AllowAnyone();
        // What the page needs to know of the server's settings (no secret among them).
        app.MapGet("/web-settings.json", (Tessera.Host.ServiceOptions options) => Results.Json(new { basemapUrl = options.BasemapUrl })).AllowAnyone();
    }

    private static IResult Serve(HttpContext context, string path)
    {
        if (!Files.Value.TryGetValue(path, out var file))
        {
            return ApiErrors.Problem(StatusCodes.Status404NotFound, $"/web/{path} is not a file of the page");
        }
        context.Response.Headers.CacheControl = "no-cache"; // revalidated: a new version of the server shows at once
        context.Response.Headers.ETag = file.ETag;
        if (context.Request.Headers.IfNoneMatch == file.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(file.Bytes, file.Type);
    }

    private static FrozenDictionary<string, (byte[], string, string)> Load()
    {
        var assembly = typeof(WebPage).Assembly;
        var files = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"";
            files[name[Prefix.Length..]] = (bytes, TypeOf(name), etag);
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string TypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        _ => "text/plain; charset=utf-8",
    };
}
