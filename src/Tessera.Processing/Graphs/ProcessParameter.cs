using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs;

/// <summary>
/// A parameter of an openEO process: its name, what it is for, the JSON Schema of the values it takes (openEO's
/// subtypes such as <c>datacube</c> with the dimensions it must have, <c>bounding-box</c> or <c>process-graph</c>
/// included), and whether it may be left out (then <paramref name="Default"/> applies; a JSON <c>null</c> default is a
/// C# null).
/// </summary>
public sealed record ProcessParameter(string Name, string Description, JsonNode Schema, bool Optional = false, JsonNode? Default = null)
{
    /// <summary>Whether an optional parameter has no default at all (not even <c>null</c>): leaving it out means "not
    /// given", as for <c>array_element</c>'s <c>index</c> and <c>label</c>, of which exactly one is given.</summary>
    public bool WithoutDefault { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["name"] = Name, ["description"] = Description, ["schema"] = Schema.DeepClone() };
        if (Optional)
        {
            json["optional"] = true;
        }
        if (Optional && !WithoutDefault)
        {
            json["default"] = Default?.DeepClone();
        }
        return json;
    }
}
