namespace Tessera.Catalog;

/// <summary>Base of the errors of the catalog layer; messages are meant for the API's callers as they are.</summary>
public class CatalogException(string message) : Exception(message);

/// <summary>An upload that is not accepted: not a raster, too large, bad name. Nothing of it is kept.</summary>
public sealed class FileRejectedException(string message) : CatalogException(message);

/// <summary>No file with that id (or none the caller may see).</summary>
public sealed class StoredFileNotFoundException(long id) : CatalogException($"file {id} does not exist")
{
    public long Id { get; } = id;
}
