using System.Collections.Concurrent;
using System.Text.Json;
using Tessera.Catalog.Files;
using Tessera.Raster.Output;
using Tessera.Raster.Rendering;

namespace Tessera.Host.Publishing;

/// <summary>
/// The preview of a stored file (a PNG, longest side <c>size</c> pixels, in its default style) and its legend
/// (JSON), kept beside the file: made at publishing for task results, and on first request for any other file.
/// </summary>
public sealed class Previews(FileStore files, int size)
{
    public const string ImageName = "preview.png";
    public const string LegendName = "legend.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _making = new();

    public int Size => size;

    /// <summary>The preview and legend of the raster at <paramref name="path"/>, as companions to store with it: drawn
    /// from the sample its processing kept (<see cref="RasterOutput.KeepPreviewSample"/>) when there is one.</summary>
    public Dictionary<string, byte[]> Render(string path)
    {
        var sample = RasterSample.TryRead(RasterOutput.PreviewSamplePath(path));
        var preview = Preview.Render(path, size, ResultStyles.Known, sample);
        return new Dictionary<string, byte[]>
        {
            [ImageName] = preview.Png,
            [LegendName] = JsonSerializer.SerializeToUtf8Bytes(preview.Legend, Json),
        };
    }

    /// <summary>The path of the file's preview image or legend (<paramref name="name"/>), made first if missing.</summary>
    public async Task<string> EnsureAsync(StoredFile file, string name, CancellationToken cancellationToken)
    {
        var wanted = files.CompanionPath(file, name);
        if (File.Exists(wanted))
        {
            return wanted;
        }
        var gate = _making.GetOrAdd(file.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(wanted))
            {
                var path = await files.PathOfAsync(file.Id, owner: null, cancellationToken);
                var made = await Task.Run(() => Render(path), cancellationToken);
                foreach (var (companion, bytes) in made)
                {
                    await files.WriteCompanionAsync(file, companion, bytes, cancellationToken);
                }
            }
            return wanted;
        }
        finally
        {
            gate.Release();
            _making.TryRemove(new KeyValuePair<long, SemaphoreSlim>(file.Id, gate));
        }
    }
}
