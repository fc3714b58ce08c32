using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs;

/// <summary>
/// Whether a value written in a graph fits a parameter's JSON Schema: the part of JSON Schema process descriptions use
/// (<c>type</c>, <c>enum</c>, <c>minimum</c>/<c>maximum</c>, <c>minItems</c>/<c>maxItems</c>, <c>items</c>,
/// <c>required</c> and <c>properties</c>, <c>anyOf</c>/<c>oneOf</c> and a list of schemas meaning any of them).
/// openEO's subtypes are not checked here: the processes that take them read those values themselves.
/// </summary>
public static class ValueSchema
{
    /// <summary>Null when the value fits; else why not.</summary>
    public static string? Check(JsonNode? value, JsonNode? schema)
    {
        switch (schema)
        {
            case null:
                return null;
            case JsonArray alternatives:
                return AnyOf(value, alternatives);
            case JsonObject s:
                if (s["anyOf"] is JsonArray any && AnyOf(value, any) is { } anyProblem)
                {
                    return anyProblem;
                }
                if (s["oneOf"] is JsonArray one && AnyOf(value, one) is { } oneProblem)
                {
                    return oneProblem;
                }
                return Single(value, s);
            default:
                return null;
        }
    }

    private static string? AnyOf(JsonNode? value, JsonArray schemas)
    {
        string? first = null;
        foreach (var schema in schemas)
        {
            if (Check(value, schema) is not { } problem)
            {
                return null;
            }
            first ??= problem;
        }
        return schemas.Count == 1 ? first : $"{Show(value)} is none of the kinds of value it takes ({string.Join(", ", schemas.Select(Kind).Distinct())})";
    }

    private static string? Single(JsonNode? value, JsonObject schema)
    {
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        if (schema["type"] is { } type)
        {
            var types = type is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!types.Any(t => Fits(value, kind, t)))
            {
                return $"{Show(value)} is not {string.Join(" or ", types.Select(Article))}";
            }
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            return $"{Show(value)} is not one of {string.Join(", ", allowed.Select(Show))}";
        }
        if (kind == JsonValueKind.Number)
        {
            var number = Number(value!);
            if (schema["minimum"] is JsonValue min && number < Number(min))
            {
                return $"{Show(value)} is below the minimum {min}";
            }
            if (schema["maximum"] is JsonValue max && number > Number(max))
            {
                return $"{Show(value)} is above the maximum {max}";
            }
        }
        if (value is JsonArray array)
        {
            if (schema["minItems"] is JsonValue minItems && array.Count < Number(minItems))
            {
                return $"it has {array.Count} elements, at least {minItems} are needed";
            }
            if (schema["maxItems"] is JsonValue maxItems && array.Count > Number(maxItems))
            {
                return $"it has {array.Count} elements, at most {maxItems} are taken";
            }
            if (schema["items"] is JsonObject items)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    if (Check(array[i], items) is { } problem)
                    {
                        return $"element {i}: {problem}";
                    }
                }
            }
        }
        if (value is JsonObject obj)
        {
            foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()))
            {
                if (!obj.ContainsKey(required))
                {
                    return $"it has no '{required}'";
                }
            }
            if (schema["properties"] is JsonObject properties)
            {
                foreach (var (name, propertySchema) in properties)
                {
                    if (obj.TryGetPropertyValue(name, out var property) && Check(property, propertySchema) is { } problem)
                    {
                        return $"{name}: {problem}";
                    }
                }
            }
        }
        return null;
    }

    /// <summary>A number however its node holds it (parsed, or made from an int or a double).</summary>
    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static bool Fits(JsonNode? value, JsonValueKind kind, string type) => type switch
    {
        "null" => kind == JsonValueKind.Null,
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "string" => kind == JsonValueKind.String,
        "number" => kind == JsonValueKind.Number,
        "integer" => kind == JsonValueKind.Number && Math.Abs(Number(value!) % 1) == 0,
        "array" => kind == JsonValueKind.Array,
        "object" => kind == JsonValueKind.Object,
        _ => true,
    };

    private static string Kind(JsonNode? schema) => schema switch
    {
        JsonObject s when s["subtype"] is JsonValue subtype => subtype.GetValue<string>(),
        JsonObject s when s["type"] is JsonValue type => type.GetValue<string>(),
        JsonObject s when s["type"] is JsonArray types => string.Join("/", types.Select(t => t!.GetValue<string>())),
        _ => "any",
    };

    private static string Article(string type) => type switch
    {
        "array" or "object" or "integer" => "an " + type,
        "null" => "null",
        _ => "a " + type,
    };

    private static string Show(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
