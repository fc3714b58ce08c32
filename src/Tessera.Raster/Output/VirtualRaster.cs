using System.Globalization;
using System.Xml.Linq;

namespace Tessera.Raster.Output;

/// <summary>
/// Inline VRT XML that the engine builds over files it chose itself (the file policy lets GDAL open inline XML, never a
/// VRT file): a grid whose bands are each made of other files' bands, every one placed whole in a window of the grid.
/// </summary>
public static class VirtualRaster
{
    /// <summary>A band of a file, placed whole at <paramref name="Destination"/> (its size) of the grid.</summary>
    public sealed record Source(string Path, int Band, Window Destination);

    public sealed record Band(RasterDataType Type, IReadOnlyList<Source> Sources, double? NoData = null, string? Description = null);

    public static string Xml(RasterGrid grid, IReadOnlyList<Band> bands)
    {
        static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        static XElement Rect(string name, int x, int y, Window w) =>
            new(name, new XAttribute("xOff", x), new XAttribute("yOff", y), new XAttribute("xSize", w.Width), new XAttribute("ySize", w.Height));
        var root = new XElement("VRTDataset", new XAttribute("rasterXSize", grid.Width), new XAttribute("rasterYSize", grid.Height));
        if (grid.HasCrs)
        {
            root.Add(new XElement("SRS", grid.CrsWkt), new XElement("GeoTransform", string.Join(", ", grid.Transform.ToArray().Select(Text))));
        }
        for (var b = 0; b < bands.Count; b++)
        {
            var band = bands[b];
            var element = new XElement("VRTRasterBand", new XAttribute("dataType", band.Type.ToString()), new XAttribute("band", b + 1));
            if (band.NoData is { } noData)
            {
                element.Add(new XElement("NoDataValue", double.IsNaN(noData) ? "nan" : Text(noData)));
            }
            if (band.Description is { Length: > 0 } description)
            {
                element.Add(new XElement("Description", description));
            }
            foreach (var source in band.Sources)
            {
                var w = source.Destination;
                element.Add(new XElement("SimpleSource",
                    new XElement("SourceFilename", new XAttribute("relativeToVRT", 0), System.IO.Path.GetFullPath(source.Path)),
                    new XElement("SourceBand", source.Band), Rect("SrcRect", 0, 0, w), Rect("DstRect", w.ColOffset, w.RowOffset, w)));
            }
            root.Add(element);
        }
        return root.ToString(SaveOptions.DisableFormatting);
    }
}
