using Tessera.Catalog.Files;
using Tessera.Host.Kinds;
using Tessera.Host.Publishing;
using Tessera.Processing.Zonal;
using Tessera.Tasks.Workers;
using Tessera.Tasks;

namespace Tessera.Host.Handlers;

/// <summary>
/// ZONAL_STATS (13): statistics of every band of the input rasters (any role names, in order; whole files; several
/// make a time series) over the polygons of the <c>zones</c> parameter (GeoJSON). Parameters: <c>zonesCrs</c>,
/// <c>allTouched</c>, <c>nodata</c>, <c>format</c> (csv, geojson, gpkg). The result is a table in the file store.
/// </summary>
public sealed class ZonalTaskHandler(FileStore files, Previews previews) : FileTaskHandler(files, previews)
{
    public override IReadOnlyCollection<TaskType> Types { get; } = [TaskType.ZonalStats];

    protected override string TableOutput(ProcessingTask task) => "statistics" + TaskKinds.TableFormatOf(TaskInputs.Parameters(task));

    public override Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var task = context.Task;
        var parameters = TaskInputs.Parameters(task);
        var zones = Path.Combine(context.WorkFolder, "zones.geojson");
        File.WriteAllText(zones, TaskKinds.GeoJsonText(parameters.GetProperty("zones"), "zones"));
        var rasters = TaskInputs.Of(task).Select(i => TaskInputs.Staged(context.WorkFolder, i)).ToList();
        var request = new ZonalRequest(zones, rasters, TaskKinds.Text(parameters, "zonesCrs"), TaskKinds.Flag(parameters, "allTouched"),
            parameters.TryGetProperty("nodata", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.Number ? n.GetDouble() : null);
        var output = Path.Combine(context.WorkFolder, TableOutput(task));
        var progress = new EngineProgress(context.Progress);
        return Task.Run(() =>
        {
            var rows = ZonalCalculator.Run(request, cancellationToken, progress);
            ZonalWriter.Write(rows, zones, output, request.ZonesCrs);
        }, cancellationToken);
    }
}
