using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Catalog.Stac;

/// <summary>Numbers of JSON documents, whether parsed (any number) or built in code (an int, a double, ...).</summary>
internal static class JsonNumbers
{
    public static bool IsNumber(JsonNode? node) => node?.GetValueKind() == JsonValueKind.Number;

    public static double ToDouble(JsonNode node) => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
