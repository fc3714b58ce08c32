using YamlDotNet.RepresentationModel;

namespace Tessera.Catalog.Harvest;

/// <summary>
/// The harvest configuration file (<c>harvestConfig</c>): the providers a harvest names, each a STAC API root or a static
/// catalog's URL (<c>providers: {creodias: https://…/stac}</c>). A harvest run as geospaas_processing's
/// <c>start_harvest</c> says <c>provider_name</c> and is sent there. An unknown key or a bad URL is refused naming it.
/// </summary>
public sealed class HarvestConfiguration
{
    private HarvestConfiguration(IReadOnlyDictionary<string, Uri> providers) => Providers = providers;

    public static HarvestConfiguration Empty { get; } = new(new Dictionary<string, Uri>());

    public IReadOnlyDictionary<string, Uri> Providers { get; }

    public static HarvestConfiguration Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), Path.GetFileName(path)) : throw new CatalogException($"harvest configuration: {path} does not exist");

    public static HarvestConfiguration Parse(string yaml, string name = "harvest configuration")
    {
        if (YamlMapping.Root(yaml, name, "a mapping with 'providers'") is not { } root)
        {
            return Empty;
        }
        var providers = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Children)
        {
            if ((key as YamlScalarNode)?.Value != "providers")
            {
                throw new CatalogException($"{name}: '{(key as YamlScalarNode)?.Value}' is not a key of the harvest configuration (known: providers)");
            }
            if (value is not YamlMappingNode entries)
            {
                throw new CatalogException($"{name}: providers: give a mapping of names to STAC URLs");
            }
            foreach (var (providerName, url) in entries.Children)
            {
                var text = (url as YamlScalarNode)?.Value ?? "";
                providers[(providerName as YamlScalarNode)?.Value ?? ""] = Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                    ? uri : throw new CatalogException($"{name}: providers: {(providerName as YamlScalarNode)?.Value}: '{text}' is not an http or https URL");
            }
        }
        return new HarvestConfiguration(providers);
    }
}
