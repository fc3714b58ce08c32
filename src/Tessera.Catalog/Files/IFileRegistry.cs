namespace Tessera.Catalog.Files;

/// <summary>The records of the file store (the bytes are in the data folder).</summary>
public interface IFileRegistry
{
    /// <summary>
    /// Stores the record (its Id is ignored) and returns it with its new id; with a
    /// <paramref name="pendingToken"/> the file stays invisible until confirmed (see <see cref="DbFileRegistry.ConfirmPendingAsync"/>).
    /// </summary>
    Task<StoredFile> InsertAsync(StoredFile file, string? pendingToken = null, CancellationToken cancellationToken = default);

    Task<StoredFile?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Newest first; <paramref name="owner"/> null lists everyone's.</summary>
    Task<FilePage> ListAsync(string? owner, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes a visible file's record.</summary>
    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Deletes a pending file's record, if it is still pending under <paramref name="token"/>.</summary>
    Task<bool> DeletePendingAsync(long id, string token, CancellationToken cancellationToken = default);

    /// <summary>A visible file of <paramref name="owner"/> whose bytes have this SHA-256, or null.</summary>
    Task<StoredFile?> FindByChecksumAsync(string owner, string sha256, CancellationToken cancellationToken = default);

    /// <summary>Makes a result file an ordinary file of its owner's, kept whatever becomes of its task.</summary>
    Task KeepAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Result files whose task no longer exists, of one owner or (null) everyone's.</summary>
    Task<IReadOnlyList<StoredFile>> OrphanResultsAsync(string? owner, CancellationToken cancellationToken = default);

    /// <summary>Every pending file: produced by a task attempt, not yet published.</summary>
    Task<IReadOnlyList<PendingFile>> PendingAsync(CancellationToken cancellationToken = default);
}

/// <summary>A file registered by a task attempt that has not been published (yet, or ever).</summary>
public sealed record PendingFile(long Id, string RelativePath, string Token);
