using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Catalog.Local;
using Tessera.Catalog.Scenes;

namespace Tessera.Catalog.Downloads;

/// <summary>
/// Where downloaded (or already local) assets are delivered on the server's machine, as geospaas_processing's download
/// and copy commands deliver them: under <paramref name="Destination"/> (an absolute path under the configured catalog
/// folders; <c>%Y</c>, <c>%m</c>, <c>%d</c>, <c>%H</c>, <c>%j</c> are the item's date, as strftime writes them), one
/// folder per item, each file under its name at the provider. A file already there is left as it is.
/// </summary>
/// <param name="Link">A symbolic link to the service's copy instead of a copy of the file.</param>
/// <param name="FlagFile">A <c>.flag</c> file beside each delivered file: its <paramref name="Type"/>, the item's id, collection, time and addresses.</param>
/// <param name="TimeToLiveDays">Delivered files (and links) under the destination older than this many days are removed first.</param>
/// <param name="SavePath">The catalog records the delivered file as where the asset lies (the service's own download of it is removed).</param>
public sealed record Delivery(string Destination, bool Link = false, bool FlagFile = false, string? Type = null, double? TimeToLiveDays = null,
    bool SavePath = false)
{
    /// <summary>The request's fields that describe a delivery.</summary>
    public static readonly string[] Fields = ["destination", "link", "flag_file", "type", "time_to_live", "save_path"];

    /// <summary>The delivery a request asks for (null: none, the assets stay in the service), checked against the allowed folders.</summary>
    public static Delivery? FromJson(JsonObject body, CatalogFolders folders)
    {
        if (body["destination"] is null)
        {
            foreach (var field in Fields.Skip(1))
            {
                if (body[field] is not null)
                {
                    throw new CatalogException($"{field}: only with a destination");
                }
            }
            return null;
        }
        var destination = Text(body, "destination")!;
        if (!Path.IsPathFullyQualified(destination) || destination.Split('/').Contains(".."))
        {
            throw new CatalogException("destination: give an absolute path of the server without '..'");
        }
        if (!folders.Allows(FixedRoot(destination)))
        {
            throw new CatalogException("destination: not under a folder this server lets the catalog write (catalogFolders)");
        }
        var ttl = body["time_to_live"] is { } t ? Number(t, "time_to_live") : (double?)null;
        if (ttl is <= 0)
        {
            throw new CatalogException("time_to_live: a number of days above 0");
        }
        var delivery = new Delivery(destination, Flag(body, "link"), Flag(body, "flag_file"), Text(body, "type"), ttl, Flag(body, "save_path"));
        if (delivery.Type is not null && !delivery.FlagFile)
        {
            throw new CatalogException("type: it is written in flag files; ask for them (flag_file)");
        }
        if (delivery.Link && delivery.SavePath)
        {
            throw new CatalogException("save_path and link: a link to the service's copy cannot become the asset's only copy; give one of them");
        }
        return delivery;
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["destination"] = Destination };
        if (Link)
        {
            json["link"] = true;
        }
        if (FlagFile)
        {
            json["flag_file"] = true;
        }
        if (Type is not null)
        {
            json["type"] = Type;
        }
        if (TimeToLiveDays is { } ttl)
        {
            json["time_to_live"] = ttl;
        }
        if (SavePath)
        {
            json["save_path"] = true;
        }
        return json;
    }

    /// <summary>The destination's folders before the first one that depends on the date: what the allowed folders and the time to live apply to.</summary>
    public static string FixedRoot(string destination)
    {
        var parts = destination.Split('/');
        var fixedParts = parts.TakeWhile(p => !p.Contains('%')).ToArray();
        return fixedParts.Length <= 1 ? "/" : string.Join('/', fixedParts);
    }

    /// <summary>The folder of an item's files: the destination with the item's date put in, then the item's id.</summary>
    public string FolderOf(CatalogItem item)
    {
        var time = (item.DateTime ?? item.Start).UtcDateTime;
        var text = new StringBuilder();
        for (var i = 0; i < Destination.Length; i++)
        {
            if (Destination[i] != '%' || i == Destination.Length - 1)
            {
                text.Append(Destination[i]);
                continue;
            }
            text.Append(Destination[++i] switch
            {
                'Y' => time.ToString("yyyy", CultureInfo.InvariantCulture),
                'm' => time.ToString("MM", CultureInfo.InvariantCulture),
                'd' => time.ToString("dd", CultureInfo.InvariantCulture),
                'H' => time.ToString("HH", CultureInfo.InvariantCulture),
                'j' => time.DayOfYear.ToString("000", CultureInfo.InvariantCulture),
                '%' => "%",
                var other => throw new CatalogException($"destination: %{other} is not one of %Y, %m, %d, %H, %j, %%"),
            });
        }
        return Path.Combine(text.ToString(), SafeName(item.Id, "item"));
    }

    /// <summary>
    /// Delivers one asset lying at <paramref name="localPath"/>: copied (through a partial file, so that it appears whole)
    /// or linked, with its flag file. Returns where it now is, or null when a file of that name was there already.
    /// </summary>
    public string? Deliver(CatalogItem item, CatalogAsset asset, string localPath)
    {
        var folder = FolderOf(item);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, FileNameOf(asset, localPath));
        if (File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget is not null)
        {
            return null;
        }
        if (Link)
        {
            File.CreateSymbolicLink(target, localPath);
        }
        else
        {
            var part = target + ".part";
            File.Copy(localPath, part, overwrite: true);
            File.SetLastWriteTimeUtc(part, DateTime.UtcNow);
            File.Move(part, target);
        }
        if (FlagFile)
        {
            File.WriteAllText(target + ".flag", FlagText(item));
        }
        return target;
    }

    /// <summary>Removes delivered files, links and flag files under the destination older than the time to live; returns how many.</summary>
    public int RemoveExpired(DateTime now)
    {
        if (TimeToLiveDays is not { } days || !Directory.Exists(FixedRoot(Destination)))
        {
            return 0;
        }
        var removed = 0;
        var oldest = now - TimeSpan.FromDays(days);
        foreach (var path in Directory.EnumerateFileSystemEntries(FixedRoot(Destination), "*", new EnumerationOptions
            { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            var entry = new FileInfo(path);
            var isLink = entry.LinkTarget is not null;
            if ((isLink || (entry.Exists && !entry.Attributes.HasFlag(FileAttributes.Directory))) && !path.Contains("/.snapshot")
                && entry.LastWriteTimeUtc < oldest)
            {
                entry.Delete();
                removed++;
            }
        }
        return removed;
    }

    /// <summary>What a flag file says: the seed's lines (type, entry id, source, addresses) for an item of the catalog.</summary>
    private string FlagText(CatalogItem item)
    {
        var text = new StringBuilder();
        text.Append("type: ").Append(Type ?? "").Append('\n');
        text.Append("entry_id: ").Append(item.Id).Append('\n');
        text.Append("entry_title: ").Append(item.Properties["title"]?.ToString() ?? item.Id).Append('\n');
        text.Append("collection: ").Append(item.Collection).Append('\n');
        text.Append("source: ").Append(item.Platform ?? "").Append('\n');
        text.Append("datetime: ").Append((item.DateTime ?? item.Start).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var href in item.Assets.Select(a => a.Href).Where(h => h.StartsWith("http://", StringComparison.Ordinal) || h.StartsWith("https://", StringComparison.Ordinal)))
        {
            text.Append("- url: ").Append(href).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The file's name at its provider (the last part of its address), or the asset's key with the local file's extension.</summary>
    public static string FileNameOf(CatalogAsset asset, string localPath)
    {
        var name = Uri.TryCreate(asset.Href, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? Uri.UnescapeDataString(url.AbsolutePath.TrimEnd('/').Split('/')[^1])
            : Path.GetFileName(asset.Href);
        return SafeName(name, "") is { Length: > 0 } safe ? safe : SafeName(asset.Key, "asset") + Path.GetExtension(localPath);
    }

    /// <summary>A name of letters, digits, '.', '-' and '_' only (others become '_'), never "." or "..".</summary>
    public static string SafeName(string name, string fallback)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).Trim('.');
        return safe.Length == 0 ? fallback : safe;
    }

    private static bool Flag(JsonObject body, string name) => body[name] switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw new CatalogException($"{name}: true or false"),
    };

    private static string? Text(JsonObject body, string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0 => s,
        _ => throw new CatalogException($"{name}: give a non-empty string"),
    };

    private static double Number(JsonNode node, string name) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : throw new CatalogException($"{name}: give a number");
}
