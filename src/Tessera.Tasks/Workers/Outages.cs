using System.Data.Common;

namespace Tessera.Tasks.Workers;

/// <summary>
/// Tells failures of the machinery (the database unreachable or restarting, a disk that is full or failing) from
/// failures of a task (its inputs, its parameters). A task is failed only for the second kind; for the first, it
/// is given back or its step retried, and the process says 503 instead of 500.
/// </summary>
public static class Outages
{
    private const int NoSpaceLeft = 28;
    private const int DiskQuotaExceeded = 122;
    private const int IoError = 5;
    private const int WindowsDiskFull = 0x70;

    /// <summary>Whether <paramref name="error"/> (or what caused it) is an outage of the database or of a disk.</summary>
    public static bool IsOutage(Exception error) => Kind(error) is not null;

    /// <summary>"the database" or "the disk" when <paramref name="error"/> is an outage of it, else null.</summary>
    public static string? Kind(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Npgsql.PostgresException postgres:
                    // Insufficient resources (disk full, out of memory, too many connections), shutting down,
                    // connection failures, I/O errors of the server; Npgsql's own view of what is transient.
                    if (postgres.IsTransient || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("58", StringComparison.Ordinal))
                    {
                        return "the database";
                    }
                    return null;
                case Npgsql.NpgsqlException:
                    return "the database"; // no answer from the server at all: refused, reset, timed out
                case Microsoft.Data.Sqlite.SqliteException sqlite:
                    // BUSY, LOCKED, NOMEM, IOERR, FULL, CANTOPEN: the file or the machine, not the statement. A rollback
                    // refused because SQLite already ended the transaction hides one of these (its engine rolls back
                    // by itself on a full disk or an I/O error).
                    return (sqlite.SqliteErrorCode & 0xFF) is 5 or 6 or 7 or 10 or 13 or 14
                        || sqlite.Message.Contains("no transaction is active", StringComparison.Ordinal) ? "the database" : null;
                case DbException { IsTransient: true }:
                    return "the database";
                case IOException io when IsDiskFull(io):
                    return "the disk";
                case TimeoutException when e.Source?.StartsWith("Npgsql", StringComparison.Ordinal) == true:
                    return "the database";
            }
        }
        return LooksLikeFullDisk(error.Message) ? "the disk" : null;
    }

    /// <summary>Whether the disk holding <paramref name="folder"/> can take no more: a small write there fails.</summary>
    public static bool IsDiskFull(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".space-{Guid.NewGuid():N}");
            try
            {
                using var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
                file.Write(new byte[64 << 10]);
                file.Flush(flushToDisk: true);
            }
            finally
            {
                File.Delete(probe);
            }
            return false;
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsDiskFull(IOException e) =>
        (e.HResult & 0xFFFF) is NoSpaceLeft or DiskQuotaExceeded or WindowsDiskFull or IoError || LooksLikeFullDisk(e.Message);

    /// <summary>Native libraries (GDAL, libtiff, SQLite) say so in words only.</summary>
    private static bool LooksLikeFullDisk(string message) =>
        message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase)
        || message.Contains("database or disk is full", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Free disk space available is", StringComparison.OrdinalIgnoreCase);
}
