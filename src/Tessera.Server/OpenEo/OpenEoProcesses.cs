using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Catalog.Stac;
using Tessera.Processing.Graphs;
using Tessera.Server.Access;

namespace Tessera.Server.OpenEo;

/// <summary>
/// <c>GET /processes</c> of the openEO API: every process a graph may call (<see cref="ProcessRegistry.Runnable"/>), as
/// <see cref="ProcessDescription.ToJson"/> writes it, for anyone (process discovery needs no credentials). Not paginated:
/// the list is short and always whole.
/// <para>
/// The API's process object has no namespace (only a process graph's nodes name one), but it allows members of its
/// own, so Tessera's processes are listed here too, each with a <c>namespace</c> member (<c>tessera</c>) and a description
/// that says to call it with <c>"namespace": "tessera"</c>. Their ids may be those of predefined processes (<c>ndvi</c>):
/// they come first, before openEO's predefined processes, so that a client that keeps processes by id alone (as openEO's
/// web editor does) ends with the predefined process, the one a node without a namespace calls.
/// </para>
/// </summary>
public static class OpenEoProcesses
{
    public static void MapOpenEoProcesses(this RouteGroupBuilder api) => api.MapGet("/processes", List).AllowAnyone();

    /// <summary>The processes in the order the list gives them: Tessera's, then openEO's predefined ones.</summary>
    public static IEnumerable<ProcessDescription> Listed =>
        ProcessRegistry.Runnable.Where(p => p.Namespace is not null).Concat(ProcessRegistry.Runnable.Where(p => p.Namespace is null));

    private static IResult List(HttpContext context)
    {
        var b = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        var document = new JsonObject
        {
            ["processes"] = new JsonArray(Listed.Select(p => (JsonNode?)p.ToJson()).ToArray()),
            ["links"] = new JsonArray(
                StacItems.Link("self", $"{b}{OpenEoApi.Root}/processes", "application/json"),
                StacItems.Link("root", $"{b}{OpenEoApi.Root}/", "application/json")),
        };
        return Results.Text(document.ToJsonString(), "application/json", Encoding.UTF8);
    }
}
