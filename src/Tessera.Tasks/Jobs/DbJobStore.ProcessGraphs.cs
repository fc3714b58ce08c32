using System.Globalization;

namespace Tessera.Tasks.Jobs;

/// <summary>A user-defined process as stored: its owner's, by id, the API's document (JSON, with its process graph).</summary>
public sealed record StoredProcessGraph(string Owner, string Id, string Process, DateTimeOffset Created, DateTimeOffset Updated);

public sealed partial class DbJobStore
{
    /// <summary>Stores the owner's process of that id, or replaces it whole (in one statement).</summary>
    public async Task PutProcessGraphAsync(string owner, string id, string process, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var upsert = Query(connection, "upsert_process_graph", ("owner", owner), ("id", id), ("process", process), ("now", Now));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The owner's process of that id, or null.</summary>
    public async Task<StoredProcessGraph?> GetProcessGraphAsync(string owner, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_process_graph", ("owner", owner), ("id", id));
        return (await ReadProcessGraphsAsync(select, cancellationToken)).FirstOrDefault();
    }

    /// <summary>The owner's processes by id, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<StoredProcessGraph>> ListProcessGraphsAsync(string owner, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Query(connection, "select_process_graphs", ("owner", owner), ("limit", limit));
        return await ReadProcessGraphsAsync(select, cancellationToken);
    }

    /// <summary>Deletes the owner's process of that id; false when there was none. Jobs that call it keep their copy.</summary>
    public async Task<bool> DeleteProcessGraphAsync(string owner, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var delete = Query(connection, "delete_process_graph", ("owner", owner), ("id", id));
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<List<StoredProcessGraph>> ReadProcessGraphsAsync(System.Data.Common.DbCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var found = new List<StoredProcessGraph>();
        while (await reader.ReadAsync(cancellationToken))
        {
            long Long(int i) => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            found.Add(new StoredProcessGraph(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                DateTimeOffset.FromUnixTimeMilliseconds(Long(3)), DateTimeOffset.FromUnixTimeMilliseconds(Long(4))));
        }
        return found;
    }
}
