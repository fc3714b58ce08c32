using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Tessera.Catalog.Local;
using Tessera.Catalog.Stac;
using Tessera.Raster.Output;

namespace Tessera.Catalog.Converters;

/// <summary>Which files of a Landsat product's tar become COGs: those whose band key (<c>SR_B4</c>, <c>QA_PIXEL</c>) matches <paramref name="Keys"/>.</summary>
public sealed record LandsatTarParameters(Regex Keys)
{
    /// <summary>Collection 2 Level-2: surface reflectance, surface temperature and their quality bands, and the pixel quality.</summary>
    public static LandsatTarParameters Level2 { get; } = new(new Regex(@"^(SR_B\d+|ST_B\d+|QA_PIXEL|QA_RADSAT|SR_QA_AEROSOL|ST_QA|ST_(TRAD|URAD|DRAD|ATRAN|EMIS|EMSD|CDIST))$"));

    /// <summary>Collection 2 Level-1: the bands' digital numbers and the pixel quality.</summary>
    public static LandsatTarParameters Level1 { get; } = new(new Regex(@"^(B\d+|QA_PIXEL|QA_RADSAT)$"));

    /// <summary>Either level's files, for a tar whose name does not say its level.</summary>
    public static LandsatTarParameters AnyLevel { get; } = new(new Regex($"{Level2.Keys}|{Level1.Keys}"));
}

/// <summary>
/// A Landsat Collection 2 product as USGS delivers it, a tar (or tar.gz) of GeoTIFFs: its band files
/// (<c>LC08_L2SP_001062_20201031_20201106_02_T2_SR_B4.TIF</c>, read inside the tar by GDAL, through gzip when it is
/// compressed) become one COG each, named by band key, with the band's common name; the MTL file in the tar gives each
/// Level-2 band its scale and offset (surface reflectance, temperature in kelvin). Quality bands get overviews of
/// their nearest values.
/// </summary>
public sealed class LandsatTarConverter(LandsatTarParameters parameters) : Converter
{
    private const string TarName = @"\.(tar|tar\.gz|tgz)$";

    public static IReadOnlyList<ParameterSelector<LandsatTarParameters>> ParameterSelectors { get; } =
    [
        new("a tar named as a Landsat Collection 2 Level-2 product", Matches.All(Matches.Kind(FileKind.Tar, FileKind.GzipTar),
            Matches.FileName(@"^L[COTEM]0\d_L2S[PR]_\d{6}_\d{8}_\d{8}_\d{2}_(T1|T2|RT)" + TarName)), LandsatTarParameters.Level2),
        new("a tar named as a Landsat Collection 2 Level-1 product", Matches.All(Matches.Kind(FileKind.Tar, FileKind.GzipTar),
            Matches.FileName(@"^L[COTEM]0\d_L1(TP|GT|GS)_\d{6}_\d{8}_\d{8}_\d{2}_(T1|T2|RT)" + TarName)), LandsatTarParameters.Level1),
        new("a tar of a Landsat item", Matches.All(Matches.Kind(FileKind.Tar, FileKind.GzipTar), Matches.Platform("landsat")), LandsatTarParameters.AnyLevel),
    ];

    public LandsatTarParameters Parameters { get; } = parameters;

    public override string Name => "Landsat Collection 2 tar";

    public override IReadOnlyList<string> Drivers { get; } = ["GTiff"];

    public override ConversionResult Run(ConversionInput input, string outputFolder, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var compressed = input.Kind == FileKind.GzipTar;
        var (members, mtl) = Members(input.Path, compressed);
        var bands = members.Select(m => (Member: m, File: ProductNames.Recognise(m)))
            .Where(b => b.File is { Sensor: "landsat" } f && Parameters.Keys.IsMatch(f.Key))
            .Select(b => (b.Member, b.File!.Key)).OrderBy(b => b.Key, StringComparer.Ordinal).ToList();
        if (bands.Count == 0)
        {
            throw new ConversionException("the tar holds no band file of a Landsat Collection 2 product (such as ..._SR_B4.TIF)");
        }
        var archive = compressed ? $"/vsitar/{{/vsigzip/{Path.GetFullPath(input.Path)}}}" : $"/vsitar/{{{Path.GetFullPath(input.Path)}}}";
        var files = new List<ConvertedFile>();
        foreach (var (member, key) in bands)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(key);
            var band = SensorBands.Find(SensorBands.LandsatOli, key.StartsWith("ST_B", StringComparison.Ordinal) ? key[3..] : key);
            var path = WriteCog($"{archive}/{member}", outputFolder, key, new CogCopy.BandSettings(Description: key),
                categorical: key.StartsWith("QA_", StringComparison.Ordinal) || key.EndsWith("_QA", StringComparison.Ordinal) || key.Contains("_QA_", StringComparison.Ordinal),
                cancellationToken);
            var (scale, offset) = mtl is null ? (null, null) : Scaling(mtl, key);
            files.Add(new ConvertedFile(key, path, $"{key} of {input.FileName}", band?.CommonName ?? band?.Name,
                band is null ? null : StacDocuments.Bands([band]), scale, offset));
        }
        return new ConversionResult(files);
    }

    /// <summary>The scale and offset of a Level-2 band from the MTL (surface reflectance and temperature); none for the others.</summary>
    private static (double? Scale, double? Offset) Scaling(LandsatMtl mtl, string key)
    {
        var (mult, add) = key.StartsWith("SR_B", StringComparison.Ordinal) ? ($"REFLECTANCE_MULT_BAND_{key[4..]}", $"REFLECTANCE_ADD_BAND_{key[4..]}")
            : key.StartsWith("ST_B", StringComparison.Ordinal) ? ($"TEMPERATURE_MULT_BAND_{key}", $"TEMPERATURE_ADD_BAND_{key}")
            : ("", "");
        return double.TryParse(mtl[mult], NumberStyles.Float, CultureInfo.InvariantCulture, out var scale)
            && double.TryParse(mtl[add], NumberStyles.Float, CultureInfo.InvariantCulture, out var offset)
                ? (scale, offset)
                : (null, null);
    }

    /// <summary>The regular files of the tar, and its MTL file read when it has one.</summary>
    private static (List<string> Members, LandsatMtl? Mtl) Members(string path, bool compressed)
    {
        var members = new List<string>();
        LandsatMtl? mtl = null;
        try
        {
            using var file = File.OpenRead(path);
            using var stream = compressed ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            using var tar = new TarReader(stream);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    continue;
                }
                members.Add(MemberName(entry.Name));
                if (mtl is null && entry.Name.EndsWith("_MTL.txt", StringComparison.OrdinalIgnoreCase) && entry.DataStream is { } data && entry.Length < 1 << 20)
                {
                    using var reader = new StreamReader(data, leaveOpen: true);
                    mtl = LandsatMtl.Parse(reader.ReadToEnd().Split('\n'));
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ConversionException("not a tar archive that can be read (damaged or cut short)");
        }
        return (members, mtl);
    }
}
