using System.Globalization;
using Tessera.Raster;

namespace Tessera.Processing.Stacking;

/// <summary>
/// A region to crop to: west, south, east, north in a CRS (lon/lat, EPSG:4326, by default). Applied to a grid
/// it gives the part of the grid that covers the box, snapped outwards to whole pixels.
/// </summary>
public sealed record CropBox(double West, double South, double East, double North, string Crs = "EPSG:4326")
{
    /// <summary>Parses "w,s,e,n"; <see cref="RasterArgumentException"/> for anything else.</summary>
    public static CropBox Parse(string text, string? crs = null)
    {
        var parts = text.Split(',');
        var values = new double[parts.Length];
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok)
            || values.Any(v => !double.IsFinite(v)))
        {
            throw new RasterArgumentException($"bbox '{text}' is not west,south,east,north (four numbers)");
        }
        var box = new CropBox(values[0], values[1], values[2], values[3], string.IsNullOrWhiteSpace(crs) ? "EPSG:4326" : crs);
        if (box.West >= box.East || box.South >= box.North)
        {
            throw new RasterArgumentException(
                $"bbox '{text}' has no area: west must be less than east and south less than north (it is zero-area or inverted)");
        }
        return box;
    }

    /// <summary>The part of <paramref name="grid"/> inside the box; <see cref="RasterArgumentException"/> when there is none.</summary>
    public RasterGrid ApplyTo(RasterGrid grid, string what)
    {
        Bounds inGrid;
        using (var from = SpatialReference.FromUserInput(Crs))
        {
            if (!grid.HasCrs)
            {
                throw new RasterArgumentException($"{what} has no CRS: a bbox cannot be placed on it");
            }
            using var to = SpatialReference.FromWkt(grid.CrsWkt);
            try
            {
                inGrid = from.TransformBounds(to, new Bounds(West, South, East, North));
            }
            catch (GridAlignmentException)
            {
                throw new RasterArgumentException($"bbox {this} cannot be expressed in the CRS of {what}");
            }
        }
        return Subgrid(grid, inGrid) ?? throw new RasterArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"bbox {West},{South},{East},{North} ({Crs}) does not overlap {what}"));
    }

    /// <summary>The whole pixels of <paramref name="grid"/> that cover <paramref name="area"/> (in the grid's CRS), or null.</summary>
    public static RasterGrid? Subgrid(RasterGrid grid, Bounds area)
    {
        var t = grid.Transform;
        if (!t.IsNorthUp)
        {
            throw new RasterArgumentException("cropping a rotated raster is not supported");
        }
        double ColOf(double x) => (x - t.OriginX) / t.PixelWidth;
        double RowOf(double y) => (y - t.OriginY) / t.PixelHeight;
        var (c0, c1) = (ColOf(area.MinX), ColOf(area.MaxX));
        var (r0, r1) = (RowOf(area.MaxY), RowOf(area.MinY));
        const double tolerance = 1e-6; // a box edge on a pixel edge does not take the next pixel
        var colStart = Math.Max(0, (int)Math.Floor(Math.Min(c0, c1) + tolerance));
        var colEnd = Math.Min(grid.Width, (int)Math.Ceiling(Math.Max(c0, c1) - tolerance));
        var rowStart = Math.Max(0, (int)Math.Floor(Math.Min(r0, r1) + tolerance));
        var rowEnd = Math.Min(grid.Height, (int)Math.Ceiling(Math.Max(r0, r1) - tolerance));
        if (colEnd <= colStart || rowEnd <= rowStart)
        {
            return null;
        }
        var (x, y) = t.PixelToWorld(colStart, rowStart);
        return grid with
        {
            Width = colEnd - colStart,
            Height = rowEnd - rowStart,
            Transform = t with { OriginX = x, OriginY = y },
        };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{West},{South},{East},{North} ({Crs})");
}
