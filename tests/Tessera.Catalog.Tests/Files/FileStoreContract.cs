using System.Security.Cryptography;
using Tessera.Catalog.Files;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Files;

/// <summary>What the file store does, on every registry: each database's test class says how to open one.</summary>
public abstract class FileStoreContract : IDisposable
{
    private readonly TempFolder _root = new();

    protected TempFolder Root => _root;

    /// <summary>Opens the registry of this test (the same database each time it is called).</summary>
    protected abstract Task<IFileRegistry> OpenRegistryAsync();

    private async Task<FileStore> OpenAsync(FileStoreOptions? options = null) =>
        new(options ?? new FileStoreOptions(_root.Path), await OpenRegistryAsync());

    private static FileStream Open(string path) => File.OpenRead(path);

    /// <summary>Records hold arrays (geotransform, bands), which records compare by reference: compare as JSON.</summary>
    private static void AssertSameFile(StoredFile expected, StoredFile? actual)
    {
        var json = new System.Text.Json.JsonSerializerOptions
        {
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        Assert.NotNull(actual);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected, json), System.Text.Json.JsonSerializer.Serialize(actual, json));
    }

    private string[] StoredBytes() =>
        Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("catalog.db")).ToArray();


    [Fact]
    public async Task AddProduced_ATable_IsStoredWithoutARasterDescription()
    {
        var source = Path.Combine(_root.Path, "statistics.csv");
        await File.WriteAllTextAsync(source, "zone,raster,band,count\n0,a.tif,1,4\n");
        var store = await OpenAsync();

        var produced = await store.AddProducedAsync(source, "zonal.csv", "alice", "attempt-1", table: true);

        Assert.Null(produced.Raster);
        Assert.Null(produced.LonLatBounds);
        Assert.Equal(("table", "text/csv", new FileInfo(source).Length), (produced.Kind, produced.MediaType, produced.Size));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(source))), produced.Sha256);
        Assert.Equal(1, await store.SweepPendingAsync((_, _) => Task.FromResult(false)));
        // A table is not accepted where a raster is expected: GDAL cannot open it as one.
        await Assert.ThrowsAsync<FileRejectedException>(() => store.AddProducedAsync(source, "zonal.tif", "alice", "attempt-2"));
    }

    [SampleDataFact]
    public async Task AddProduced_IsInvisibleWhilePending_AndTheSweepRemovesItOnceItsAttemptIsOver()
    {
        var source = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif");
        var store = await OpenAsync();
        var produced = await store.AddProducedAsync(source, "ndvi.tif", "alice", "attempt-1");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(source))), produced.Sha256);
        Assert.Equal(1098, produced.Raster!.Width);
        Assert.True(File.Exists(source)); // linked or copied, never moved: a failed publish can be tried again
        Assert.Null(await store.GetAsync(produced.Id, "alice"));
        Assert.Equal(0, (await store.ListAsync(null)).Total);
        Assert.False(await store.DeleteAsync(produced.Id, owner: null)); // no such (visible) file
        Assert.Single(StoredBytes());

        var asked = new List<string>();
        Assert.Equal(0, await store.SweepPendingAsync((token, _) => { asked.Add(token); return Task.FromResult(true); }));
        Assert.Equal(["attempt-1"], asked);
        Assert.Single(StoredBytes());
        Assert.Equal(1, await store.SweepPendingAsync((_, _) => Task.FromResult(false)));
        Assert.Empty(StoredBytes());
        Assert.Equal(0, await store.SweepPendingAsync((_, _) => Task.FromResult(false)));
    }

    [SampleDataFact]
    public async Task DiscardPending_NeedsTheAttemptsToken_AndAProducedFileIsCheckedLikeAnUpload()
    {
        var store = await OpenAsync();
        var produced = await store.AddProducedAsync(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), "ndvi.tif", "alice", "attempt-1");
        await store.DiscardPendingAsync(produced.Id, "attempt-2");
        Assert.Single(StoredBytes());
        await store.DiscardPendingAsync(produced.Id, "attempt-1");
        Assert.Empty(StoredBytes());

        var text = _root.File("not-a-raster.tif");
        await File.WriteAllTextAsync(text, "hello");
        var refused = await Assert.ThrowsAsync<FileRejectedException>(() => store.AddProducedAsync(text, "out.tif", "alice", "attempt-3"));
        Assert.StartsWith("out.tif: ", refused.Message);
        await Assert.ThrowsAsync<FileRejectedException>(() => store.AddProducedAsync(SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), "../x.tif", "alice", "attempt-3"));
        Assert.Equal(0, await store.SweepPendingAsync((_, _) => Task.FromResult(false)));
        Assert.Equal(["not-a-raster.tif"], StoredBytes().Select(Path.GetFileName));
    }

    [SampleDataFact]
    public async Task Add_RealBand_IsStoredDescribedAndChecksummed()
    {
        var source = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif");
        var store = await OpenAsync();
        await using var upload = Open(source);
        var file = await store.AddAsync(upload, "B04.tif", "alice");

        Assert.Equal("B04.tif", file.Name);
        Assert.Equal("alice", file.Owner);
        Assert.Equal(new FileInfo(source).Length, file.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(source))), file.Sha256);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(await store.PathOfAsync(file.Id, "alice")));
        // What the data folder's README and GDAL say of this file.
        Assert.Equal(1098, file.Raster!.Width);
        Assert.Equal(32629, file.Raster.Epsg);
        Assert.Equal(0, file.Raster.Bands[0].NoData);
        Assert.Equal("UInt16", file.Raster.Bands[0].DataType);
        var gdal = PythonReference.Run("wgs84_extent.py", new { path = source });
        Assert.Equal(gdal.GetProperty("minX").GetDouble(), file.LonLatBounds!.Value.MinX, 0.01);
        Assert.Equal(gdal.GetProperty("maxY").GetDouble(), file.LonLatBounds!.Value.MaxY, 0.01);

        AssertSameFile(file, await store.GetAsync(file.Id, "alice"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root.Path, "incoming")));
    }

    [Fact]
    public async Task Add_NotARaster_IsRejected_AndNothingIsKept()
    {
        var store = await OpenAsync();
        using var text = new MemoryStream("just some text, not a TIFF"u8.ToArray());
        var e = await Assert.ThrowsAsync<FileRejectedException>(() => store.AddAsync(text, "notes.tif", "alice"));
        Assert.Equal("notes.tif: not a raster GDAL can read", e.Message);
        Assert.Empty(StoredBytes());
        Assert.Equal(0, (await store.ListAsync(null)).Total);
    }

    [Fact]
    public async Task Add_OverTheSizeLimit_IsRejected_AndNothingIsKept()
    {
        var store = await OpenAsync(new FileStoreOptions(_root.Path, MaxUploadBytes: 1000));
        var raster = SyntheticRaster.Write<ushort>(_root.File("big.tif.src"), SyntheticRaster.Grid(64, 64), (c, r) => (ushort)(c * r));
        await using var upload = Open(raster);
        File.Delete(raster); // the open stream still reads it; the folder must end up empty
        var e = await Assert.ThrowsAsync<FileRejectedException>(() => store.AddAsync(upload, "big.tif", "alice"));
        Assert.Equal("the upload is larger than the limit of 1000 bytes", e.Message);
        Assert.Empty(StoredBytes());
    }

    [Fact]
    public async Task Add_AbsurdDimensions_AreRejected()
    {
        var store = await OpenAsync(new FileStoreOptions(_root.Path, MaxDimension: 50));
        var raster = SyntheticRaster.Write<byte>(_root.File("wide.src"), SyntheticRaster.Grid(64, 8), (c, r) => 1);
        await using var upload = Open(raster);
        var e = await Assert.ThrowsAsync<FileRejectedException>(() => store.AddAsync(upload, "wide.tif", "alice"));
        Assert.Equal("wide.tif: 64 x 8 pixels is not a size accepted here (at most 50 a side)", e.Message);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("a/b.tif")]
    [InlineData("..\\b.tif")]
    [InlineData(".hidden.tif")]
    [InlineData("")]
    [InlineData("bad\nname.tif")]
    public async Task Add_HostileOrEmptyName_IsRejected(string name)
    {
        var store = await OpenAsync();
        using var content = new MemoryStream([1, 2, 3]);
        var e = await Assert.ThrowsAsync<FileRejectedException>(() => store.AddAsync(content, name, "alice"));
        Assert.Contains("is not accepted (", e.Message);
        Assert.Contains("): give a plain name such as B04.tif", e.Message);
        Assert.Empty(StoredBytes());
    }

    [Fact]
    public async Task List_PagesNewestFirst_AndOwnersSeeOnlyTheirFiles()
    {
        var store = await OpenAsync();
        var ids = new List<long>();
        foreach (var (name, owner) in new[] { ("a.tif", "alice"), ("b.tif", "bob"), ("c.tif", "alice"), ("d.tif", "alice") })
        {
            // Different bytes each: the same bytes would be stored once.
            var raster = SyntheticRaster.Write<byte>(_root.File($"{name}.src"), SyntheticRaster.Grid(8, 8), (c, r) => (byte)name[0]);
            await using var upload = Open(raster);
            ids.Add((await store.AddAsync(upload, name, owner)).Id);
        }

        var page = await store.ListAsync("alice", offset: 0, limit: 2);
        Assert.Equal(3, page.Total);
        Assert.Equal(["d.tif", "c.tif"], page.Items.Select(f => f.Name));
        Assert.Equal(["a.tif"], (await store.ListAsync("alice", offset: 2, limit: 2)).Items.Select(f => f.Name));
        Assert.Equal(4, (await store.ListAsync(null)).Total);

        Assert.Null(await store.GetAsync(ids[1], "alice"));           // bob's file is not alice's
        Assert.NotNull(await store.GetAsync(ids[1], null));           // an administrator sees it
        await Assert.ThrowsAsync<StoredFileNotFoundException>(() => store.PathOfAsync(ids[1], "alice"));
        await Assert.ThrowsAsync<CatalogException>(() => store.ListAsync("alice", -1, 10));
    }

    [SampleDataFact]
    public async Task TheSameBytesUploadedAgainByTheSameOwner_AreNotStoredTwice()
    {
        var store = await OpenAsync();
        var source = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif");
        async Task<(StoredFile File, bool Already)> Upload(string name, string owner)
        {
            await using var upload = Open(source);
            return await store.UploadAsync(upload, name, owner);
        }
        var first = await Upload("B04.tif", "alice");
        var again = await Upload("red.tif", "alice");
        var bobs = await Upload("B04.tif", "bob");

        Assert.False(first.Already);
        Assert.True(again.Already);
        AssertSameFile(first.File, again.File); // the file first stored, under its first name
        Assert.False(bobs.Already);           // another owner's copy is theirs
        Assert.NotEqual(first.File.Id, bobs.File.Id);
        Assert.Equal(2, StoredBytes().Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root.Path, "incoming")));
        Assert.Equal(1, (await store.ListAsync("alice")).Total);

        // A task's result (published: visible) uploaded again by its owner becomes theirs to keep (no longer a task's result).
        var nirSource = SampleData.File("S2A_29RKH_20200219_L2A_B08.tif");
        Directory.CreateDirectory(Path.Combine(_root.Path, "files", "result"));
        File.Copy(nirSource, Path.Combine(_root.Path, "files", "result", "nir.tif"));
        var produced = await (await OpenRegistryAsync()).InsertAsync(new StoredFile(0, "nir.tif", "alice", new FileInfo(nirSource).Length,
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(nirSource))), DateTimeOffset.UnixEpoch, null, null, Path.Combine("files", "result", "nir.tif"), TaskId: 41));
        Assert.Equal(41, (await store.GetAsync(produced.Id, "alice"))!.TaskId);
        await using var nir = Open(nirSource);
        var adopted = await store.UploadAsync(nir, "B08.tif", "alice");
        Assert.True(adopted.AlreadyStored);
        Assert.Equal(produced.Id, adopted.File.Id);
        Assert.Null((await store.GetAsync(produced.Id, "alice"))!.TaskId);
    }

    [SampleDataFact]
    public async Task AVectorFileLargerThanItsLimit_IsRefused_NamingIt()
    {
        var store = await OpenAsync(new FileStoreOptions(_root.Path, MaxVectorBytes: 1L << 20));
        var zones = SampleData.File("S2_slovenia_LULC_polygons_wgs84.geojson");
        await using (var small = Open(zones))
        {
            Assert.Equal("vector", (await store.AddAsync(small, "parcels.geojson", "alice")).Kind);
        }
        var big = _root.File("big.geojson");
        await File.WriteAllTextAsync(big, (await File.ReadAllTextAsync(zones)).Replace("{", "{ " + new string(' ', 1 << 15), StringComparison.Ordinal));
        Assert.True(new FileInfo(big).Length > 1 << 20);
        await using var upload = Open(big);
        var e = await Assert.ThrowsAsync<FileRejectedException>(() => store.AddAsync(upload, "big.geojson", "alice"));
        Assert.Equal($"big.geojson: {new FileInfo(big).Length >> 20} MiB is more than the 1 MiB accepted for a vector file (zones)", e.Message);
    }

    [Fact]
    public async Task Delete_RemovesRecordAndBytes_OnlyForTheOwner()
    {
        var store = await OpenAsync();
        var raster = SyntheticRaster.Write<byte>(_root.File("r.src"), SyntheticRaster.Grid(8, 8), (c, r) => 1);
        File.Move(raster, _root.File("kept-outside"));
        await using var upload = Open(_root.File("kept-outside"));
        var file = await store.AddAsync(upload, "x.tif", "alice");
        var path = await store.PathOfAsync(file.Id, "alice");

        Assert.False(await store.DeleteAsync(file.Id, "bob"));
        Assert.True(File.Exists(path));
        Assert.True(await store.DeleteAsync(file.Id, "alice"));
        Assert.False(File.Exists(path));
        Assert.Null(await store.GetAsync(file.Id, null));
        Assert.False(await store.DeleteAsync(file.Id, "alice"));
    }

    [Fact]
    public async Task Registry_SurvivesReopening()
    {
        var store = await OpenAsync();
        var raster = SyntheticRaster.Write<byte>(_root.File("r.src"), SyntheticRaster.Grid(8, 8), (c, r) => 1);
        await using var upload = Open(raster);
        var file = await store.AddAsync(upload, "x.tif", "alice");
        var reopened = await OpenAsync();
        AssertSameFile(file, await reopened.GetAsync(file.Id, "alice"));
    }

    public virtual void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Dispose();
        GC.SuppressFinalize(this);
    }
}
