using System.Security.Cryptography;
using Tessera.Raster;
using Tessera.Raster.Features;
using Tessera.Raster.Info;

namespace Tessera.Catalog.Files;

/// <summary>
/// The data folder of uploaded and produced rasters (and of the tables some tasks produce). An upload is streamed to <c>incoming/</c> (size limit
/// and SHA-256 on the way), checked to be a raster GDAL can open with sane dimensions, described, and only
/// then moved under <c>files/</c> and registered; a rejected or failed upload leaves nothing behind.
/// Callers see their own files; a null owner (an administrator) sees all.
/// </summary>
public sealed class FileStore
{
    private readonly FileStoreOptions _options;
    private readonly IFileRegistry _registry;
    private readonly TimeProvider _time;

    public FileStore(FileStoreOptions options, IFileRegistry registry, TimeProvider? time = null)
    {
        _options = options;
        _registry = registry;
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(Path.Combine(options.Root, "files"));
        Directory.CreateDirectory(Path.Combine(options.Root, "incoming"));
    }

    /// <summary>Stores and registers an uploaded raster (or finds it stored); <see cref="FileRejectedException"/> says why not.</summary>
    public async Task<StoredFile> AddAsync(Stream content, string fileName, string owner, CancellationToken cancellationToken = default) =>
        (await UploadAsync(content, fileName, owner, cancellationToken)).File;

    /// <summary>
    /// Stores and registers an uploaded raster; <see cref="FileRejectedException"/> says why not. The same bytes (same
    /// SHA-256) uploaded again by the same owner are not stored twice: the file already stored is the answer, under its
    /// first name, <c>AlreadyStored</c> (and kept from then on, should it be a task's result).
    /// </summary>
    public async Task<(StoredFile File, bool AlreadyStored)> UploadAsync(Stream content, string fileName, string owner, CancellationToken cancellationToken = default)
    {
        var name = CheckName(fileName);
        var incoming = Path.Combine(_options.Root, "incoming", $"{Guid.NewGuid():N}-{name}");
        var folder = Path.Combine("files", Guid.NewGuid().ToString("N"));
        var final = Path.Combine(_options.Root, folder, name);
        try
        {
            var (size, sha) = await CopyAsync(content, incoming, cancellationToken);
            if (await _registry.FindByChecksumAsync(owner, sha, cancellationToken) is { } stored && File.Exists(FileNames.Inside(_options.Root, stored.RelativePath)))
            {
                if (stored.TaskId is not null)
                {
                    await _registry.KeepAsync(stored.Id, cancellationToken);
                }
                return (stored with { TaskId = null }, true);
            }
            if (IsVector(name) && size > _options.MaxVectorBytes)
            {
                throw new FileRejectedException($"{name}: {size >> 20} MiB is more than the {_options.MaxVectorBytes >> 20} MiB accepted for a vector file (zones)");
            }
            // Decoding the whole upload is CPU and disk work: off the request's thread.
            RasterDescription? description = null;
            VectorDescription? vector = null;
            Bounds? lonLat;
            if (IsVector(name))
            {
                (vector, lonLat) = await Task.Run(() => DescribeVector(incoming, name), cancellationToken);
            }
            else
            {
                (description, lonLat) = await Task.Run(() => Describe(incoming, name, verify: true, cancellationToken), cancellationToken);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(incoming, final);
            var relative = Path.Combine(folder, name);
            // Stored to the millisecond: the record returned is the record read back later.
            var created = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
            var record = new StoredFile(0, name, owner, size, sha, created, description is null ? null : description with { Path = relative }, lonLat, relative,
                Vector: vector);
            try
            {
                return (await _registry.InsertAsync(record, cancellationToken: cancellationToken), false);
            }
            catch
            {
                Directory.Delete(Path.GetDirectoryName(final)!, recursive: true);
                throw;
            }
        }
        finally
        {
            if (File.Exists(incoming))
            {
                File.Delete(incoming);
            }
        }
    }

    /// <summary>
    /// Registers a raster produced by a task attempt, invisible until the task is published: described where
    /// it lies, registered as pending under <paramref name="attemptToken"/>, then put into the store: hard-linked where
    /// the file system allows, copied otherwise (the source stays either way, so a publish that fails can be tried
    /// again). The record exists before the bytes, so an
    /// attempt that dies at any point leaves nothing that <see cref="SweepPendingAsync"/> does not find.
    /// </summary>
    /// <param name="companions">Files that go with it (a preview, its legend), by plain name, written beside it.</param>
    /// <param name="table">The file is a table (zonal statistics), not a raster: registered without a raster description.</param>
    /// <param name="tableBounds">A table's footprint in WGS 84, when it has one.</param>
    /// <param name="taskId">The task whose result it is: once that task is gone and no task uses the file, cleanup removes it.</param>
    public async Task<StoredFile> AddProducedAsync(string sourcePath, string fileName, string owner, string attemptToken,
        IReadOnlyDictionary<string, byte[]>? companions = null, CancellationToken cancellationToken = default, bool table = false,
        Bounds? tableBounds = null, long? taskId = null)
    {
        foreach (var companion in companions?.Keys ?? [])
        {
            CheckCompanionName(companion);
        }
        var name = CheckName(fileName);
        (RasterDescription? description, Bounds? lonLat) = table ? (null, tableBounds) : Describe(sourcePath, name, verify: false, cancellationToken);
        var (size, sha) = await HashAsync(sourcePath, cancellationToken);
        var folder = Path.Combine("files", Guid.NewGuid().ToString("N"));
        var relative = Path.Combine(folder, name);
        var created = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        var stored = await _registry.InsertAsync(new StoredFile(0, name, owner, size, sha, created, description is null ? null : description with { Path = relative },
            lonLat, relative, taskId), attemptToken, cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.Combine(_options.Root, folder));
            await FileLinks.LinkOrCopyAsync(sourcePath, Path.Combine(_options.Root, relative), cancellationToken);
            foreach (var (companion, bytes) in companions ?? new Dictionary<string, byte[]>())
            {
                await File.WriteAllBytesAsync(Path.Combine(_options.Root, folder, companion), bytes, cancellationToken);
            }
        }
        catch
        {
            await DiscardPendingAsync(stored.Id, attemptToken, CancellationToken.None);
            throw;
        }
        return stored;
    }

    /// <summary>
    /// Where a companion of a stored file (its preview, say) is kept: beside its bytes, under a plain name
    /// that cannot be the raster's own. The file may not exist yet.
    /// </summary>
    public string CompanionPath(StoredFile file, string name)
    {
        CheckCompanionName(name);
        var folder = Path.GetDirectoryName(FileNames.Inside(_options.Root, file.RelativePath))!;
        var path = Path.Combine(folder, name);
        if (string.Equals(Path.GetFileName(file.RelativePath), name, StringComparison.Ordinal))
        {
            throw new CatalogException($"'{name}' is the name of the raster itself");
        }
        return path;
    }

    /// <summary>Writes a companion of a stored file whole or not at all (a temporary name, then a rename).</summary>
    public async Task WriteCompanionAsync(StoredFile file, string name, byte[] bytes, CancellationToken cancellationToken = default)
    {
        var path = CompanionPath(file, name);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private static void CheckCompanionName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\', '\0', ':']) >= 0 || name.StartsWith('.'))
        {
            throw new CatalogException($"'{name}' is not a plain file name");
        }
    }

    /// <summary>Removes a file registered by <see cref="AddProducedAsync"/> that was not published.</summary>
    public async Task DiscardPendingAsync(long id, string attemptToken, CancellationToken cancellationToken = default)
    {
        var pending = (await _registry.PendingAsync(cancellationToken)).FirstOrDefault(p => p.Id == id && p.Token == attemptToken);
        if (pending is not null)
        {
            await RemovePendingAsync(pending, cancellationToken);
        }
    }

    /// <summary>
    /// Removes pending files whose attempt is over (<paramref name="attemptLive"/> says no): results of
    /// attempts that died or lost their task before publishing. Returns how many were removed.
    /// </summary>
    public async Task<int> SweepPendingAsync(Func<string, CancellationToken, Task<bool>> attemptLive, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var pending in await _registry.PendingAsync(cancellationToken))
        {
            if (!await attemptLive(pending.Token, cancellationToken) && await RemovePendingAsync(pending, cancellationToken))
            {
                removed++;
            }
        }
        return removed;
    }

    private async Task<bool> RemovePendingAsync(PendingFile pending, CancellationToken cancellationToken)
    {
        if (!await _registry.DeletePendingAsync(pending.Id, pending.Token, cancellationToken))
        {
            return false; // published meanwhile, or removed by someone else
        }
        var folder = Path.GetDirectoryName(FileNames.Inside(_options.Root, pending.RelativePath))!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        return true;
    }

    /// <summary>
    /// Removes uploads that stopped arriving: files in <c>incoming/</c> unchanged for <paramref name="idle"/> (the
    /// server died during an upload; a live upload writes all the time). Returns how many were removed.
    /// </summary>
    public int SweepIncoming(TimeSpan idle)
    {
        var removed = 0;
        var before = DateTime.UtcNow - idle;
        foreach (var file in new DirectoryInfo(Path.Combine(_options.Root, "incoming")).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc > before)
            {
                continue;
            }
            try
            {
                file.Delete();
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // in use or gone: looked at again next time
            }
        }
        return removed;
    }

    /// <summary>The file's record, if it exists and <paramref name="owner"/> may see it (null: anyone's).</summary>
    public async Task<StoredFile?> GetAsync(long id, string? owner, CancellationToken cancellationToken = default)
    {
        var file = await _registry.GetAsync(id, cancellationToken);
        return file is not null && (owner is null || file.Owner == owner) ? file : null;
    }

    public Task<FilePage> ListAsync(string? owner, int offset = 0, int limit = 50, CancellationToken cancellationToken = default)
    {
        if (offset < 0 || limit is < 1 or > 1000)
        {
            throw new CatalogException("offset must be 0 or more and limit between 1 and 1000");
        }
        return _registry.ListAsync(owner, offset, limit, cancellationToken);
    }

    /// <summary>The full path of a stored file's bytes, for reading (GDAL or a download).</summary>
    public async Task<string> PathOfAsync(long id, string? owner, CancellationToken cancellationToken = default)
    {
        var file = await GetAsync(id, owner, cancellationToken) ?? throw new StoredFileNotFoundException(id);
        return FileNames.Inside(_options.Root, file.RelativePath);
    }

    /// <summary>Result files whose task is gone, of one owner or (null) everyone's (cleanup checks that no task uses them).</summary>
    public Task<IReadOnlyList<StoredFile>> OrphanResultsAsync(string? owner, CancellationToken cancellationToken = default) =>
        _registry.OrphanResultsAsync(owner, cancellationToken);

    /// <summary>Removes the record, then the bytes; false when there is no such file for this caller.</summary>
    public async Task<bool> DeleteAsync(long id, string? owner, CancellationToken cancellationToken = default)
    {
        var file = await GetAsync(id, owner, cancellationToken);
        if (file is null || !await _registry.DeleteAsync(id, cancellationToken))
        {
            return false;
        }
        var folder = Path.GetDirectoryName(FileNames.Inside(_options.Root, file.RelativePath))!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        return true;
    }

    private static string CheckName(string fileName) => FileNames.Plain(fileName);

    private static async Task<(long Size, string Sha256)> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var sha = await SHA256.HashDataAsync(file, cancellationToken);
        return (file.Length, Convert.ToHexStringLower(sha));
    }

    private async Task<(long Size, string Sha256)> CopyAsync(Stream content, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long size = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > _options.MaxUploadBytes)
                {
                    throw new FileRejectedException($"the upload is larger than the limit of {_options.MaxUploadBytes} bytes");
                }
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        if (size == 0)
        {
            throw new FileRejectedException("the upload is empty");
        }
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>Whether an upload's name says it is a vector file: zones (GeoJSON, GeoPackage, a zipped shapefile).</summary>
    public static bool IsVector(string name) =>
        Path.GetExtension(name).ToLowerInvariant() is ".geojson" or ".json" or ".gpkg" or ".zip";

    /// <summary>A vector upload opened as GDAL reads it (a zipped shapefile converted first): at least one feature with a geometry.</summary>
    private static (VectorDescription, Bounds?) DescribeVector(string path, string name)
    {
        var converted = ZippedShapefile.IsOne(name) ? Path.Combine(Path.GetDirectoryName(path)!, $"{Guid.NewGuid():N}.gpkg") : null;
        try
        {
            if (converted is not null)
            {
                ZippedShapefile.ToGeoPackage(path, converted, name);
            }
            using var vector = VectorFile.Open(converted ?? path);
            var features = vector.FeatureCount;
            if (features < 1 || vector.Extent is null)
            {
                throw new FileRejectedException($"{name}: has no features with a geometry");
            }
            var format = converted is not null ? "ESRI Shapefile" : Path.GetExtension(name).Equals(".gpkg", StringComparison.OrdinalIgnoreCase) ? "GPKG" : "GeoJSON";
            var lonLat = vector.CopyTo("EPSG:4326", format: "GeoJSON");
            Bounds? bounds;
            try
            {
                using var copy = VectorFile.Open(lonLat);
                bounds = copy.Extent;
            }
            finally
            {
                VectorFile.DeleteTemporary(lonLat);
            }
            return (new VectorDescription(format, features, vector.GeometryType, vector.CrsWkt, vector.FieldNames), bounds);
        }
        catch (RasterException e)
        {
            var reason = e.Message.Replace(converted ?? path, name, StringComparison.Ordinal).Replace(path, name, StringComparison.Ordinal);
            throw new FileRejectedException(reason.StartsWith(name, StringComparison.Ordinal) ? reason : $"{name}: {reason}");
        }
        finally
        {
            if (converted is not null && File.Exists(converted))
            {
                File.Delete(converted);
            }
        }
    }

    /// <param name="verify">Decode every block too (an upload; a task's own result needs no such check).</param>
    private (RasterDescription Description, Bounds? LonLat) Describe(string path, string name, bool verify, CancellationToken cancellationToken)
    {
        try
        {
            using var dataset = RasterDataset.Open(path);
            if (dataset.Width < 1 || dataset.Height < 1 || dataset.Width > _options.MaxDimension || dataset.Height > _options.MaxDimension)
            {
                throw new FileRejectedException($"{name}: {dataset.Width} x {dataset.Height} pixels is not a size accepted here (at most {_options.MaxDimension} a side)");
            }
            if ((long)dataset.Width * dataset.Height > _options.MaxPixels)
            {
                throw new FileRejectedException($"{name}: {dataset.Width} x {dataset.Height} pixels is more than the {_options.MaxPixels} accepted");
            }
            if (dataset.BandCount > _options.MaxBands)
            {
                throw new FileRejectedException($"{name}: {dataset.BandCount} bands is more than the {_options.MaxBands} accepted");
            }
            var description = RasterDescription.Of(dataset);
            if (verify)
            {
                RasterIntegrity.Check(dataset, cancellationToken);
            }
            return (description, description.LonLatBounds);
        }
        catch (RasterException e)
        {
            // GDAL's message names the temporary file; name the upload instead.
            var reason = e.Message.Replace(path, name, StringComparison.Ordinal);
            throw new FileRejectedException(reason.StartsWith(name, StringComparison.Ordinal) ? reason : $"{name}: {reason}");
        }
    }
}
