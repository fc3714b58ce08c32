using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

// Tile load generator for a running Tessera: every XYZ tile of zooms MIN..MAX over a file's footprint,
// first each once (uncached: rendered by the server), then the same tiles again and again for SECONDS
// (cached). CONCURRENCY requests in flight at a time. Prints markdown table rows: tiles/s and latency
// percentiles, and checks every answer (200 with an image, or 204 outside the data; the X-Tile-Cache header).
// Usage: Tessera.Bench.Tiles URL TOKEN FILE_ID [MIN_ZOOM=8] [MAX_ZOOM=14] [CONCURRENCY=8] [SECONDS=10]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Tessera.Bench.Tiles URL TOKEN FILE_ID [MIN_ZOOM] [MAX_ZOOM] [CONCURRENCY] [SECONDS]");
    return 2;
}
var (url, token, file) = (args[0].TrimEnd('/'), args[1], long.Parse(args[2], CultureInfo.InvariantCulture));
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
var (minZoom, maxZoom, concurrency, seconds) = (Arg(3, 8), Arg(4, 14), Arg(5, 8), Arg(6, 10));

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = new Uri(url),
};
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

var tileJson = JsonDocument.Parse(await http.GetStringAsync($"/tiles/{file}/tilejson.json")).RootElement;
var bounds = tileJson.GetProperty("bounds").EnumerateArray().Select(v => v.GetDouble()).ToArray();
var tiles = new List<string>();
for (var z = minZoom; z <= maxZoom; z++)
{
    var (x0, y0) = TileAt(bounds[0], bounds[3], z);
    var (x1, y1) = TileAt(bounds[2], bounds[1], z);
    for (var x = x0; x <= x1; x++)
    {
        for (var y = y0; y <= y1; y++)
        {
            tiles.Add($"/tiles/{file}/{z}/{x}/{y}.png");
        }
    }
}
var random = new Random(42);
var order = tiles.OrderBy(_ => random.Next()).ToList();

// Uncached: each tile once; meanwhile an API call (a file listing) every 50 ms, to see that a burst of
// renders leaves the rest of the server responsive.
using var stopProbe = new CancellationTokenSource();
var apiLatencies = new List<double>();
var probe = Task.Run(async () =>
{
    while (!stopProbe.IsCancellationRequested)
    {
        var started = Stopwatch.GetTimestamp();
        using (var response = await http.GetAsync($"/files?limit=1"))
        {
            response.EnsureSuccessStatusCode();
        }
        apiLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await Task.Delay(50);
    }
});
var (uncached, uncachedElapsed, uncachedHits) = await RunAsync(order, concurrency, null);
stopProbe.Cancel();
await probe;
// Cached: the same tiles over and over, for a while.
var (cached, cachedElapsed, cachedHits) = await RunAsync(order, concurrency, TimeSpan.FromSeconds(seconds));

Console.WriteLine(Row("uncached", uncached, uncachedElapsed, uncachedHits));
Console.WriteLine(Row("cached", cached, cachedElapsed, cachedHits));
apiLatencies.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"API (GET /files) during the uncached burst: {apiLatencies.Count} calls, p50 {apiLatencies[apiLatencies.Count / 2]:F1} ms, p95 {apiLatencies[(int)(apiLatencies.Count * 0.95)]:F1} ms, max {apiLatencies[^1]:F1} ms"));
return 0;

string Row(string kind, List<double> latencies, TimeSpan elapsed, int hits)
{
    latencies.Sort();
    double P(double p) => latencies[(int)Math.Clamp(Math.Ceiling(p / 100 * latencies.Count) - 1, 0, latencies.Count - 1)];
    return string.Create(CultureInfo.InvariantCulture,
        $"| {kind} | {minZoom}-{maxZoom} | {concurrency} | {latencies.Count} | {hits} | {latencies.Count / elapsed.TotalSeconds:F0} | {P(50):F1} | {P(95):F1} | {P(99):F1} | {latencies[^1]:F1} |");
}

async Task<(List<double> Latencies, TimeSpan Elapsed, int CacheHits)> RunAsync(List<string> paths, int parallel, TimeSpan? duration)
{
    var latencies = new List<double>();
    var hits = 0;
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
    {
        var mine = new List<double>();
        var myHits = 0;
        while (true)
        {
            var i = Interlocked.Increment(ref next);
            if (duration is null ? i >= paths.Count : clock.Elapsed >= duration)
            {
                break;
            }
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(paths[i % paths.Count]);
            var body = await response.Content.ReadAsByteArrayAsync();
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var ok = response.StatusCode == System.Net.HttpStatusCode.NoContent
                || (response.StatusCode == System.Net.HttpStatusCode.OK && body.Length > 8 && body[1] == (byte)'P');
            if (!ok)
            {
                throw new InvalidOperationException($"{paths[i % paths.Count]}: {(int)response.StatusCode}, {body.Length} bytes");
            }
            if (response.Headers.TryGetValues("X-Tile-Cache", out var cache) && cache.Single() == "hit")
            {
                myHits++;
            }
        }
        lock (latencies)
        {
            latencies.AddRange(mine);
            hits += myHits;
        }
    })));
    return (latencies, clock.Elapsed, hits);
}

static (int X, int Y) TileAt(double lon, double lat, int z)
{
    var n = 1 << z;
    var rad = Math.Clamp(lat, -85.0511287798066, 85.0511287798066) * Math.PI / 180;
    var x = (int)Math.Floor((lon + 180) / 360 * n);
    var y = (int)Math.Floor((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n);
    return (Math.Clamp(x, 0, n - 1), Math.Clamp(y, 0, n - 1));
}
