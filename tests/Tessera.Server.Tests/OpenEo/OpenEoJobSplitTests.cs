using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Host;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>A batch job whose GeoTIFF is wider than a server's <c>splitTile</c>: computed as tile tasks, stitched by the
/// job's own task, the same pixels as the job run whole and as numpy's NDVI of the date.</summary>
public sealed partial class OpenEoResultTests
{
    [SampleDataFact]
    public async Task ABatchJobLargerThanTheSplitTile_RunsAsTiles_StitchedIntoTheResultOfTheJobRunWhole()
    {
        var body = Body(("load", Load("2015-08-30", "2015-08-31", box: false)), ("ndvi", Node("ndvi", new JsonObject { ["data"] = From("load") })));
        async Task<(string Path, IReadOnlyList<string> Logs)> RunAsync(HttpClient http, string name)
        {
            var created = await http.PostAsync("/openeo/1.2/jobs", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            var id = created.Headers.GetValues("OpenEO-Identifier").Single();
            Assert.Equal("finished", await http.RunToEndAsync(id));
            var results = JsonNode.Parse(await http.GetStringAsync($"/openeo/1.2/jobs/{id}/results"))!;
            using var anonymous = new HttpClient();
            var path = _out.File(name);
            await File.WriteAllBytesAsync(path, await anonymous.GetByteArrayAsync(results["assets"]!["result.tif"]!["href"]!.GetValue<string>()));
            var logs = JsonNode.Parse(await http.GetStringAsync($"/openeo/1.2/jobs/{id}/logs"))!["logs"]!.AsArray().Select(l => l!["message"]!.GetValue<string>()).ToList();
            return (path, logs);
        }
        var (whole, wholeLogs) = await RunAsync(_http, "whole.tif");
        Assert.DoesNotContain(wholeLogs, l => l.Contains("split into", StringComparison.Ordinal));

        // The patch is 100 x 101 pixels: in tiles of 40, 3 x 3.
        await using var splitting = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, PollInterval: TimeSpan.FromSeconds(1),
            AllowedHosts: "127.0.0.1", SplitTile: 40), url), ("alice", "alice", Role.Write));
        await FillAsync(splitting);
        var client = splitting.Client("alice");
        var (stitched, logs) = await RunAsync(client, "stitched.tif");
        Assert.Contains("100 x 101 pixels: split into 9 tiles of at most 40 pixels a side, computed by any worker, then stitched", logs);
        Assert.Equal(9, logs.Count(l => l.StartsWith("tile (col ", StringComparison.Ordinal) && l.Contains("published", StringComparison.Ordinal)));
        var page = await Tessera.Server.Tests.Api.ApiCalls.Data(await client.PostAsJsonAsync("/processtask/query/page", new { pageNum = 1, pageSize = 50 }));
        var parts = page.GetProperty("records").EnumerateArray().Where(t => t.GetProperty("name").GetString()!.Contains("(part ", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, parts.Count);
        Assert.All(parts, p => Assert.Equal(7, p.GetProperty("status").GetInt32()));

        // Bit for bit the job run whole, and numpy's NDVI of the date.
        var compared = PythonReference.Run("compare_bands.py", new { a = stitched, b = whole });
        Assert.True(compared.GetProperty("identical").GetBoolean(), compared.ToString());
        AssertEqualsNumpy(PythonReference.Run("openeo_reduce_reference.py", Reference(stitched, "max", ["20150830"])), minimumValid: 9000);
    }
}
