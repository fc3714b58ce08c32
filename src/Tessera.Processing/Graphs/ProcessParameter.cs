using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs;

/// <summary>
/// A parameter of an openEO process: its name, what it is for, the JSON Schema of the values it takes (openEO's
/// subtypes such as <c>raster-cube</c>, <c>bounding-box</c> or <c>process-graph</c> included), and whether it may be
/// left out (then <paramref name="Default"/> applies).
/// </summary>
public sealed record ProcessParameter(string Name, string Description, JsonNode Schema, bool Optional = false, JsonNode? Default = null)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["name"] = Name, ["description"] = Description, ["schema"] = Schema.DeepClone() };
        if (Optional)
        {
            json["optional"] = true;
            json["default"] = Default?.DeepClone();
        }
        return json;
    }
}
