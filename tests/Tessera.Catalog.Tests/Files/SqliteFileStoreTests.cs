using Tessera.Catalog.Files;
using Tessera.Catalog.Files.Sqlite;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Files;

/// <summary>The file store contract on SQLite.</summary>
public sealed class SqliteFileStoreTests : FileStoreContract
{
    protected override async Task<IFileRegistry> OpenRegistryAsync() => await SqliteFileRegistry.OpenAsync(Root.File("catalog.db"));
}
