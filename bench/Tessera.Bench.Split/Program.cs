using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tessera.Host;
using Tessera.Host.Requests;
using Tessera.Raster;
using Tessera.Tasks;
using TaskStatus = Tessera.Tasks.TaskStatus;

// One large NDVI run by `tessera worker` processes on one PostgreSQL: whole (one task) by 1 worker, and split into tiles
// by 1, 2 and 4 workers. Wall time from the task's creation to its result published, peak resident memory of each
// worker process (VmHWM), and whether the split result equals the whole one pixel for pixel.
// Usage: Tessera.Bench.Split TESSERA_DLL POSTGRES_URL WORK_FOLDER NIR RED TILE [WORKERS...]
// Prints one markdown table row per configuration: the median of REPEATS runs (default 3), then every run.
if (args.Length < 6)
{
    Console.Error.WriteLine("usage: Tessera.Bench.Split TESSERA_DLL POSTGRES_URL WORK_FOLDER NIR RED TILE [WORKERS...]");
    return 2;
}
var (tessera, database, work, nir, red) = (args[0], args[1], args[2], args[3], args[4]);
var tile = int.Parse(args[5], CultureInfo.InvariantCulture);
var workerCounts = args.Length > 6 ? args[6..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1, 2, 4];
var repeats = int.Parse(Environment.GetEnvironmentVariable("REPEATS") ?? "3", CultureInfo.InvariantCulture);

string? wholeResult = null;
var configurations = new List<(string What, int Workers, int Tile)> { ("whole", 1, 0) };
configurations.AddRange(workerCounts.Select(w => ($"split", w, tile)));
foreach (var (what, workers, tileSide) in configurations)
{
    var seconds = new List<double>();
    var peaks = new List<long>();
    var tilePeaks = new List<long>();
    var tiles = 0;
    var equal = "";
    for (var run = 0; run < repeats; run++)
    {
        var data = Path.Combine(work, $"data-{what}-{workers}-{run}");
        var (elapsed, peak, tilePeak, parts, result) = await RunAsync(data, tileSide, workers);
        seconds.Add(elapsed);
        peaks.Add(peak);
        if (tilePeak is { } onlyTiles)
        {
            tilePeaks.Add(onlyTiles);
        }
        tiles = parts;
        if (tileSide == 0)
        {
            wholeResult ??= result;
        }
        else if (wholeResult is not null)
        {
            equal = Same(result, wholeResult) ? "yes" : "NO";
        }
    }
    var runs = string.Join(" ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {what} | {tiles} | {workers} | {Median(seconds):F2} | {peaks.Max() / (1 << 20)} | {(tilePeaks.Count == 0 ? "-" : (tilePeaks.Max() / (1 << 20)).ToString(CultureInfo.InvariantCulture))} | {(tileSide == 0 ? "-" : equal)} | {runs} |"));
}
return 0;

// Peak memory: the largest worker's, and the largest of the workers that only computed tiles (not the one that stitched).
async Task<(double Seconds, long PeakBytes, long? TilePeakBytes, int Parts, string Result)> RunAsync(string data, int tileSide, int workers)
{
    // A schema of its own per run (tasks, files and their folder all fresh).
    var schema = "split_" + Guid.NewGuid().ToString("N")[..12];
    await using (var connection = new Npgsql.NpgsqlConnection(database))
    {
        await connection.OpenAsync();
        await using var create = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
        await create.ExecuteNonQueryAsync();
    }
    var runDatabase = $"{database};Search Path={schema}";
    await using var parts = await ServiceParts.OpenAsync(data, runDatabase, 1L << 40);
    long nirId, redId;
    await using (var n = File.OpenRead(nir))
    {
        nirId = (await parts.Files.AddAsync(n, "nir.tif", "bench")).Id;
    }
    await using (var r = File.OpenRead(red))
    {
        redId = (await parts.Files.AddAsync(r, "red.tif", "bench")).Id;
    }
    var inputs = JsonSerializer.SerializeToElement(new { nir = new { fileId = nirId }, red = new { fileId = redId } });
    var checkedTask = await TaskRequests.CheckAsync(7, inputs, JsonSerializer.SerializeToElement(new { }), "bench", parts.Files, CancellationToken.None);
    var windows = tileSide == 0 ? [] : TaskSplit.Tiles(checkedTask.Splittable!, tileSide);
    var processes = Enumerable.Range(0, workers).Select(_ => Process.Start(new ProcessStartInfo("dotnet",
        [tessera, "worker", "--data", data, "--db", runDatabase, "--workers", "1"])
    {
        RedirectStandardError = true,
        RedirectStandardOutput = true,
    })!).ToList();
    foreach (var p in processes)
    {
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
    }
    try
    {
        await Task.Delay(3000); // the workers started and idle: their start is not the task's time
        var clock = Stopwatch.StartNew();
        var task = await parts.Tasks.CreateAsync(TaskSplit.Split(new NewTask("ndvi", new TaskType(7), "bench", inputs.GetRawText()), windows));
        while (true)
        {
            var now = (await parts.Tasks.GetAsync(task.Id))!;
            if (now.Status == TaskStatus.PublishCompleted)
            {
                break;
            }
            if (now.Status.IsFailed())
            {
                throw new InvalidOperationException($"task {task.Id}: {now.Status.SeedName()} {now.ErrorMessage}");
            }
            await Task.Delay(50);
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var peak = processes.Max(p => PeakBytes(p.Id));
        // Worker ids end ":PID:N": the process that ran the task's last attempt stitched the tiles.
        var stitcher = int.Parse((await parts.Tasks.AttemptsAsync(task.Id))[^1].WorkerId.Split(':')[^2], CultureInfo.InvariantCulture);
        var others = processes.Where(p => p.Id != stitcher).Select(p => PeakBytes(p.Id)).ToList();
        long? tilePeak = windows.Count > 0 && others.Count > 0 ? others.Max() : null;
        var result = await parts.Files.PathOfAsync((await parts.Tasks.GetAsync(task.Id))!.Result!.OutputFileId, "bench");
        var kept = Path.Combine(work, $"result-{tileSide}-{workers}.tif");
        File.Copy(result, kept, overwrite: true);
        return (elapsed, peak, tilePeak, windows.Count, kept);
    }
    finally
    {
        foreach (var p in processes)
        {
            p.Kill();
            p.WaitForExit();
        }
    }
}

static long PeakBytes(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }
    return 0;
}

static bool Same(string a, string b)
{
    using var x = RasterDataset.Open(a);
    using var y = RasterDataset.Open(b);
    if ((x.Width, x.Height) != (y.Width, y.Height))
    {
        return false;
    }
    var rowsAtOnce = 256;
    var bufferA = new float[x.Width * rowsAtOnce];
    var bufferB = new float[x.Width * rowsAtOnce];
    for (var row = 0; row < x.Height; row += rowsAtOnce)
    {
        var window = new Window(0, row, x.Width, Math.Min(rowsAtOnce, x.Height - row));
        var n = (int)window.PixelCount;
        x.Read(1, window, bufferA.AsSpan(0, n));
        y.Read(1, window, bufferB.AsSpan(0, n));
        for (var i = 0; i < n; i++)
        {
            if (BitConverter.SingleToInt32Bits(bufferA[i]) != BitConverter.SingleToInt32Bits(bufferB[i]) && !(float.IsNaN(bufferA[i]) && float.IsNaN(bufferB[i])))
            {
                return false;
            }
        }
    }
    return true;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
