using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs;

/// <summary>
/// What a process of the openEO API is: its id, summary, description (CommonMark), categories, parameters and what it
/// returns, as <c>GET /processes</c> lists it. Processes of Tessera's own operations carry the namespace
/// <see cref="ProcessRegistry.TesseraNamespace"/>; openEO's predefined processes have none. The JSON names the namespace
/// (<c>namespace</c>, as a process graph's node does) when there is one.
/// </summary>
public sealed record ProcessDescription(string Id, string Summary, string Description, IReadOnlyList<string> Categories,
    IReadOnlyList<ProcessParameter> Parameters, string ReturnsDescription, JsonNode ReturnsSchema, string? Namespace = null)
{
    /// <summary>The parameter of that name, or null.</summary>
    public ProcessParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>Whether the process is still a proposal that may change (openEO's <c>experimental</c>).</summary>
    public bool Experimental { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = Id };
        if (Namespace is not null)
        {
            json["namespace"] = Namespace;
        }
        json["summary"] = Summary;
        json["description"] = Description;
        json["categories"] = new JsonArray(Categories.Select(c => (JsonNode?)c).ToArray());
        json["parameters"] = new JsonArray(Parameters.Select(p => (JsonNode?)p.ToJson()).ToArray());
        json["returns"] = new JsonObject { ["description"] = ReturnsDescription, ["schema"] = ReturnsSchema.DeepClone() };
        if (Experimental)
        {
            json["experimental"] = true;
        }
        return json;
    }
}
