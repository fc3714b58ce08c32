namespace Tessera.Catalog.Converters;

/// <summary>The files of converted assets: named after their asset keys, letters, digits, '-' and '_' only.</summary>
public static class OutputNames
{
    /// <summary>The COG file name of an asset key ("B04" is "B04.tif"; others than letters, digits, '-' and '_' become '_').</summary>
    public static string FileName(string key)
    {
        var safe = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return (safe.Length == 0 ? "asset" : safe) + ".tif";
    }
}
