using Tessera.Catalog.Files;
using Tessera.Data;
using Tessera.Tasks;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Publishing;

/// <summary>
/// Publishing a result, as one explicit transaction on the database both stores share: the task moves to
/// PUBLISH_COMPLETED with its result (fenced by the attempt's lease) and the result file, registered pending under
/// that lease, becomes visible — both, or neither.
/// </summary>
public sealed class ResultCommit(Database database, DbTaskStore tasks, DbFileRegistry files) : IResultCommit
{
    public async Task CommitAsync(Lease lease, TaskResult result, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await tasks.CompleteInAsync(connection, transaction, lease, result, cancellationToken);
        await files.ConfirmPendingAsync(connection, transaction, result.OutputFileId, lease.Token.ToString(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
