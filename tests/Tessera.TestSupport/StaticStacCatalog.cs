using System.Text.Json.Nodes;

namespace Tessera.TestSupport;

/// <summary>
/// A static STAC catalog written into a folder, as catalogs are published on web servers: a root catalog, a
/// Sentinel-2 collection with 20 items in a sub-folder, and a Landsat collection of 10 items under a sub-catalog, all
/// linked by relative hrefs, each item with a relative asset href. The scenes are made from a fixed seed and listed
/// (<see cref="Scenes"/>) so that tests can filter them independently.
/// </summary>
public sealed class StaticStacCatalog
{
    public sealed record Scene(string Collection, string Id, double West, double South, double Size, DateTimeOffset Time, double Cloud);

    public static readonly DateTimeOffset Start = new(2023, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _folder;

    public StaticStacCatalog(string folder)
    {
        _folder = folder;
        var random = new Random(77);
        var scenes = new List<Scene>();
        for (var i = 0; i < 30; i++)
        {
            var landsat = i >= 20;
            scenes.Add(new Scene(landsat ? "landsat-c2-l2" : "sentinel-2-l2a", $"{(landsat ? "LC09" : "S2B")}_{i:D2}", Math.Round(-8 + random.NextDouble() * 14, 3),
                Math.Round(38 + random.NextDouble() * 10, 3), landsat ? 2 : 1, Start.AddDays(random.Next(0, 120)).AddMinutes(random.Next(0, 1440)),
                Math.Round(random.NextDouble() * 100, 2)));
        }
        Scenes = scenes;
        Write("catalog.json", Catalog("root", "./sentinel-2/collection.json", "./landsat/catalog.json"));
        Write("landsat/catalog.json", Catalog("landsat", "./c2/collection.json"));
        WriteCollection("sentinel-2/collection.json", "sentinel-2-l2a", "items/");
        WriteCollection("landsat/c2/collection.json", "landsat-c2-l2", "");
    }

    public IReadOnlyList<Scene> Scenes { get; }

    /// <summary>Where a scene's item document is, relative to the catalog's root.</summary>
    public static string ItemPath(Scene scene) =>
        scene.Collection == "sentinel-2-l2a" ? $"sentinel-2/items/{scene.Id}.json" : $"landsat/c2/{scene.Id}.json";

    private void Write(string path, JsonObject document)
    {
        var full = Path.Combine(_folder, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, document.ToJsonString());
    }

    private static JsonObject Catalog(string id, params string[] children) => new()
    {
        ["type"] = "Catalog",
        ["stac_version"] = "1.0.0",
        ["id"] = id,
        ["description"] = $"The {id} catalog",
        ["links"] = new JsonArray(children.Select(c => (JsonNode?)new JsonObject { ["rel"] = "child", ["href"] = c })
            .Prepend(new JsonObject { ["rel"] = "self", ["href"] = "./catalog.json" }).ToArray()),
    };

    private void WriteCollection(string path, string id, string itemFolder)
    {
        var folder = Path.GetDirectoryName(path)!;
        var links = new JsonArray();
        foreach (var scene in Scenes.Where(s => s.Collection == id))
        {
            links.Add(new JsonObject { ["rel"] = "item", ["href"] = $"./{itemFolder}{scene.Id}.json" });
            Write(Path.Combine(folder, itemFolder, scene.Id + ".json"), new JsonObject
            {
                ["type"] = "Feature",
                ["stac_version"] = "1.0.0",
                ["id"] = scene.Id,
                ["collection"] = id,
                ["geometry"] = new JsonObject
                {
                    ["type"] = "Polygon",
                    ["coordinates"] = new JsonArray(new JsonArray(new JsonArray(scene.West, scene.South), new JsonArray(scene.West + scene.Size, scene.South),
                        new JsonArray(scene.West + scene.Size, scene.South + scene.Size), new JsonArray(scene.West, scene.South + scene.Size),
                        new JsonArray(scene.West, scene.South))),
                },
                ["bbox"] = new JsonArray(scene.West, scene.South, scene.West + scene.Size, scene.South + scene.Size),
                ["properties"] = new JsonObject { ["datetime"] = scene.Time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), ["eo:cloud_cover"] = scene.Cloud },
                ["assets"] = new JsonObject { ["red"] = new JsonObject { ["href"] = $"./{scene.Id}_red.tif", ["roles"] = new JsonArray("data") } },
                ["links"] = new JsonArray(new JsonObject { ["rel"] = "parent", ["href"] = "../collection.json" }),
            });
        }
        links.Add(new JsonObject { ["rel"] = "parent", ["href"] = "../catalog.json" });
        Write(path, new JsonObject
        {
            ["type"] = "Collection",
            ["stac_version"] = "1.0.0",
            ["id"] = id,
            ["description"] = $"Scenes of {id}",
            ["license"] = "CC-BY-4.0",
            ["extent"] = new JsonObject
            {
                ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(new JsonArray(-180, -90, 180, 90)) },
                ["temporal"] = new JsonObject { ["interval"] = new JsonArray(new JsonArray("2023-01-01T00:00:00Z", null)) },
            },
            ["summaries"] = new JsonObject { ["eo:bands"] = new JsonArray(new JsonObject { ["name"] = "red", ["common_name"] = "red", ["center_wavelength"] = 0.66 }) },
            ["links"] = links,
        });
    }
}
