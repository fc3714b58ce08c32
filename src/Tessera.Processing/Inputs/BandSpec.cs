using Tessera.Raster;

namespace Tessera.Processing.Inputs;

/// <summary>
/// An input band as a user writes it: <c>PATH</c> (band 1), <c>PATH@N</c> (band N, 1-based) or
/// <c>PATH@NAME</c> (the band whose description is NAME, e.g. <c>stack.tif@B08</c>). A path that exists as
/// a file is taken whole even if it contains '@'.
/// </summary>
public sealed record BandSpec(string Path, string? Selector)
{
    public static BandSpec Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new RasterArgumentException("empty input path");
        }
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1 || File.Exists(text))
        {
            return new BandSpec(text, null);
        }
        return new BandSpec(text[..at], text[(at + 1)..]);
    }

    /// <summary>The 1-based band number in an open dataset; errors name the file and the band.</summary>
    public int ResolveBand(RasterDataset dataset)
    {
        if (Selector is null)
        {
            return 1;
        }
        if (int.TryParse(Selector, out var index))
        {
            return dataset.Band(index).Index; // throws "band N does not exist (the raster has M bands)"
        }
        var match = dataset.Bands.FirstOrDefault(b => string.Equals(b.Description, Selector, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            var names = dataset.Bands.Where(b => b.Description.Length > 0).Select(b => b.Description).ToList();
            throw new RasterArgumentException($"{Path}: no band described as '{Selector}'" +
                (names.Count > 0 ? $" (bands: {string.Join(", ", names)})" : " (its bands have no descriptions; use a band number)"));
        }
        return match.Index;
    }

    public override string ToString() => Selector is null ? Path : $"{Path}@{Selector}";
}
