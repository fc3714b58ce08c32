using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Processing.Operations;

namespace Tessera.Cli.Commands;

/// <summary>
/// The parameters of <c>tessera submit</c>: <c>--params JSON</c> and any number of <c>-p NAME=VALUE</c>, each value
/// typed as the operation defines it (a number, true/false, GeoJSON text or <c>@FILE</c>, else text). Names the type
/// does not take are refused here; values are checked by the service.
/// </summary>
internal static class SubmitParameters
{
    public static JsonObject Of(Operation operation, string? json, IReadOnlyList<string> pairs)
    {
        JsonObject result;
        try
        {
            result = json is null ? [] : JsonNode.Parse(json) as JsonObject ?? throw new UsageException("--params: a JSON object");
        }
        catch (JsonException e)
        {
            throw new UsageException($"--params: not valid JSON ({e.Message})");
        }
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new UsageException($"-p {pair}: expected NAME=VALUE");
            }
            var name = pair[..eq];
            var text = pair[(eq + 1)..];
            var parameter = operation.Parameters.FirstOrDefault(p => p.Name == name) ?? throw new UsageException(
                $"-p {name}: not a parameter of {operation.Name}; it takes {Listing.And(operation.Parameters.Select(p => p.Name).ToList())}");
            if (result.ContainsKey(name))
            {
                throw new UsageException($"-p {name}: given twice");
            }
            result[name] = Value(parameter, text, pair);
        }
        return result;
    }

    private static JsonNode? Value(Parameter parameter, string text, string pair) => parameter.Type switch
    {
        ParameterType.StoredFile => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1
            ? JsonValue.Create(id)
            : throw new UsageException($"-p {pair}: {parameter.Name} is {parameter.Expected}"),
        ParameterType.Number or ParameterType.Integer => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            ? JsonValue.Create(x)
            : throw new UsageException($"-p {pair}: {parameter.Name} is {parameter.Expected}"),
        ParameterType.Boolean => text.ToLowerInvariant() switch
        {
            "true" or "yes" or "1" => JsonValue.Create(true),
            "false" or "no" or "0" => JsonValue.Create(false),
            _ => throw new UsageException($"-p {pair}: {parameter.Name} is true or false"),
        },
        ParameterType.GeoJson => JsonValue.Create(text.StartsWith('@') ? ReadFile(text[1..], pair) : text),
        _ => JsonValue.Create(text),
    };

    private static string ReadFile(string path, string pair) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new UsageException($"-p {pair}: {path}: file not found");
}
