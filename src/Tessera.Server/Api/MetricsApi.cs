using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Tessera.Server.Access;
using Tessera.Host;
using Tessera.Host.Workers;
using Tessera.Tasks;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Server.Api;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format: tasks by status and type and the queue depth (from the
/// database, so they cover every worker); the stage durations, failures by stage and kind, and heartbeats of this
/// server's workers, in this process or in its worker child (which reports them, <see cref="WorkerReport"/>); CPU and
/// memory of both; free space on the data folder's disk.
/// </summary>
public static class MetricsApi
{
    public static void MapMetricsApi(this WebApplication app) => app.MapGet("/metrics", Render).AllowAnyone();

    private static async Task<ContentHttpResult> Render(ITaskStore tasks, TaskMetrics metrics, WorkerProcessMetrics workerProcesses, ServiceOptions options,
        CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var counts = await tasks.CountByStatusAndTypeAsync(cancellationToken);
        text.Append("# HELP tessera_tasks Tasks by status and type.\n# TYPE tessera_tasks gauge\n");
        foreach (var (status, type, count) in counts)
        {
            text.Append(c, $"tessera_tasks{{status=\"{status.SeedName()}\",type=\"{Tessera.Host.Catalog.CatalogTaskTypes.NameOf(type.Number)}\"}} {count}\n");
        }
        text.Append("# HELP tessera_queue_depth Tasks waiting for a worker.\n# TYPE tessera_queue_depth gauge\n");
        text.Append(c, $"tessera_queue_depth {counts.Where(x => x.Status == TaskStatus.NotStarted).Sum(x => x.Count)}\n");
        // Tasks DOWNLOADED or PROCESSING_COMPLETED are never held (a worker moves through them in one change): they wait.
        text.Append("# HELP tessera_queue_depth_by_role Tasks waiting for a worker of each role: not started (download), " +
            "downloaded or computed (process).\n# TYPE tessera_queue_depth_by_role gauge\n");
        text.Append(c, $"tessera_queue_depth_by_role{{role=\"download\"}} {counts.Where(x => x.Status == TaskStatus.NotStarted).Sum(x => x.Count)}\n");
        text.Append(c, $"tessera_queue_depth_by_role{{role=\"process\"}} {counts.Where(x => x.Status is TaskStatus.Downloaded or TaskStatus.ProcessingCompleted).Sum(x => x.Count)}\n");

        // This process's workers (none under tessera serve, whose workers run in a child) and the child's, as it reported them.
        var (children, child) = workerProcesses.Read();
        var measured = metrics.Snapshot().Plus(children);
        text.Append("# HELP tessera_stage_duration_seconds How long stages took in this server's workers.\n# TYPE tessera_stage_duration_seconds histogram\n");
        foreach (var (stage, durations) in measured.Durations.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            long cumulative = 0;
            for (var i = 0; i < TaskMetrics.Buckets.Length; i++)
            {
                cumulative += durations.Counts[i];
                text.Append(c, $"tessera_stage_duration_seconds_bucket{{stage=\"{stage}\",le=\"{TaskMetrics.Buckets[i]}\"}} {cumulative}\n");
            }
            text.Append(c, $"tessera_stage_duration_seconds_bucket{{stage=\"{stage}\",le=\"+Inf\"}} {durations.Count}\n");
            text.Append(c, $"tessera_stage_duration_seconds_sum{{stage=\"{stage}\"}} {durations.Sum}\n");
            text.Append(c, $"tessera_stage_duration_seconds_count{{stage=\"{stage}\"}} {durations.Count}\n");
        }
        text.Append("# HELP tessera_stage_failures_total Stages that failed in this server's workers, by stage and kind of error.\n# TYPE tessera_stage_failures_total counter\n");
        foreach (var failure in measured.Failures.OrderBy(f => f.Stage, StringComparer.Ordinal).ThenBy(f => f.Kind, StringComparer.Ordinal))
        {
            text.Append(c, $"tessera_stage_failures_total{{stage=\"{failure.Stage}\",kind=\"{failure.Kind}\"}} {failure.Count}\n");
        }
        text.Append("# HELP tessera_worker_heartbeat_timestamp_seconds Last time each worker of this server reached the database (a claim, idle or not, or a lease renewal).\n# TYPE tessera_worker_heartbeat_timestamp_seconds gauge\n");
        foreach (var (worker, at) in measured.Heartbeats.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            text.Append(c, $"tessera_worker_heartbeat_timestamp_seconds{{worker=\"{worker}\"}} {at}\n");
        }

        var server = ProcessGauges.OfThisProcess();
        text.Append("# HELP tessera_process_cpu_seconds_total CPU time (user and system) of the server and of its worker process.\n# TYPE tessera_process_cpu_seconds_total counter\n");
        text.Append(c, $"tessera_process_cpu_seconds_total{{process=\"server\"}} {server.CpuSeconds}\n");
        if (child is not null)
        {
            text.Append(c, $"tessera_process_cpu_seconds_total{{process=\"worker\"}} {child.CpuSeconds}\n");
        }
        text.Append("# HELP tessera_process_resident_memory_bytes Resident memory of the server and of its worker process.\n# TYPE tessera_process_resident_memory_bytes gauge\n");
        text.Append(c, $"tessera_process_resident_memory_bytes{{process=\"server\"}} {server.ResidentBytes}\n");
        if (child is not null)
        {
            text.Append(c, $"tessera_process_resident_memory_bytes{{process=\"worker\"}} {child.ResidentBytes}\n");
        }
        var disk = new DriveInfo(Path.GetFullPath(options.DataFolder));
        text.Append("# HELP tessera_disk_free_bytes Space left for the service on the data folder's file system.\n# TYPE tessera_disk_free_bytes gauge\n");
        text.Append(c, $"tessera_disk_free_bytes {disk.AvailableFreeSpace}\n");
        text.Append("# HELP tessera_disk_size_bytes Size of the data folder's file system.\n# TYPE tessera_disk_size_bytes gauge\n");
        text.Append(c, $"tessera_disk_size_bytes {disk.TotalSize}\n");
        return TypedResults.Text(text.ToString(), "text/plain; version=0.0.4", Encoding.UTF8);
    }
}
