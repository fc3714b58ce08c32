using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Processing.Indices;
using Tessera.Processing.Operations;
using static Tessera.Processing.Graphs.Descriptions.ProcessSchemas;

namespace Tessera.Processing.Graphs.Descriptions;

/// <summary>
/// Tessera's operations as processes in namespace <see cref="ProcessRegistry.TesseraNamespace"/>, read from their
/// definitions in <see cref="OperationCatalog"/> as <c>GET /processtask/types</c> reads them: the id is the operation's
/// name in lower snake case; the parameters are one raster cube per input role (named by the role), or, for an operation
/// that takes any names, one object of named raster cubes (<see cref="NamedInputs"/>), then one per operation parameter,
/// its JSON Schema made from its type, range and choices. A parameter the operation fills in itself when it is left out
/// also takes <c>null</c> (its default), as openEO's parameters do; null means "left out". The result is a raster cube,
/// or a vector cube for an operation whose result is a table.
/// </summary>
public static class OperationProcesses
{
    /// <summary>The parameter that takes the inputs of an operation without fixed roles: names to raster cubes, in order.</summary>
    public const string NamedInputs = "data";

    public static IReadOnlyList<ProcessDescription> All { get; } = OperationCatalog.All.Select(Describe).ToList();

    /// <summary>The process id of an operation: its name in lower snake case (Cloud_Remove → cloud_remove, NDVI → ndvi).</summary>
    public static string IdOf(Operation operation)
    {
        var name = operation.Name;
        var id = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                id.Append('_');
                continue;
            }
            if (char.IsUpper(c) && i > 0 && char.IsLower(name[i - 1]))
            {
                id.Append('_');
            }
            id.Append(char.ToLowerInvariant(c));
        }
        return id.ToString();
    }

    /// <summary>The operation a process of namespace <c>tessera</c> runs, or null.</summary>
    public static Operation? OperationOf(string id) => OperationCatalog.All.FirstOrDefault(o => IdOf(o) == id);

    public static ProcessDescription Describe(Operation operation)
    {
        var parameters = new List<ProcessParameter>();
        if (operation.Inputs.FreeRoles)
        {
            var count = operation.Inputs.MinInputs <= 1 ? "one or more raster data cubes"
                : $"at least {operation.Inputs.MinInputs.ToString(CultureInfo.InvariantCulture)} raster data cubes";
            parameters.Add(new ProcessParameter(NamedInputs,
                Sentence(operation.Inputs.Description ?? "the inputs") + $" An object of {count}, in order, each under its name.",
                new JsonObject { ["type"] = "object", ["additionalProperties"] = RasterCube() }));
        }
        foreach (var role in operation.Inputs.Roles)
        {
            parameters.Add(new ProcessParameter(role.Name, Sentence(role.Description) + (role.OneBand ? " A raster data cube of one band." : ""),
                RasterCube()));
        }
        parameters.AddRange(operation.Parameters.Select(ParameterOf));
        var table = operation.Output == OutputKind.Table;
        return new ProcessDescription(IdOf(operation), operation.Title,
            $"{Stop(operation.Description)}\n\nTessera's operation {operation.Name} (processing type " +
            $"{operation.Number.ToString(CultureInfo.InvariantCulture)}), in namespace `{ProcessRegistry.TesseraNamespace}`: a process graph " +
            $"calls it with `\"namespace\": \"{ProcessRegistry.TesseraNamespace}\"`.",
            operation is IndexOperation ? ["cubes", "math > indices", ProcessRegistry.TesseraNamespace] : ["cubes", ProcessRegistry.TesseraNamespace],
            parameters,
            table ? "The table of results, as a vector data cube." : "The result, a raster data cube.",
            table ? VectorCube() : RasterCube(),
            ProcessRegistry.TesseraNamespace);
    }

    /// <summary>A parameter of an operation as a process parameter: optional unless required, its default, its schema.</summary>
    public static ProcessParameter ParameterOf(Parameter parameter)
    {
        var description = Sentence(parameter.Description) + (parameter.Unit is { } unit ? $" Unit: {unit}." : "");
        if (parameter.Required)
        {
            return new ProcessParameter(parameter.Name, description, SchemaOf(parameter));
        }
        if (parameter.Default is { } fallback)
        {
            return new ProcessParameter(parameter.Name, description, SchemaOf(parameter), Optional: true, Default: ValueOf(fallback));
        }
        return new ProcessParameter(parameter.Name, description,
            OneOf(SchemaOf(parameter), Null("Default", "Left to the operation, as the description says.")), Optional: true);
    }

    /// <summary>The JSON Schema of a parameter's values: its type, range and choices.</summary>
    public static JsonObject SchemaOf(Parameter parameter) => parameter.Type switch
    {
        ParameterType.Number => Ranged(Type("number"), parameter),
        ParameterType.Integer => Ranged(Type("integer"), parameter),
        ParameterType.StoredFile => new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["description"] = parameter.Expected },
        ParameterType.Boolean => Type("boolean"),
        ParameterType.Choice => new JsonObject
        {
            ["type"] = "string", ["enum"] = new JsonArray((parameter.Choices ?? []).Select(c => (JsonNode?)c).ToArray()),
        },
        ParameterType.GeoJson => GeoJson(),
        ParameterType.NumberList => new JsonObject { ["type"] = "array", ["items"] = Ranged(Type("number"), parameter) },
        ParameterType.IntegerList => new JsonObject { ["type"] = "array", ["items"] = Ranged(Type("integer"), parameter) },
        ParameterType.Box => new JsonObject
        {
            ["type"] = "array", ["minItems"] = 4, ["maxItems"] = 4, ["items"] = Type("number"),
            ["description"] = "West, south, east, north.",
        },
        _ => Type("string"),
    };

    private static JsonObject Ranged(JsonObject schema, Parameter parameter)
    {
        if (parameter.Minimum is { } min)
        {
            schema[parameter.MinimumExcluded ? "exclusiveMinimum" : "minimum"] = min;
        }
        if (parameter.Maximum is { } max)
        {
            schema["maximum"] = max;
        }
        return schema;
    }

    private static JsonNode? ValueOf(object value) => value switch
    {
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>An operation's phrase as a sentence: a capital first letter and a final full stop.</summary>
    private static string Sentence(string text)
    {
        var stopped = Stop(text);
        return stopped.Length == 0 ? stopped : char.ToUpperInvariant(stopped[0]) + stopped[1..];
    }

    /// <summary>The text with a final full stop (an operation's description may start with a formula, left as it is).</summary>
    private static string Stop(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 || trimmed.EndsWith('.') ? trimmed : trimmed + ".";
    }
}
