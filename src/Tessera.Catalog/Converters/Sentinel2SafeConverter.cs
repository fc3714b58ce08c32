using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Tessera.Catalog.Local;
using Tessera.Catalog.Stac;
using Tessera.Raster.Output;

namespace Tessera.Catalog.Converters;

/// <summary>How a Sentinel-2 product's digital numbers become reflectance: (DN + <paramref name="AddOffset"/>) / 10000.</summary>
/// <param name="AddOffset">ESA's BOA_ADD_OFFSET / RADIO_ADD_OFFSET: -1000 from processing baseline 04.00 (25 January 2022) on,
/// 0 before; null when the baseline is not known (the assets then say no scale).</param>
public sealed record Sentinel2SafeParameters(double? AddOffset);

/// <summary>
/// A Sentinel-2 product as ESA delivers it, a zipped SAFE folder: the JP2 bands of its granule
/// (<c>GRANULE/*/IMG_DATA/[R10m/]T29RKH_20200219T113321_B04[_10m].jp2</c>, read inside the zip by GDAL) become one COG
/// each, named by band (the finest resolution of a band a Level-2A product gives at several), with the band's
/// common name; the true-colour image (TCI) is a rendering and is left out. ESA's no-data value 0 is set where the
/// JP2 says none; the scene classification (SCL) gets overviews of its nearest classes.
/// </summary>
public sealed partial class Sentinel2SafeConverter(Sentinel2SafeParameters parameters) : Converter
{
    private const double ReflectanceScale = 1e-4;

    public static readonly Sentinel2SafeParameters Baseline4 = new(-1000);
    public static readonly Sentinel2SafeParameters BeforeBaseline4 = new(0);
    public static readonly Sentinel2SafeParameters BaselineUnknown = new(null);

    /// <summary>The product's name says its processing baseline (<c>_N0400_</c>); else a Sentinel-2 item's zip, its baseline
    /// the item's <c>s2:processing_baseline</c> when it has one.</summary>
    public static IReadOnlyList<ParameterSelector<Sentinel2SafeParameters>> ParameterSelectors { get; } =
    [
        new("a zip named as a Sentinel-2 product of baseline 04.00 or later", Matches.All(Matches.Kind(FileKind.Zip),
            Matches.FileName(@"^S2[A-D]_MSI(L1C|L2A)_\d{8}T\d{6}_N(0[4-9]|[1-9]\d)\d\d_.*\.zip$")), Baseline4),
        new("a zip named as a Sentinel-2 product", Matches.All(Matches.Kind(FileKind.Zip), Matches.FileName(@"^S2[A-D]_MSI(L1C|L2A)_.*\.zip$")),
            BeforeBaseline4),
        new("a zip of a Sentinel-2 item of baseline 04.00 or later", Matches.All(Matches.Kind(FileKind.Zip), Matches.Platform("sentinel-2"),
            Matches.PropertyAtLeast("s2:processing_baseline", 4)), Baseline4),
        new("a zip of a Sentinel-2 item of a baseline before 04.00", Matches.All(Matches.Kind(FileKind.Zip), Matches.Platform("sentinel-2"),
            Matches.PropertyBelow("s2:processing_baseline", 4)), BeforeBaseline4),
        new("a zip of a Sentinel-2 item", Matches.All(Matches.Kind(FileKind.Zip), Matches.Platform("sentinel-2")), BaselineUnknown),
    ];

    public Sentinel2SafeParameters Parameters { get; } = parameters;

    public override string Name => "Sentinel-2 SAFE zip";

    public override IReadOnlyList<string> Drivers { get; } = ["JP2OpenJPEG"];

    [GeneratedRegex(@"_(?<m>\d+)m\.jp2$", RegexOptions.IgnoreCase)]
    private static partial Regex Resolution();

    public override ConversionResult Run(ConversionInput input, string outputFolder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var bands = Bands(input);
        if (bands.Count == 0)
        {
            throw new ConversionException("the zip holds no JP2 band of a Sentinel-2 granule (GRANULE/.../IMG_DATA/...jp2)");
        }
        var files = new List<ConvertedFile>();
        foreach (var (key, member) in bands)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(key);
            var band = SensorBands.Find(SensorBands.Sentinel2, key);
            var path = WriteCog($"/vsizip/{{{Path.GetFullPath(input.Path)}}}/{member}", outputFolder, key, new CogCopy.BandSettings(0, key),
                categorical: key == "SCL", cancellationToken);
            var scaled = band is not null && Parameters.AddOffset is { } offset;
            files.Add(new ConvertedFile(key, path, $"{key} of {input.FileName}", band?.CommonName ?? band?.Name,
                band is null ? null : StacDocuments.Bands([band]),
                scaled ? ReflectanceScale : null, scaled ? Parameters.AddOffset * ReflectanceScale : null));
        }
        return new ConversionResult(files);
    }

    /// <summary>The granule's bands (key and member), each at its finest resolution, in the sensor's band order, then the others.</summary>
    private static List<(string Key, string Member)> Bands(ConversionInput input)
    {
        List<string> members;
        try
        {
            using var zip = ZipFile.OpenRead(input.Path);
            members = zip.Entries.Select(e => MemberName(e.FullName)).ToList();
        }
        catch (InvalidDataException)
        {
            throw new ConversionException("not a zip archive that can be read (damaged or cut short)");
        }
        var found = new Dictionary<string, (string Member, int Resolution)>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var parts = member.Split('/');
            if (parts.Length < 4 || !parts.Contains("GRANULE", StringComparer.OrdinalIgnoreCase) || !parts.Contains("IMG_DATA", StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            // The product's name only gives a platform, which is not used here.
            var product = parts.FirstOrDefault(p => p.EndsWith(".SAFE", StringComparison.OrdinalIgnoreCase))?[..^5] ?? input.FileName;
            if (ProductNames.Recognise(member, product.PadRight(3, '_')) is not { Sensor: "sentinel-2" } file || file.Key == "TCI")
            {
                continue;
            }
            var resolution = Resolution().Match(member) is { Success: true } m ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
            if (!found.TryGetValue(file.Key, out var known) || resolution < known.Resolution)
            {
                found[file.Key] = (member, resolution);
            }
        }
        var order = SensorBands.Sentinel2.Select(b => b.Name).ToList();
        return found.OrderBy(f => order.IndexOf(f.Key) is var i && i >= 0 ? i : order.Count).ThenBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => (f.Key, f.Value.Member)).ToList();
    }
}
