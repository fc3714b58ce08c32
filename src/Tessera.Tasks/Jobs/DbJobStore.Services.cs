using System.Data.Common;
using System.Globalization;

namespace Tessera.Tasks.Jobs;

/// <summary>openEO secondary web services and their logs, in the same database as the jobs (migration 003).</summary>
public sealed partial class DbJobStore
{
    public async Task<WebService> CreateServiceAsync(string owner, string type, string? title, string? description, string process, bool enabled,
        string configuration, string? plan, double? budget, string logLevel, string? userProcesses = null, CancellationToken cancellationToken = default)
    {
        var id = "s-" + Guid.NewGuid().ToString("N")[..20];
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var insert = Query(connection, "insert_service", ("id", id), ("owner", owner), ("type", type), ("title", title),
            ("description", description), ("process", process), ("enabled", enabled), ("configuration", configuration), ("plan", plan),
            ("budget", budget), ("log_level", logLevel), ("user_processes", userProcesses), ("now", Now));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return (await GetServiceAsync(id, null, cancellationToken))!;
    }

    /// <summary>The service, when it exists and <paramref name="visibility"/> (an owner, or null for every service) may see it.</summary>
    public async Task<WebService?> GetServiceAsync(string id, string? visibility, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_service", ("id", id));
        var services = await ReadServicesAsync(select, cancellationToken);
        return services.FirstOrDefault(s => visibility is null || s.Owner == visibility);
    }

    /// <summary>The services <paramref name="visibility"/> may see, newest first.</summary>
    public async Task<IReadOnlyList<WebService>> ListServicesAsync(string? visibility, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = visibility is null ? Query(connection, "select_all_services", ("limit", limit))
            : Query(connection, "select_services", ("owner", visibility), ("limit", limit));
        return await ReadServicesAsync(select, cancellationToken);
    }

    /// <summary>Stores what may change of a service (all but its owner, type and creation time).</summary>
    public async Task UpdateServiceAsync(WebService service, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var update = Query(connection, "update_service", ("id", service.Id), ("title", service.Title), ("description", service.Description),
            ("process", service.Process), ("enabled", service.Enabled), ("configuration", service.Configuration), ("plan", service.Plan),
            ("budget", service.Budget), ("log_level", service.LogLevel), ("user_processes", service.UserProcesses), ("now", Now));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteServiceAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using (var logs = Query(connection, "clear_service_logs", ("service", id)))
        {
            await logs.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var delete = Query(connection, "delete_service", ("id", id));
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task LogServiceAsync(string id, string level, string message, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var insert = Query(connection, "insert_service_log", ("service", id), ("level", level), ("message", message), ("now", Now));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The log lines after <paramref name="after"/> (a sequence number; 0: from the start), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<JobLogEntry>> ServiceLogsAsync(string id, long after, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_service_logs", ("service", id), ("after", after), ("limit", limit));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var entries = new List<JobLogEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new JobLogEntry(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture))));
        }
        return entries;
    }

    private static async Task<List<WebService>> ReadServicesAsync(DbCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var services = new List<WebService>();
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            long Long(int i) => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            services.Add(new WebService(reader.GetString(0), reader.GetString(1), reader.GetString(2), Text(3), Text(4), reader.GetString(5),
                Convert.ToBoolean(reader.GetValue(6), CultureInfo.InvariantCulture), reader.GetString(7), Text(8),
                reader.IsDBNull(9) ? null : Convert.ToDouble(reader.GetValue(9), CultureInfo.InvariantCulture), reader.GetString(10),
                DateTimeOffset.FromUnixTimeMilliseconds(Long(11)), DateTimeOffset.FromUnixTimeMilliseconds(Long(12)), Text(13)));
        }
        return services;
    }
}
