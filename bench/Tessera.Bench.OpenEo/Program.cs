using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.Cubes;
using Tessera.Processing.Graphs.Evaluation;

// Runs the openEO graph load_collection -> ndvi -> reduce_dimension(t, max) -> save_result(GTiff) over the scenes of
// FOLDER (<yyyy-MM-dd>_red.tif and <yyyy-MM-dd>_nir.tif, written by bench/generate_openeo.py) as the service does: the
// process's JSON parsed by GraphParser, checked by GraphChecker, evaluated by GraphEvaluator over a scene source of the
// folder's files (the contract the catalog implements), the result written by CubeWriter in one pass. Prints the wall
// seconds (parsing to the file written) and the process's peak resident set (VmHWM) in MB; run it in a fresh process
// for each measure. save_result has no options by default (the service's GeoTIFF: cloud-optimized layout, ZSTD, internal
// overviews); with "plain", {"tiled": true, "compress": "none"} (a tiled, uncompressed GeoTIFF, as the anchors write).
// Usage: Tessera.Bench.OpenEo FOLDER OUTPUT [default|plain]
var folder = args[0];
var output = args[1];
var plain = args.Length > 2 && args[2] == "plain";
var process = JsonNode.Parse("""
{
  "process_graph": {
    "load": {"process_id": "load_collection", "arguments": {
      "id": "SYNTHETIC", "spatial_extent": null, "temporal_extent": ["2026-06-01", "2026-07-01"], "bands": ["red", "nir"]}},
    "ndvi": {"process_id": "ndvi", "arguments": {"data": {"from_node": "load"}}},
    "max": {"process_id": "reduce_dimension", "arguments": {"data": {"from_node": "ndvi"}, "dimension": "t",
      "reducer": {"process_graph": {"max": {"process_id": "max", "arguments": {"data": {"from_parameter": "data"}}, "result": true}}}}},
    "save": {"process_id": "save_result", "arguments": {"data": {"from_node": "max"}, "format": "GTiff"}, "result": true}
  }
}
""");
if (plain)
{
    process!["process_graph"]!["save"]!["arguments"]!["options"] = new JsonObject { ["tiled"] = true, ["compress"] = "none" };
}
var watch = Stopwatch.StartNew();
var graph = GraphParser.ParseProcess(process);
GraphChecker.Check(graph);
using (var evaluator = new GraphEvaluator(new FolderScenes(folder), workFolder: Path.GetTempPath()))
{
    var saved = await evaluator.RunAsync(graph, CancellationToken.None);
    File.Delete(output);
    CubeWriter.Write(saved, output, graph.ResultNode, null, CancellationToken.None);
}
var seconds = watch.Elapsed.TotalSeconds;
var peak = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
var kb = long.Parse(peak.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds:0.000} {kb / 1024}"));

/// <summary>A collection of one folder's scenes: bands red and nir, one scene per date found in the file names.</summary>
internal sealed class FolderScenes(string folder) : ISceneSource
{
    private static readonly CollectionBand[] Bands = [new("red", "red"), new("nir", "nir")];

    public Task<IReadOnlyList<CollectionBand>?> BandsAsync(string collection, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CollectionBand>?>(collection == "SYNTHETIC" ? Bands : null);

    public Task<IReadOnlyList<Scene>> FindAsync(SceneQuery query, IProgress<string>? log, CancellationToken cancellationToken)
    {
        var scenes = Directory.GetFiles(folder, "*_red.tif").Order(StringComparer.Ordinal).Select(red =>
        {
            var date = Path.GetFileName(red)[..10];
            var time = DateTimeOffset.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var files = new Dictionary<string, string> { ["red"] = red, ["nir"] = Path.Combine(folder, $"{date}_nir.tif") };
            return new Scene(date, time, query.Bands.Select(b => new SceneBand(b, files[b])).ToList());
        }).Where(s => (query.From is not { } from || s.Time >= from) && (query.To is not { } to || s.Time < to)).ToList();
        return Task.FromResult<IReadOnlyList<Scene>>(scenes);
    }

    public Task<StacScenes> LoadStacAsync(StacQuery query, IProgress<string>? log, CancellationToken cancellationToken) =>
        throw new Tessera.Processing.Graphs.GraphException("ProcessUnsupported", "the benchmark's graphs load its folder only");
}
