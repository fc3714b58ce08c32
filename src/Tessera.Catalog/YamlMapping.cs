using YamlDotNet.RepresentationModel;

namespace Tessera.Catalog;

/// <summary>The YAML files the catalog reads (provider settings, harvest configuration): one mapping at the top.</summary>
internal static class YamlMapping
{
    /// <summary>The top mapping of <paramref name="yaml"/>, or null for an empty file; <see cref="CatalogException"/> naming
    /// <paramref name="name"/> when it is not YAML or not a mapping (<paramref name="what"/> says what the mapping holds).</summary>
    public static YamlMappingNode? Root(string yaml, string name, string what)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new CatalogException($"{name}: not YAML ({e.Message})");
        }
        if (stream.Documents.Count == 0)
        {
            return null;
        }
        return stream.Documents[0].RootNode as YamlMappingNode ?? throw new CatalogException($"{name}: give {what}");
    }
}
