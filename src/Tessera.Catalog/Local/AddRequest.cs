using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tessera.Catalog.Local;

/// <summary>
/// Products of a folder of this machine to add to a collection: <c>folder</c> (an absolute path under one of the
/// configured catalog folders) and <c>collection</c> (an id: letters, digits, '.', '_', '-'), optionally <c>title</c>.
/// The API's body and the task's parameters; an unknown field is refused.
/// </summary>
public sealed partial record AddRequest(string Folder, string Collection, string? Title)
{
    private static readonly string[] Fields = ["folder", "collection", "title"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex CollectionId();

    public static AddRequest FromJson(JsonObject body, CatalogFolders allowed)
    {
        foreach (var (key, _) in body)
        {
            if (!Fields.Contains(key))
            {
                throw new CatalogException($"{key}: not a field of an addition (known: {string.Join(", ", Fields)})");
            }
        }
        string? Text(string name) => body[name] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => throw new CatalogException($"{name}: give a string"),
        };
        var folder = Text("folder") ?? throw new CatalogException("folder: required (an absolute path on the server)");
        // The answer is the same whether the folder is missing or not allowed: it says nothing of the server's folders.
        if (!allowed.Allows(folder) || !Directory.Exists(folder))
        {
            throw new CatalogException("folder: not a folder under the catalog folders the configuration allows (catalogFolders)");
        }
        var collection = Text("collection") ?? throw new CatalogException("collection: required");
        if (!CollectionId().IsMatch(collection))
        {
            throw new CatalogException($"collection: '{collection}' is not an id (letters, digits, '.', '_' and '-', at most 100)");
        }
        return new AddRequest(Path.GetFullPath(folder), collection, Text("title"));
    }

    public JsonObject ToJson()
    {
        var body = new JsonObject { ["folder"] = Folder, ["collection"] = Collection };
        if (Title is not null)
        {
            body["title"] = Title;
        }
        return body;
    }
}
