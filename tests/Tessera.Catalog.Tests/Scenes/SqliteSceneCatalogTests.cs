using Tessera.Data;

namespace Tessera.Catalog.Tests.Scenes;

/// <summary>The catalog contract on SQLite.</summary>
public sealed class SqliteSceneCatalogTests : SceneCatalogContract
{
    private SqliteDatabase? _database;

    protected override async Task<Database> OpenDatabaseAsync() => _database ??= await SqliteDatabase.OpenAsync(Root.File("catalog.db"));
}
