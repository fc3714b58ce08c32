using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tessera.Catalog.Converters;

/// <summary>The conditions selectors are made of: the asset's file name, kind and media type, the item's platform and properties.</summary>
public static class Matches
{
    /// <summary>The asset's file name (<see cref="ConversionInput.FileName"/>) matches <paramref name="pattern"/>, case aside.</summary>
    public static Func<ConversionInput, bool> FileName(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return input => regex.IsMatch(input.FileName);
    }

    /// <summary>The asset's key matches <paramref name="pattern"/>, case aside.</summary>
    public static Func<ConversionInput, bool> Key(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return input => regex.IsMatch(input.Asset.Key);
    }

    /// <summary>The file is one of these kinds by its first bytes.</summary>
    public static Func<ConversionInput, bool> Kind(params FileKind[] kinds) => input => kinds.Contains(input.Kind);

    /// <summary>The asset's media type is one of these, parameters aside ("image/tiff; application=geotiff" is "image/tiff").</summary>
    public static Func<ConversionInput, bool> MediaType(params string[] types) => input =>
        input.Asset.MediaType?.Split(';')[0].Trim() is { } type && types.Contains(type, StringComparer.OrdinalIgnoreCase);

    /// <summary>The item's platform starts with <paramref name="prefix"/> ("sentinel-2" for sentinel-2a and -2b), case aside.</summary>
    public static Func<ConversionInput, bool> Platform(string prefix) => input =>
        input.Item.Platform?.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The item has the property <paramref name="name"/> as a number (or a text holding one) at least <paramref name="minimum"/>.</summary>
    public static Func<ConversionInput, bool> PropertyAtLeast(string name, double minimum) => input =>
        input.Item.Properties[name] is JsonValue value && Number(value) is { } number && number >= minimum;

    /// <summary>The item has the property <paramref name="name"/> as a number (or a text holding one) below <paramref name="limit"/>.</summary>
    public static Func<ConversionInput, bool> PropertyBelow(string name, double limit) => input =>
        input.Item.Properties[name] is JsonValue value && Number(value) is { } number && number < limit;

    /// <summary>Every one of the conditions holds.</summary>
    public static Func<ConversionInput, bool> All(params Func<ConversionInput, bool>[] conditions) => input => conditions.All(c => c(input));

    private static double? Number(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.Number => Stac.JsonNumbers.ToDouble(value),
        JsonValueKind.String => double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null,
        _ => null,
    };
}
