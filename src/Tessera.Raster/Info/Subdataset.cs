using Tessera.Raster.Gdal;

namespace Tessera.Raster.Info;

/// <summary>
/// A raster GDAL lists inside a file (a variable of a NetCDF file): the name it opens under
/// (<c>NETCDF:"FILE":VAR</c>) and GDAL's description of it (<c>[200x300] red (16-bit unsigned integer)</c>).
/// </summary>
public sealed record Subdataset(string Name, string Description)
{
    private const uint OpenRaster = 0x02;
    private const uint OpenVerboseError = 0x40;

    /// <summary>
    /// The subdatasets of <paramref name="path"/>, in GDAL's order: none when the file is one raster itself. Opened as
    /// the policy in force allows; <see cref="RasterOpenException"/> when GDAL cannot open it as a raster at all.
    /// </summary>
    public static IReadOnlyList<Subdataset> Of(string path)
    {
        GdalRuntime.EnsureInitialized();
        if (RasterPaths.IsPlainFile(path) && !File.Exists(path))
        {
            throw new RasterOpenException(path, $"{path}: file not found");
        }
        var drivers = RasterFilePolicy.Current?.DriversFor(path, vector: false);
        GdalErrors.Reset();
        using var allowed = drivers is null ? null : new CStringList(drivers);
        using var handle = new DatasetHandle(GdalNative.GDALOpenEx(path, OpenRaster | OpenVerboseError, allowed?.Pointer ?? IntPtr.Zero, IntPtr.Zero, IntPtr.Zero));
        if (handle.IsInvalid)
        {
            throw new RasterOpenException(path, $"{RasterDataset.Display(path)}: {GdalErrors.Describe("not a raster GDAL can read")}");
        }
        var items = CStringList.Read(GdalNative.GDALGetMetadata(handle.DangerousGetHandle(), "SUBDATASETS"))
            .Select(entry => entry.Split('=', 2)).Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        var found = new List<Subdataset>();
        for (var i = 1; items.TryGetValue($"SUBDATASET_{i}_NAME", out var name); i++)
        {
            found.Add(new Subdataset(name, items.GetValueOrDefault($"SUBDATASET_{i}_DESC") ?? ""));
        }
        return found;
    }

    /// <summary>The sizes of its dimensions as its description gives them (<c>[2x200x300]</c>: 2, 200, 300), or none.</summary>
    public IReadOnlyList<int> Dimensions
    {
        get
        {
            var open = Description.IndexOf('[');
            var close = open < 0 ? -1 : Description.IndexOf(']', open);
            if (close < 0)
            {
                return [];
            }
            var sizes = Description[(open + 1)..close].Split('x');
            return sizes.All(s => int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                ? sizes.Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToList()
                : [];
        }
    }
}
