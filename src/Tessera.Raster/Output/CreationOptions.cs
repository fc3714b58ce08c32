namespace Tessera.Raster.Output;

/// <summary>Merges GDAL creation options: later NAME=VALUE pairs replace earlier ones of the same NAME.</summary>
public static class CreationOptions
{
    public static List<string> Merge(IEnumerable<string> defaults, IEnumerable<string> overrides)
    {
        var merged = new List<KeyValuePair<string, string>>();
        foreach (var option in defaults.Concat(overrides))
        {
            var eq = option.IndexOf('=');
            if (eq <= 0)
            {
                throw new RasterArgumentException($"creation option '{option}' is not NAME=VALUE");
            }
            var name = option[..eq].Trim();
            merged.RemoveAll(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase));
            merged.Add(new(name, option[(eq + 1)..]));
        }
        return merged.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }

    /// <summary>The value of an option in a list, or null.</summary>
    public static string? Find(IEnumerable<string> options, string name) =>
        options.Select(o => o.Split('=', 2)).Where(p => p.Length == 2 && string.Equals(p[0].Trim(), name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1]).LastOrDefault();
}
