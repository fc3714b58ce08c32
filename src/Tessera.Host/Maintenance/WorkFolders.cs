using System.Globalization;
using Tessera.Tasks.Stores;
using Tessera.Tasks;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Host.Maintenance;

/// <summary>
/// The work folders (<c>work/TASK/ATTEMPT</c>) that no attempt needs any more: those of tasks that are gone, of
/// attempts that died or lost their task, and anything else under <c>work/</c>. An attempt's folder is kept while
/// its lease is held, and the folder of the attempt that computed a result is kept until the task is published
/// (a publish retry reads it). Only what has not changed for a while is removed, so a folder being made is never
/// taken for a leftover.
/// </summary>
public sealed class WorkFolders(string workRoot, ITaskStore tasks)
{
    /// <summary>Removes leftovers unchanged for <paramref name="grace"/>; returns how many folders were removed.</summary>
    public async Task<int> SweepAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(workRoot))
        {
            return 0;
        }
        var removed = 0;
        var before = DateTime.UtcNow - grace;
        foreach (var entry in new DirectoryInfo(workRoot).EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!long.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || entry is not DirectoryInfo taskFolder)
            {
                removed += Remove(entry, before);
                continue;
            }
            var task = await tasks.GetAsync(id, cancellationToken);
            if (task is null)
            {
                // The task is gone: its whole folder, once nothing in it has changed for a while.
                var entries = taskFolder.EnumerateFileSystemInfos().ToList();
                var newest = entries.Count > 0 ? entries.Max(entry => entry.LastWriteTimeUtc) : taskFolder.LastWriteTimeUtc;
                if (newest <= before)
                {
                    removed += Remove(taskFolder, DateTime.MaxValue);
                }
                continue;
            }
            foreach (var attempt in taskFolder.EnumerateFileSystemInfos())
            {
                if (!await NeededAsync(task, attempt.Name, cancellationToken))
                {
                    removed += Remove(attempt, before);
                }
            }
            RemoveIfEmpty(taskFolder);
        }
        return removed;
    }

    private async Task<bool> NeededAsync(ProcessingTask task, string name, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(name, "N", out var token))
        {
            return false;
        }
        var holdsResult = task.WorkToken is { } work && Guid.Parse(work) == token
            && task.Status is TaskStatus.ProcessingCompleted or TaskStatus.Publishing or TaskStatus.PublishFailed;
        return holdsResult || await tasks.IsLeaseHeldAsync(token, cancellationToken);
    }

    /// <summary>
    /// Removes a task's folder when it holds nothing: not a leftover of its own. Never recursively: an attempt may be
    /// creating its folder in it at this very moment (a recursive delete after an "is it empty?" look once took a live
    /// attempt's staged inputs with it); the file system refuses to remove a folder that is not empty.
    /// </summary>
    private static void RemoveIfEmpty(DirectoryInfo folder)
    {
        try
        {
            folder.Delete(recursive: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not empty, in use or already gone
        }
    }

    private static int Remove(FileSystemInfo entry, DateTime before)
    {
        entry.Refresh();
        if (!entry.Exists || entry.LastWriteTimeUtc > before)
        {
            return 0;
        }
        try
        {
            if (entry is DirectoryInfo folder)
            {
                folder.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // in use or already gone: the next sweep looks again
        }
    }
}
