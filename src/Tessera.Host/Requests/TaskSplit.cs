using System.Globalization;
using System.Text.Json.Nodes;
using Tessera.Raster;
using Tessera.Tasks;

namespace Tessera.Host.Requests;

/// <summary>
/// A task too large for one worker, split: its result's grid cut into tiles of a set side, each a task of the same
/// type and inputs computing one window (its <c>part</c> parameter), which any worker of the fleet takes; the task
/// itself waits for them and stitches their files into its one result.
/// </summary>
public static class TaskSplit
{
    /// <summary>The most tiles a task is split into: a smaller tile side is refused rather than flooding the queue.</summary>
    public const int MaxTiles = 4096;

    /// <summary>The windows of <paramref name="grid"/> in tiles of side <paramref name="tile"/>, row by row; none when the grid
    /// is not larger than one tile, or <paramref name="tile"/> is 0.</summary>
    public static IReadOnlyList<Window> Tiles(RasterGrid grid, int tile)
    {
        if (tile <= 0 || (grid.Width <= tile && grid.Height <= tile))
        {
            return [];
        }
        var columns = (grid.Width + tile - 1) / tile;
        var rows = (grid.Height + tile - 1) / tile;
        if ((long)columns * rows > MaxTiles)
        {
            throw new TaskRequestException($"the result ({grid.Width} x {grid.Height} pixels) would be {(long)columns * rows} tiles of {tile} pixels, " +
                $"more than {MaxTiles}: the service's splitTile setting is too small for it");
        }
        var windows = new List<Window>(columns * rows);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var col = c * tile;
                var row = r * tile;
                windows.Add(new Window(col, row, Math.Min(tile, grid.Width - col), Math.Min(tile, grid.Height - row)));
            }
        }
        return windows;
    }

    /// <summary><paramref name="task"/> with one part per window (same type, inputs and owner; its parameters and the window).</summary>
    public static NewTask Split(NewTask task, IReadOnlyList<Window> windows)
    {
        if (windows.Count == 0)
        {
            return task;
        }
        var parts = windows.Select((w, i) =>
        {
            var parameters = JsonNode.Parse(task.ParametersJson) as JsonObject ?? [];
            parameters["part"] = new JsonArray(w.ColOffset, w.RowOffset, w.Width, w.Height);
            return new NewTask(string.Create(CultureInfo.InvariantCulture, $"{task.Name} (part {i + 1} of {windows.Count})"), task.Type, task.Owner,
                task.InputsJson, ParametersJson: parameters.ToJsonString(), After: task.After);
        }).ToList();
        return task with { Parts = parts };
    }
}
