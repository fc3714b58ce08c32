namespace Tessera.Catalog.Files;

/// <summary>The records of the file store (the bytes are in the data folder).</summary>
public interface IFileRegistry
{
    /// <summary>Stores the record (its Id is ignored) and returns it with its new id.</summary>
    Task<StoredFile> InsertAsync(StoredFile file, CancellationToken cancellationToken = default);

    Task<StoredFile?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Newest first; <paramref name="owner"/> null lists everyone's.</summary>
    Task<FilePage> ListAsync(string? owner, int offset, int limit, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default);
}
