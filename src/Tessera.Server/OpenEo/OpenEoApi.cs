using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Catalog.Scenes;
using Tessera.Catalog.Stac;
using Tessera.Server.Access;

namespace Tessera.Server.OpenEo;

/// <summary>
/// openEO API 1.2 under <see cref="Root"/>, found through <c>/.well-known/openeo</c>: capabilities (listing the endpoints
/// this server maps, read from its own route table), conformance, file formats, service types and UDF runtimes,
/// credentials (HTTP basic: the password is an API token, which becomes the access token; openEO clients then send
/// <c>Bearer basic//TOKEN</c>), the caller (<c>/me</c>) and the catalog's scene collections as data cubes; the service
/// types and secondary web services are <see cref="OpenEoServices"/>'s.
/// </summary>
public static class OpenEoApi
{
    public const string Root = "/openeo/1.2";

    public const string ApiVersion = "1.2.0";

    private static readonly string BackendVersion =
        typeof(OpenEoApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";

    public static void MapOpenEoApi(this WebApplication app)
    {
        app.MapGet("/.well-known/openeo", WellKnown).AllowAnyone();
        var api = app.MapGroup(Root);
        api.MapGet("/", Capabilities).AllowAnyone();
        api.MapGet("/conformance", () => Json(new JsonObject { ["conformsTo"] = Strings(Conformance) })).AllowAnyone();
        api.MapGet("/file_formats", FileFormats).AllowAnyone();
        api.MapGet("/udf_runtimes", () => Json([])).AllowAnyone();
        api.MapGet("/credentials/basic", BasicCredentials);
        api.MapGet("/me", Me);
        api.MapGet("/collections", Collections);
        api.MapGet("/collections/{collection_id}", Collection);
        api.MapOpenEoProcesses();
        api.MapOpenEoProcessGraphs();
        api.MapOpenEoResults();
        api.MapOpenEoJobs();
        api.MapOpenEoServices();
        api.MapOgcMaps();
    }

    /// <summary>The conformance classes: openEO API 1.2 and the STAC API's collections, as <c>/collections</c> serves them.</summary>
    private static readonly string[] Conformance =
    [
        $"https://api.openeo.org/{ApiVersion}",
        "https://api.stacspec.org/v1.0.0/collections",
    ];

    private static string Base(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    private static IResult Json(JsonObject document) => Results.Text(document.ToJsonString(), "application/json", Encoding.UTF8);

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    private static IResult WellKnown(HttpContext context) => Json(new JsonObject
    {
        ["versions"] = new JsonArray(new JsonObject { ["url"] = $"{Base(context)}{Root}/", ["api_version"] = ApiVersion, ["production"] = true }),
    });

    private static IResult Capabilities(HttpContext context, EndpointDataSource routes)
    {
        var b = Base(context);
        return Json(new JsonObject
        {
            ["api_version"] = ApiVersion,
            ["backend_version"] = BackendVersion,
            ["stac_version"] = StacItems.Version,
            ["type"] = "Catalog",
            ["id"] = "tessera",
            ["title"] = "Tessera",
            ["description"] = "Tessera's openEO API: the scenes of its catalog (harvested from other catalogs or found in its folders) as data cubes.",
            ["production"] = true,
            ["conformsTo"] = Strings(Conformance),
            ["endpoints"] = Endpoints(routes),
            ["links"] = new JsonArray(
                StacItems.Link("self", $"{b}{Root}/", "application/json", "These capabilities"),
                StacItems.Link("version-history", $"{b}/.well-known/openeo", "application/json", "The openEO versions this server speaks"),
                StacItems.Link("conformance", $"{b}{Root}/conformance", "application/json", "Conformance classes"),
                StacItems.Link("data", $"{b}{Root}/collections", "application/json", "The collections"),
                StacItems.Link("service-desc", $"{b}/openapi.json", "application/vnd.oai.openapi+json;version=3.0", "The server's OpenAPI document")),
        });
    }

    /// <summary>Every openEO route this server maps (but the capabilities' own), its methods together, as the capabilities list them.</summary>
    private static JsonArray Endpoints(EndpointDataSource routes)
    {
        var methods = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var endpoint in routes.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (!pattern.StartsWith(Root + "/", StringComparison.Ordinal) || pattern.Length <= Root.Length + 1)
            {
                continue;
            }
            var path = pattern[Root.Length..].TrimEnd('/');
            var set = methods.TryGetValue(path, out var known) ? known : methods[path] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                set.Add(method);
            }
        }
        return new JsonArray(methods.Select(m => (JsonNode?)new JsonObject { ["path"] = m.Key, ["methods"] = Strings(m.Value) }).ToArray());
    }

    private static IResult FileFormats() => Json(new JsonObject
    {
        ["input"] = new JsonObject
        {
            ["GTiff"] = new JsonObject
            {
                ["title"] = "GeoTIFF",
                ["description"] = "GeoTIFF and Cloud-Optimized GeoTIFF: the formats of the catalog's assets and of uploaded files.",
                ["gis_data_types"] = Strings(["raster"]),
                ["parameters"] = new JsonObject(),
            },
        },
        ["output"] = new JsonObject(Tessera.Processing.Graphs.Evaluation.ResultWriter.Formats.Select(f => KeyValuePair.Create(f.Format, (JsonNode?)OutputFormat(f.Format, f.Kind)))),
    });

    private static JsonObject OutputFormat(string format, string kind) => kind == "vector"
        ? new JsonObject
        {
            ["title"] = format switch { "GPKG" => "GeoPackage", "CSV" => "Comma-separated values", "GeoJSON" => "GeoJSON", _ => "JSON (GeoJSON)" },
            ["description"] = "The values of a vector cube (aggregate_spatial): one row per geometry and time, the geometry's properties, " +
                "geometry_index, t, and one column per band" + (format == "CSV" ? " (no geometry)." : ", with the geometry in WGS 84."),
            ["gis_data_types"] = Strings(["vector"]),
            ["parameters"] = new JsonObject(),
        }
        : format == "netCDF" ? new JsonObject
        {
            ["title"] = "netCDF (CF)",
            ["description"] = "One Float32 variable per band label over (t, y, x): the cube keeps its times; NaN as _FillValue, coordinates and grid mapping as CF says.",
            ["gis_data_types"] = Strings(["raster"]),
            ["parameters"] = new JsonObject(),
        }
        : format == "PNG" ? new JsonObject
        {
            ["title"] = "PNG",
            ["description"] = "One to four bands of bytes (values rounded and clamped to 0-255: scale them first), or one band rendered with colormap and rescale; one time.",
            ["gis_data_types"] = Strings(["raster"]),
            ["parameters"] = ImageParameters(),
        }
        : new JsonObject
        {
            ["title"] = format == "COG" ? "Cloud-Optimized GeoTIFF" : "GeoTIFF (written cloud-optimized)",
            ["description"] = "One band per label of the cube's bands dimension, Float32, NaN as nodata; the cube must have one time at most.",
            ["gis_data_types"] = Strings(["raster"]),
            ["parameters"] = OutputParameters(format == "COG"),
        };

    /// <summary>The options save_result takes for a GeoTIFF (<see cref="Tessera.Processing.Graphs.Evaluation.GeoTiffOptions"/>).</summary>
    private static JsonObject OutputParameters(bool cog)
    {
        var parameters = new JsonObject
        {
            ["compress"] = new JsonObject
            {
                ["description"] = "Compression: jpeg stores 8-bit values (scale them to 0-255 first); the default is ZSTD.",
                ["type"] = "string", ["enum"] = Strings(["deflate", "zstd", "lzw", "jpeg", "none"]),
            },
            ["jpeg_quality"] = new JsonObject
            {
                ["description"] = "JPEG quality, with compress jpeg.", ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 100, ["default"] = 75,
            },
        };
        foreach (var (name, schema) in ImageParameters())
        {
            parameters[name] = schema!.DeepClone();
        }
        if (!cog)
        {
            parameters["tiled"] = new JsonObject { ["description"] = "Tiles (512 x 512) rather than strips.", ["type"] = "boolean", ["default"] = true };
            parameters["photometric"] = new JsonObject
            {
                ["description"] = "Photometric interpretation; RGB and YCBCR (with jpeg) need three bands.",
                ["type"] = "string", ["enum"] = Strings(["MINISBLACK", "RGB", "YCBCR"]),
            };
        }
        return parameters;
    }

    /// <summary>The options that render a one-band cube in colour (GeoTIFF and PNG).</summary>
    private static JsonObject ImageParameters() => new()
    {
        ["colormap"] = new JsonObject
        {
            ["description"] = "Renders a cube of one band as an RGB image of bytes along this colour ramp (with rescale); nodata stays 0.",
            ["type"] = "string", ["enum"] = Strings([.. Tessera.Raster.Rendering.Colormap.All.Select(c => c.Name)]),
        },
        ["rescale"] = new JsonObject
        {
            ["description"] = "With colormap: [min, max], the values at the two ends of the ramp (values beyond take the end colours).",
            ["type"] = "array", ["items"] = new JsonObject { ["type"] = "number" }, ["minItems"] = 2, ["maxItems"] = 2,
        },
    };

    /// <summary>openEO's basic credentials: any user name, an API token as the password; the token is the access token.</summary>
    private static IResult BasicCredentials(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || TokenAuthentication.BasicPassword(header[6..].Trim()) is not { } token)
        {
            return Api.ApiErrors.Problem(StatusCodes.Status403Forbidden, "send HTTP basic credentials: any user name, an API token as the password",
                "AuthenticationSchemeInvalid");
        }
        return Json(new JsonObject { ["access_token"] = token });
    }

    private static IResult Me(HttpContext context)
    {
        var caller = Caller.Of(context);
        return Json(new JsonObject
        {
            ["user_id"] = caller.User,
            ["name"] = caller.User,
            ["links"] = new JsonArray(StacItems.Link("related", $"{Base(context)}/", "text/html", "Tessera's web page")),
        });
    }

    private static async Task<IResult> Collections(HttpContext context, ISceneCatalog catalog, CancellationToken cancellationToken)
    {
        var b = Base(context);
        var extents = await catalog.ExtentsAsync(null, Caller.Of(context).Visibility, cancellationToken);
        var all = new JsonArray();
        foreach (var collection in (await catalog.ListCollectionsAsync(cancellationToken)).Where(OpenEoCollections.IsLoadable))
        {
            all.Add(OpenEoCollections.Describe(collection, extents.GetValueOrDefault(collection.Id), b));
        }
        return Json(new JsonObject
        {
            ["collections"] = all,
            ["links"] = new JsonArray(StacItems.Link("self", $"{b}{Root}/collections", "application/json"),
                StacItems.Link("root", $"{b}{Root}/", "application/json")),
        });
    }

    private static async Task<IResult> Collection(HttpContext context, string collection_id, ISceneCatalog catalog, CancellationToken cancellationToken)
    {
        var collection = await catalog.GetCollectionAsync(collection_id, cancellationToken) is { } found && OpenEoCollections.IsLoadable(found) ? found
            : throw new OpenEoException(StatusCodes.Status404NotFound, "CollectionNotFound", $"collection '{collection_id}' does not exist");
        var extents = await catalog.ExtentsAsync([collection.Id], Caller.Of(context).Visibility, cancellationToken);
        return Json(OpenEoCollections.Describe(collection, extents.GetValueOrDefault(collection.Id), Base(context)));
    }
}
