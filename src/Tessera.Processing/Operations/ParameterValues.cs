using System.Globalization;
using System.Text.Json;
using Tessera.Processing.Stacking;
using Tessera.Raster;

namespace Tessera.Processing.Operations;

/// <summary>
/// An operation's parameters, parsed once against its definition: every name known, every value of its type and in
/// its range, defaults filled in. Errors name the field (<c>params.NAME: ...</c>).
/// </summary>
public sealed class ParameterValues
{
    private readonly Dictionary<string, object> _values;
    private readonly HashSet<string> _given;

    private ParameterValues(Dictionary<string, object> values, HashSet<string> given)
    {
        _values = values;
        _given = given;
    }

    /// <summary>Parses <paramref name="json"/> (an object; absent or null: no parameters) for <paramref name="operation"/>.</summary>
    public static ParameterValues Parse(string? json, Operation operation)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        }
        catch (JsonException)
        {
            throw Bad("params: not valid JSON");
        }
        using (doc)
        {
            return Parse(doc.RootElement, operation);
        }
    }

    public static ParameterValues Parse(JsonElement json, Operation operation)
    {
        if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            json = JsonDocument.Parse("{}").RootElement;
        }
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Bad("params: an object");
        }
        var byName = operation.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in json.EnumerateObject())
        {
            if (!byName.TryGetValue(property.Name, out var parameter))
            {
                var known = operation.Parameters.Select(p => p.Name).ToList();
                throw Bad($"params.{Shown(property.Name)}: not a parameter of {operation.Name} " +
                    (known.Count == 0 ? "(it takes none)" : $"(it takes {Listing.And(known)})"));
            }
            if (!given.Add(parameter.Name))
            {
                throw Bad($"params.{parameter.Name}: given twice");
            }
            values[parameter.Name] = Read(property.Value, parameter);
        }
        foreach (var parameter in operation.Parameters)
        {
            if (values.ContainsKey(parameter.Name))
            {
                continue;
            }
            if (parameter.Required)
            {
                throw Bad($"params.{parameter.Name}: required: {parameter.Description}");
            }
            if (parameter.Default is { } fallback)
            {
                values[parameter.Name] = fallback;
            }
        }
        var parsed = new ParameterValues(values, given);
        operation.CheckParameters(parsed);
        return parsed;
    }

    /// <summary>Whether the caller gave the parameter (not its default).</summary>
    public bool Given(string name) => _given.Contains(name);

    public double? Number(string name) => Get<double>(name);

    public int? Integer(string name) => Get<int>(name);

    public bool Flag(string name) => Get<bool>(name) ?? false;

    /// <summary>A text, choice, CRS, formula or GeoJSON parameter (GeoJSON as its text).</summary>
    public string? Text(string name) => _values.TryGetValue(name, out var v) ? (string)v : null;

    /// <summary>A stored file's id (<see cref="ParameterType.StoredFile"/>).</summary>
    public long? FileId(string name) => Get<long>(name);

    public IReadOnlyList<double>? Numbers(string name) => _values.TryGetValue(name, out var v) ? (IReadOnlyList<double>)v : null;

    public IReadOnlyList<int>? Integers(string name) => _values.TryGetValue(name, out var v) ? (IReadOnlyList<int>)v : null;

    /// <summary>A box parameter, in <paramref name="crs"/> (EPSG:4326 when null).</summary>
    public CropBox? Box(string name, string? crs) =>
        _values.TryGetValue(name, out var v) ? (CropBox)v with { Crs = string.IsNullOrWhiteSpace(crs) ? "EPSG:4326" : crs } : null;

    private T? Get<T>(string name) where T : struct => _values.TryGetValue(name, out var v) ? (T)v : null;

    private static object Read(JsonElement value, Parameter p)
    {
        var field = $"params.{p.Name}";
        if (value.ValueKind == JsonValueKind.Null)
        {
            throw Bad($"{field}: null is not a value; leave the parameter out for its default");
        }
        switch (p.Type)
        {
            case ParameterType.Number:
            {
                if (value.ValueKind != JsonValueKind.Number || !double.IsFinite(value.GetDouble()))
                {
                    throw Bad($"{field}: {p.Expected}");
                }
                return InRange(value.GetDouble(), p, field);
            }
            case ParameterType.Integer:
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n))
                {
                    throw Bad($"{field}: {p.Expected}");
                }
                InRange(n, p, field);
                return n;
            }
            case ParameterType.Boolean:
                return value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Bad($"{field}: true or false"),
                };
            case ParameterType.Choice:
            {
                var text = TextOf(value, field);
                return p.Choices!.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase))
                    ?? throw Bad($"{field}: '{Shown(text)}' is not {Listing.Or(p.Choices!)}");
            }
            case ParameterType.Crs:
            {
                var text = TextOf(value, field);
                try
                {
                    using (SpatialReference.FromUserInput(text))
                    {
                    }
                }
                catch (RasterException e)
                {
                    throw Bad($"{field}: {e.Message}");
                }
                return text;
            }
            case ParameterType.GeoJson:
                return GeoJson(value, field);
            case ParameterType.StoredFile:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var id) && id >= 1 ? id : throw Bad($"{field}: {p.Expected}");
            case ParameterType.NumberList:
                return ListOf(value, field, part =>
                    double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
                    && (p.Minimum is not { } min || x >= min) ? x
                    : throw Bad($"{field}: '{Shown(part)}' is not a {(p.Minimum == 0 ? "non-negative " : "")}number"));
            case ParameterType.IntegerList:
                return ListOf(value, field, part =>
                    int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var x)
                    && (p.Minimum is not { } min || x >= min) ? x
                    : throw Bad($"{field}: '{Shown(part)}' is not a whole number{(p.Minimum is { } m ? $" ({m.ToString(CultureInfo.InvariantCulture)} or more)" : "")}"));
            case ParameterType.Box:
            {
                var text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!,
                    JsonValueKind.Array => string.Join(',', value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number
                        ? v.GetDouble().ToString("R", CultureInfo.InvariantCulture) : "?")),
                    _ => throw Bad($"{field}: \"west,south,east,north\" or [west, south, east, north]"),
                };
                try
                {
                    return CropBox.Parse(text);
                }
                catch (RasterException e)
                {
                    throw Bad($"{field}: {e.Message}");
                }
            }
            default:
                return TextOf(value, field);
        }
    }

    private static double InRange(double x, Parameter p, string field) =>
        (p.Minimum is { } min && (x < min || (p.MinimumExcluded && x == min))) || (p.Maximum is { } max && x > max)
            ? throw Bad($"{field}: {p.Expected}")
            : x;

    private static string TextOf(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Bad($"{field}: a text");
        }
        var text = value.GetString()!.Trim();
        return text.Length > 0 ? text : throw Bad($"{field}: empty; leave the parameter out for its default");
    }

    private static List<T> ListOf<T>(JsonElement value, string field, Func<string, T> parse)
    {
        var parts = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Split(',').Select(s => s.Trim()).ToList(),
            JsonValueKind.Array => value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number
                ? v.GetRawText() : v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).ToList(),
            _ => throw Bad($"{field}: a list, as [1, 2] or \"1,2\""),
        };
        return parts.Select(parse).ToList();
    }

    /// <summary>A GeoJSON value (an object, or a string holding one) as text.</summary>
    private static string GeoJson(JsonElement value, string field)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("type", out _))
            {
                throw Bad($"{field}: a GeoJSON object (FeatureCollection, Feature or geometry)");
            }
        }
        catch (JsonException)
        {
            throw Bad($"{field}: not valid JSON; give a GeoJSON object");
        }
        return text;
    }

    /// <summary>A caller's text as a message may show it: short, no control characters.</summary>
    private static string Shown(string text)
    {
        var cut = text.Length > 40 ? text[..40] + "…" : text;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }

    private static OperationRequestException Bad(string message) => new(message);
}
