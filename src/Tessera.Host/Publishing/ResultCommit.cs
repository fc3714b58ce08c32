using Tessera.Catalog.Files;
using Tessera.Catalog.Scenes;
using Tessera.Data;
using Tessera.Tasks;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Publishing;

/// <summary>
/// Publishing a result, as one explicit transaction on the database the stores share: the task moves to
/// PUBLISH_COMPLETED with its result (fenced by the attempt's lease), the result file, registered pending under
/// that lease, becomes visible, and a raster result becomes an item of its results collection — all, or none.
/// </summary>
public sealed class ResultCommit(Database database, DbTaskStore tasks, DbFileRegistry files, ISceneCatalog catalog, TimeProvider? time = null)
    : IResultCommit
{
    public async Task CommitAsync(Lease lease, TaskResult result, CancellationToken cancellationToken)
    {
        var task = await tasks.GetAsync(lease.TaskId, cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await tasks.CompleteInAsync(connection, transaction, lease, result, cancellationToken);
        await files.ConfirmPendingAsync(connection, transaction, result.OutputFileId, lease.Token.ToString(), cancellationToken);
        if (task is not null && await files.GetInAsync(connection, transaction, result.OutputFileId, cancellationToken) is { } file
            && ResultCollections.ItemOf(task, file, (time ?? TimeProvider.System).GetUtcNow()) is { } item)
        {
            await catalog.UpsertItemAsync(connection, transaction, item, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
