using System.Net;
using System.Text.Json;
using Tessera.Host;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.Server.Tests.Api;
using Tessera.TestSupport;
using Xunit.Abstractions;

namespace Tessera.Server.Tests.BadInput;

/// <summary>
/// A thousand damaged TIFFs (cut short, flipped bits, edited tags) made from real samples and a few synthetic
/// layouts, each uploaded: every one is either refused with a 4xx naming the upload, or stored and then readable
/// (band information, preview and a map tile answer without a server error). Never a 5xx, never a server path in a
/// message, the service stays up, and nothing of a refused upload is kept.
/// </summary>
public sealed class MutatedUploadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RunningServer? _server;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0), url), ("alice", "alice", Role.Write));

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    private IEnumerable<(string Source, byte[] Bytes, int Count)> Sources()
    {
        yield return ("S2 B01 (deflate tiles)", File.ReadAllBytes(SampleData.File("S2A_29RKH_20200219_L2A_B01.tif")), 200);
        yield return ("S2 SCL (deflate, 512 tiles)", File.ReadAllBytes(SampleData.File("S2A_29RKH_20200219_L2A_SCL.tif")), 150);
        yield return ("MODIS B01 (plain strips)", File.ReadAllBytes(SampleData.File("MCD43A4.A2017006.h21v11.006.2017018074804_B01.tif")), 150);
        yield return ("Slovenia zones (deflate strips)", File.ReadAllBytes(SampleData.File("S2_slovenia_LULC_zones.tif")), 150);
        yield return ("Landsat COG (LZW, pixel-interleaved, overviews)", File.ReadAllBytes(SampleData.File("L8_mosaic_cog2_epsg4326.tif")), 150);
        yield return ("float LZW predictor, 2 bands", Synthetic(RasterDataType.Float32, 2, ["TILED=YES", "BLOCKXSIZE=64", "BLOCKYSIZE=64", "COMPRESS=LZW", "PREDICTOR=3", "INTERLEAVE=PIXEL"]), 100);
        yield return ("byte strips, 3 bands", Synthetic(RasterDataType.Byte, 3, ["INTERLEAVE=BAND"]), 100);
    }

    private byte[] Synthetic(RasterDataType type, int bands, string[] options)
    {
        var path = _server!.Data.File($"{Guid.NewGuid():N}.src");
        var grid = SyntheticRaster.Grid(100, 80);
        using (var ds = RasterDataset.Create(path, "GTiff", grid, bands, type, options))
        {
            var values = Enumerable.Range(0, grid.Width * grid.Height).Select(i => (float)(i % 97)).ToArray();
            for (var b = 1; b <= bands; b++)
            {
                ds.Write<float>(b, grid.FullWindow, values);
            }
            ds.Close();
        }
        return File.ReadAllBytes(path);
    }

    [SampleDataFact]
    public async Task AThousandDamagedTiffs_AreRefusedNamingTheUpload_OrStoredAndReadable_NeverA5xx()
    {
        var http = _server!.Client("alice");
        var counts = new SortedDictionary<string, int>();
        var failures = new List<string>();
        var accepted = 0;
        var total = 0;
        var seed = 20261130;
        foreach (var (source, original, count) in Sources())
        {
            foreach (var (kind, bytes) in TiffMutations.Of(original, count, seed++))
            {
                var name = $"m{total++}.tif";
                using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
                using var response = await http.PostAsync("/files", form);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                if (status == 201)
                {
                    accepted++;
                    counts[$"{kind}: stored"] = counts.GetValueOrDefault($"{kind}: stored") + 1;
                    var id = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("id").GetInt64();
                    foreach (var (path, allowed) in new (string, int[])[]
                             {
                                 ($"/files/{id}/preview.png", [200]),
                                 ($"/tiles/{id}/0/0/0.npy", [200, 204, 400, 422]),
                                 ($"/files/{id}/download", [200]),
                             })
                    {
                        using var read = await http.GetAsync(path);
                        if (!allowed.Contains((int)read.StatusCode))
                        {
                            failures.Add($"{name} ({source}, {kind}) stored, but {path}: {(int)read.StatusCode} {await read.Content.ReadAsStringAsync()}");
                        }
                    }
                    continue;
                }
                if (status == 200)
                {
                    // The same bytes as a damaged file stored before (two mutations may give one file): not stored twice.
                    counts[$"{kind}: already stored"] = counts.GetValueOrDefault($"{kind}: already stored") + 1;
                    continue;
                }
                counts[$"{kind}: refused"] = counts.GetValueOrDefault($"{kind}: refused") + 1;
                var detail = body.Length > 0 && body.TrimStart().StartsWith('{') ? JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? "" : "";
                if (status != 400 || !detail.StartsWith($"{name}: ", StringComparison.Ordinal) || detail.Contains(_server.Data.Path) || detail.Contains("/tmp/"))
                {
                    failures.Add($"{name} ({source}, {kind}): {status} {body}");
                }
            }
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        var listed = (await ApiCalls.Data(await http.GetAsync("/files?limit=1"))).GetProperty("total").GetInt64();
        Assert.Equal(accepted, listed);
        Assert.Empty(Directory.GetFiles(Path.Combine(_server.Data.Path, "incoming")));
        Assert.Equal(accepted, Directory.GetDirectories(Path.Combine(_server.Data.Path, "files")).Length);
        var summary = $"{total} damaged TIFFs: {accepted} stored and readable, {total - accepted} refused with 400 naming the upload or found already stored; " +
            string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));
        output.WriteLine(summary);
        await File.WriteAllTextAsync(Path.Combine(Artifacts.Folder("reliability"), "damaged-tiffs.txt"), summary + "\n" + string.Join("\n", failures));
        Assert.True(total >= 1000, $"only {total} mutants");
        Assert.True(failures.Count == 0, $"{failures.Count} of {total}:\n" + string.Join("\n", failures.Take(30)));
    }
}
