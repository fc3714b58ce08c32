using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tessera.Processing.Graphs.UserDefined;

/// <summary>
/// A user-defined process (openEO's <c>PUT /process_graphs/{id}</c>): its id, its signature (parameters and what it
/// returns, as a <see cref="ProcessDescription"/> in namespace <see cref="Namespace"/>, against which a node calling it
/// is checked), its graph (whose <c>from_parameter</c>s name its parameters) and the document as stored (canonical
/// JSON, the id the one of the path). Immutable; made only by <see cref="Parse"/>, which refuses what is not one.
/// </summary>
public sealed partial record UserProcess
{
    /// <summary>The namespace a node names to call only user-defined processes.</summary>
    public const string Namespace = "user";

    /// <summary>The fields of a process the API defines; any other is refused.</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        "id", "summary", "description", "categories", "parameters", "returns", "deprecated", "experimental", "exceptions", "examples", "links",
        "process_graph",
    ];

    private static readonly string[] ParameterFields = ["name", "description", "schema", "optional", "default", "deprecated", "experimental"];

    [GeneratedRegex(@"^\w+$")]
    private static partial Regex IdPattern();

    private UserProcess(string id, ProcessDescription signature, ProcessGraph graph, string json)
    {
        Id = id;
        Signature = signature;
        Graph = graph;
        Json = json;
    }

    public string Id { get; }

    /// <summary>What a node calling it may pass (its parameters, with their defaults) and what it returns.</summary>
    public ProcessDescription Signature { get; }

    public ProcessGraph Graph { get; }

    /// <summary>The stored document, with its id.</summary>
    public string Json { get; }

    /// <summary>Whether the id is one openEO takes for a process (letters, digits and _).</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>
    /// The process of that id from a request's body: the API's fields only, each of its kind, the graph read
    /// (<see cref="GraphParser"/>), the parameters named once each. The body's own <c>id</c>, if any, is replaced by
    /// <paramref name="id"/>. Whether the graph's processes exist is not checked here (<see cref="GraphChecker"/> does).
    /// </summary>
    public static UserProcess Parse(string id, JsonNode? body)
    {
        if (!IsValidId(id))
        {
            throw Invalid($"'{Shorten(id)}' is not an id of a process: letters, digits and _ only");
        }
        if (body is not JsonObject process)
        {
            throw Invalid("give the process as an object {\"process_graph\": {...}, \"parameters\": [...], ...}");
        }
        foreach (var (key, _) in process)
        {
            if (!Fields.Contains(key))
            {
                throw Invalid($"'{key}' is not a field of a process (known: {string.Join(", ", Fields)})");
            }
        }
        if (process["id"] is { } given && given.GetValueKind() != JsonValueKind.String)
        {
            throw Invalid("id: a string or null");
        }
        var summary = OptionalText(process, "summary");
        var description = OptionalText(process, "description");
        var categories = process["categories"] switch
        {
            null => [],
            JsonArray a when a.All(c => c?.GetValueKind() == JsonValueKind.String) => a.Select(c => c!.GetValue<string>()).ToList(),
            _ => throw Invalid("categories: an array of strings"),
        };
        foreach (var flag in new[] { "deprecated", "experimental" })
        {
            if (process[flag] is { } f && f.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Invalid($"{flag}: true or false");
            }
        }
        if (process["exceptions"] is { } exceptions && exceptions is not JsonObject)
        {
            throw Invalid("exceptions: an object of error codes");
        }
        foreach (var list in new[] { "examples", "links" })
        {
            if (process[list] is { } l && l is not JsonArray)
            {
                throw Invalid($"{list}: an array");
            }
        }
        var parameters = Parameters(process["parameters"]);
        var (returnsDescription, returnsSchema) = Returns(process["returns"]);
        if (process["process_graph"] is not JsonObject nodes)
        {
            throw new GraphException("ProcessGraphMissing", "give the process's nodes as {\"process_graph\": {...}}");
        }
        var graph = GraphParser.Parse(nodes);
        var document = new JsonObject { ["id"] = id };
        foreach (var (key, value) in process)
        {
            if (key != "id")
            {
                document[key] = value?.DeepClone();
            }
        }
        var signature = new ProcessDescription(id, summary ?? "", description ?? "", categories, parameters, returnsDescription, returnsSchema, Namespace);
        return new UserProcess(id, signature, graph, document.ToJsonString());
    }

    private static List<ProcessParameter> Parameters(JsonNode? node)
    {
        if (node is null)
        {
            return [];
        }
        if (node is not JsonArray list)
        {
            throw Invalid("parameters: an array of parameters {name, description, schema, optional, default}");
        }
        var parameters = new List<ProcessParameter>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject p)
            {
                throw Invalid($"parameters[{i}]: a parameter is an object {{name, description, schema, optional, default}}");
            }
            foreach (var (key, _) in p)
            {
                if (!ParameterFields.Contains(key))
                {
                    throw Invalid($"parameters[{i}]: '{key}' is not a field of a parameter (known: {string.Join(", ", ParameterFields)})");
                }
            }
            var name = p["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null;
            if (name is null || !IsValidId(name))
            {
                throw Invalid($"parameters[{i}].name: give a name of letters, digits and _");
            }
            if (parameters.Any(q => q.Name == name))
            {
                throw Invalid($"parameters[{i}]: '{name}' is named twice");
            }
            var description = OptionalText(p, "description", $"parameters[{i}].") ?? "";
            var schema = p["schema"] ?? new JsonObject();
            if (SchemaProblem(schema) is { } problem)
            {
                throw Invalid($"parameters[{i}].schema: {problem}");
            }
            var optional = p["optional"] switch
            {
                null => false,
                JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
                _ => throw Invalid($"parameters[{i}].optional: true or false"),
            };
            var hasDefault = p.ContainsKey("default");
            if (hasDefault && ValueSchema.Check(p["default"], schema) is { } wrong)
            {
                throw Invalid($"parameters[{i}].default: {wrong}");
            }
            // openEO: a parameter with a default is optional even when it does not say so.
            parameters.Add(new ProcessParameter(name, description, schema.DeepClone(), optional || hasDefault, p["default"]?.DeepClone())
            {
                WithoutDefault = !hasDefault,
            });
        }
        return parameters;
    }

    private static (string Description, JsonNode Schema) Returns(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return ("", new JsonObject());
            case JsonObject r:
                foreach (var (key, _) in r)
                {
                    if (key is not ("description" or "schema"))
                    {
                        throw Invalid($"returns: '{key}' is not a field of a return value (known: description, schema)");
                    }
                }
                var schema = r["schema"] ?? new JsonObject();
                if (SchemaProblem(schema) is { } problem)
                {
                    throw Invalid($"returns.schema: {problem}");
                }
                return (OptionalText(r, "description", "returns.") ?? "", schema.DeepClone());
            default:
                throw Invalid("returns: an object {description, schema}");
        }
    }

    /// <summary>Why a JSON Schema is not one the checker can read (the keywords it reads, of the kinds they are), or null.</summary>
    private static string? SchemaProblem(JsonNode? schema, int depth = 0)
    {
        if (depth > 32)
        {
            return "nested too deep";
        }
        switch (schema)
        {
            case JsonArray alternatives:
                return alternatives.Select(a => SchemaProblem(a, depth + 1)).FirstOrDefault(p => p is not null);
            case JsonObject s:
                if (s["type"] is { } type && !IsString(type) && !(type is JsonArray types && types.All(IsString)))
                {
                    return "type: a string or an array of strings";
                }
                if (s["subtype"] is { } subtype && !IsString(subtype))
                {
                    return "subtype: a string";
                }
                if (s["required"] is { } required && !(required is JsonArray names && names.All(IsString)))
                {
                    return "required: an array of strings";
                }
                foreach (var bound in new[] { "minimum", "maximum", "minItems", "maxItems" })
                {
                    if (s[bound] is { } b && b.GetValueKind() != JsonValueKind.Number)
                    {
                        return $"{bound}: a number";
                    }
                }
                if (s["enum"] is { } e && e is not JsonArray)
                {
                    return "enum: an array";
                }
                foreach (var nested in new[] { "items", "additionalProperties", "anyOf", "oneOf", "not" })
                {
                    if (s[nested] is { } n && n.GetValueKind() != JsonValueKind.True && n.GetValueKind() != JsonValueKind.False
                        && SchemaProblem(n, depth + 1) is { } problem)
                    {
                        return $"{nested}: {problem}";
                    }
                }
                if (s["properties"] is { } properties)
                {
                    if (properties is not JsonObject each)
                    {
                        return "properties: an object of schemas";
                    }
                    foreach (var (name, property) in each)
                    {
                        if (SchemaProblem(property, depth + 1) is { } problem)
                        {
                            return $"properties.{name}: {problem}";
                        }
                    }
                }
                if (s["parameters"] is { } callbackParameters && !(callbackParameters is JsonArray ps
                    && ps.All(p => p is JsonObject o && o["name"] is { } name && IsString(name))))
                {
                    return "parameters: an array of parameters, each with a name";
                }
                return null;
            default:
                return "a schema is an object (or an array of alternative schemas)";
        }
    }

    private static bool IsString(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String;

    private static string? OptionalText(JsonObject o, string name, string prefix = "") => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw Invalid($"{prefix}{name}: a string or null"),
    };

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;

    private static GraphException Invalid(string message) => new("ProcessGraphInvalid", message);
}
