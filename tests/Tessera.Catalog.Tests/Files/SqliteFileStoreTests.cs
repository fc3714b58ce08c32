using Tessera.Catalog.Files;
using Tessera.Data;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Files;

/// <summary>The file store contract on SQLite.</summary>
public sealed class SqliteFileStoreTests : FileStoreContract
{
    protected override async Task<IFileRegistry> OpenRegistryAsync() =>
        await DbFileRegistry.OpenAsync(await SqliteDatabase.OpenAsync(Root.File("catalog.db")), ownsDatabase: true);
}
