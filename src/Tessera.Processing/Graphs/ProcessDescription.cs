using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs;

/// <summary>
/// What a process of the openEO API is: its id, summary, description (CommonMark), categories, parameters and what it
/// returns, as <c>GET /processes</c> lists it. Processes of Tessera's own operations carry the namespace
/// <see cref="ProcessRegistry.TesseraNamespace"/>; openEO's predefined processes have none.
/// </summary>
public sealed record ProcessDescription(string Id, string Summary, string Description, IReadOnlyList<string> Categories,
    IReadOnlyList<ProcessParameter> Parameters, string ReturnsDescription, JsonNode ReturnsSchema, string? Namespace = null)
{
    /// <summary>The parameter of that name, or null.</summary>
    public ProcessParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["summary"] = Summary,
        ["description"] = Description,
        ["categories"] = new JsonArray(Categories.Select(c => (JsonNode?)c).ToArray()),
        ["parameters"] = new JsonArray(Parameters.Select(p => (JsonNode?)p.ToJson()).ToArray()),
        ["returns"] = new JsonObject { ["description"] = ReturnsDescription, ["schema"] = ReturnsSchema.DeepClone() },
    };
}
