using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Tessera.Server.Access;
using Tessera.Tasks;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Server.Api;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format: tasks by status and type and the queue depth (from the
/// database, so they cover every worker), and this process's stage durations, failures per stage and
/// worker heartbeats.
/// </summary>
public static class MetricsApi
{
    public static void MapMetricsApi(this WebApplication app) => app.MapGet("/metrics", Render).AllowAnyone();

    private static async Task<ContentHttpResult> Render(ITaskStore tasks, TaskMetrics metrics, CancellationToken cancellationToken)
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

        text.Append("# HELP tessera_stage_duration_seconds How long stages took in this process.\n# TYPE tessera_stage_duration_seconds histogram\n");
        foreach (var (stage, histogram) in metrics.Durations.OrderBy(d => d.Key))
        {
            var (cumulative, total, sum) = histogram.Snapshot();
            for (var i = 0; i < TaskMetrics.Buckets.Length; i++)
            {
                text.Append(c, $"tessera_stage_duration_seconds_bucket{{stage=\"{stage}\",le=\"{TaskMetrics.Buckets[i]}\"}} {cumulative[i]}\n");
            }
            text.Append(c, $"tessera_stage_duration_seconds_bucket{{stage=\"{stage}\",le=\"+Inf\"}} {cumulative[^1]}\n");
            text.Append(c, $"tessera_stage_duration_seconds_sum{{stage=\"{stage}\"}} {sum}\n");
            text.Append(c, $"tessera_stage_duration_seconds_count{{stage=\"{stage}\"}} {total}\n");
        }
        text.Append("# HELP tessera_stage_failures_total Stages that failed in this process, by stage.\n# TYPE tessera_stage_failures_total counter\n");
        foreach (var (stage, failures) in metrics.Failures.OrderBy(f => f.Key))
        {
            text.Append(c, $"tessera_stage_failures_total{{stage=\"{stage}\"}} {failures}\n");
        }
        text.Append("# HELP tessera_worker_heartbeat_timestamp_seconds Last lease renewal of each worker of this process.\n# TYPE tessera_worker_heartbeat_timestamp_seconds gauge\n");
        foreach (var (worker, at) in metrics.Heartbeats.OrderBy(h => h.Key))
        {
            text.Append(c, $"tessera_worker_heartbeat_timestamp_seconds{{worker=\"{worker}\"}} {at.ToUnixTimeMilliseconds() / 1000.0}\n");
        }
        return TypedResults.Text(text.ToString(), "text/plain; version=0.0.4", Encoding.UTF8);
    }
}
