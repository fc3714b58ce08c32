using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// <c>load_stac</c> over a static STAC catalog of the Slovenian dates served by a real HTTP server on loopback (a
/// collection linking five items whose assets are relative hrefs): the cube equals numpy's NDVI reduction over the same
/// files, from the collection and from one item's address; a cloud-cover condition keeps the clear dates; addresses
/// that cannot be read are refused naming the node and argument.
/// </summary>
public sealed partial class OpenEoResultTests
{
    /// <summary>Writes the static catalog beside the band files (once) and answers the collection's address.</summary>
    private string StaticCatalog()
    {
        var folder = Path.Combine(_www.Path, "stac");
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(Path.Combine(folder, "items"));
            var links = new JsonArray();
            foreach (var item in _items)
            {
                var b = item.Bbox!.Value;
                var date = item.Id[4..];
                JsonObject Asset(string band, string common) => new()
                {
                    ["href"] = $"../../{date}/{band}.tif", ["type"] = "image/tiff; application=geotiff", ["roles"] = new JsonArray("data"),
                    ["eo:bands"] = new JsonArray(new JsonObject { ["name"] = band, ["common_name"] = common }),
                };
                var document = new JsonObject
                {
                    ["type"] = "Feature", ["stac_version"] = "1.0.0", ["id"] = item.Id, ["collection"] = "slovenia-static",
                    ["geometry"] = item.Geometry!.DeepClone(), ["bbox"] = new JsonArray(b.MinX, b.MinY, b.MaxX, b.MaxY),
                    ["properties"] = new JsonObject { ["datetime"] = item.DateTime!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), ["eo:cloud_cover"] = item.CloudCover },
                    ["assets"] = new JsonObject { ["B04"] = Asset("B04", "red"), ["B08"] = Asset("B08", "nir") },
                    ["links"] = new JsonArray(new JsonObject { ["rel"] = "parent", ["href"] = "../collection.json" }),
                };
                File.WriteAllText(Path.Combine(folder, "items", $"{item.Id}.json"), document.ToJsonString());
                links.Add(new JsonObject { ["rel"] = "item", ["href"] = $"./items/{item.Id}.json", ["type"] = "application/geo+json" });
            }
            var collection = new JsonObject
            {
                ["type"] = "Collection", ["stac_version"] = "1.0.0", ["id"] = "slovenia-static", ["description"] = "Five dates of a patch",
                ["license"] = "CC-BY-4.0",
                ["extent"] = new JsonObject
                {
                    ["spatial"] = new JsonObject { ["bbox"] = new JsonArray(new JsonArray(14, 45, 16, 47)) },
                    ["temporal"] = new JsonObject { ["interval"] = new JsonArray(new JsonArray("2015-07-11T00:00:00Z", "2015-09-09T23:59:59Z")) },
                },
                ["links"] = links,
            };
            File.WriteAllText(Path.Combine(folder, "collection.json"), collection.ToJsonString());
        }
        return new Uri(_source!.Address, "stac/collection.json").ToString();
    }

    /// <summary><see cref="Graph"/> with its load_collection turned into a load_stac of <paramref name="url"/>.</summary>
    private static JsonObject StacGraph(string url, string reducer, string start, string end, bool bands = true, JsonObject? properties = null)
    {
        var body = Graph(reducer, start, end, properties);
        var load = body["process"]!["process_graph"]!["load"]!.AsObject();
        load["process_id"] = "load_stac";
        var arguments = load["arguments"]!.AsObject();
        arguments.Remove("id");
        arguments["url"] = url;
        if (!bands)
        {
            arguments.Remove("bands");
        }
        return body;
    }

    [SampleDataFact]
    public async Task LoadStac_OfAStaticCollection_EqualsNumpy_AndKeepsWhatMeetsTheConditions()
    {
        var url = StaticCatalog();
        var max = await ResultAsync(StacGraph(url, "max", "2015-07-01", "2015-09-09"), "stac-max.tif");
        var reference = PythonReference.Run("openeo_reduce_reference.py", Reference(max, "max", ["20150711", "20150731", "20150820", "20150830"]));
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
        // The same cube as load_collection's of the harvested copy: the same values.
        var harvested = await ResultAsync(Graph("max", "2015-07-01", "2015-09-09"), "collection-max.tif");
        Assert.True(PythonReference.Run("openeo_reduce_reference.py", Reference(max, "max", ["20150711", "20150731", "20150820", "20150830"], sameAs: harvested))
            .GetProperty("identicalToOther").GetBoolean());

        var clear = new JsonObject
        {
            ["eo:cloud_cover"] = JsonNode.Parse("""{"process_graph": {"c": {"process_id": "lte", "arguments": {"x": {"from_parameter": "value"}, "y": 50}, "result": true}}}"""),
        };
        var mean = await ResultAsync(StacGraph(url, "mean", "2015-07-01", "2015-10-01", properties: clear), "stac-mean.tif");
        var clearReference = PythonReference.Run("openeo_reduce_reference.py", Reference(mean, "mean", ["20150711", "20150830", "20150909"]));
        Assert.True(clearReference.GetProperty("maskEqual").GetBoolean(), clearReference.ToString());
        Assert.True(clearReference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, clearReference.ToString());
    }

    [SampleDataFact]
    public async Task LoadStac_OfOneItem_TakesItsDataAssets_AndBadAddressesAreRefused()
    {
        var url = StaticCatalog().Replace("collection.json", "items/S2A_20150820.json");
        var one = await ResultAsync(StacGraph(url, "max", "2015-07-01", "2015-09-09", bands: false), "stac-one.tif");
        var reference = PythonReference.Run("openeo_reduce_reference.py", Reference(one, "max", ["20150820"]));
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());

        async Task<string> Refused(string address)
        {
            var response = await _http.PostAsync("/openeo/1.2/result", new StringContent(StacGraph(address, "max", "2015-07-01", "2015-09-09").ToJsonString(),
                Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
            return JsonNode.Parse(text)!["message"]!.GetValue<string>();
        }
        var missing = StaticCatalog().Replace("collection.json", "nothing.json");
        Assert.Equal($"node 'load', argument 'url': {missing}: HTTP 404 Not Found", await Refused(missing));
        Assert.StartsWith("node 'load', argument 'url': http://10.255.255.1/catalog.json: ", await Refused("http://10.255.255.1/catalog.json"));
        Assert.Contains("argument 'url'", await Refused("file:///etc/passwd"));
        var notStac = new Uri(_source!.Address, "20150711/B04.tif").ToString();
        Assert.StartsWith($"node 'load', argument 'url': {notStac}: not JSON", await Refused(notStac));
    }
}
