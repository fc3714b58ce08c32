using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tessera.Catalog.Remote;

/// <summary>
/// Copies files to a <see cref="PublishTarget"/> with the machine's OpenSSH client: <c>sftp</c> in batch mode, one
/// connection for them all, logging in with the key only (<c>BatchMode</c>, <c>IdentitiesOnly</c>; the machine's SSH
/// configuration files are not read) and always checking the server's host key (<c>StrictHostKeyChecking=yes</c>,
/// against <c>publishKnownHosts</c> alone when it is given). Folders are made as needed; each file is written under a
/// hidden temporary name beside its place, made readable by all, then renamed to its name (OpenSSH's servers replace
/// an older copy at once), so that a half copy never appears under a file's name; when a copy fails, the temporaries
/// are removed. What the client says becomes an error naming the host and what went wrong, never the key's path nor
/// the folders of either machine.
/// </summary>
/// <param name="client">The SFTP client to run (OpenSSH's <c>sftp</c>, found on the PATH).</param>
public sealed class SftpUpload(PublishTarget target, string client = "sftp")
{
    /// <summary>A file of this machine and where it goes under the target's folder ("COLLECTION/ITEM/NAME").</summary>
    public sealed record Upload(string LocalPath, string Relative);

    /// <summary>What one run of the client said: its exit code, whether it logged in (it echoed a command), what it said on standard error.</summary>
    private sealed record Outcome(int ExitCode, bool Connected, IReadOnlyList<string> Errors);

    /// <summary>Copies the files in order; <paramref name="done"/> hears how many are in place so far.</summary>
    /// <param name="workFolder">A folder of this machine for the batch and its links (what is written there is removed after).</param>
    public async Task RunAsync(IReadOnlyList<Upload> files, string workFolder, IProgress<int>? done, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(workFolder, "sftp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            var suffix = Guid.NewGuid().ToString("N")[..12];
            var temporaries = files.Select(f => Temporary(target.RemotePath(f.Relative), suffix)).ToList();
            var batch = new StringBuilder();
            foreach (var made in Folders(files))
            {
                batch.Append(CultureInfo.InvariantCulture, $"-mkdir \"{made}\"\n"); // '-': one there already is no error
            }
            for (var i = 0; i < files.Count; i++)
            {
                // The client reads quotes and wildcards in its arguments: a link with a plain name stands for the local file.
                var link = i.ToString(CultureInfo.InvariantCulture);
                File.CreateSymbolicLink(Path.Combine(folder, link), Path.GetFullPath(files[i].LocalPath));
                batch.Append(CultureInfo.InvariantCulture, $"put {link} \"{temporaries[i]}\"\n");
                batch.Append(CultureInfo.InvariantCulture, $"-chmod 644 \"{temporaries[i]}\"\n");
                batch.Append(CultureInfo.InvariantCulture, $"rename \"{temporaries[i]}\" \"{target.RemotePath(files[i].Relative)}\"\n");
            }
            await File.WriteAllTextAsync(Path.Combine(folder, "batch"), batch.ToString(), cancellationToken);
            var placed = 0;
            var outcome = await RunClientAsync(folder, line =>
            {
                // Commands are echoed as they start: a rename starting means the copy before it is whole.
                if (line.StartsWith("sftp> rename ", StringComparison.Ordinal))
                {
                    done?.Report(++placed);
                }
            }, cancellationToken);
            if (outcome.ExitCode == 0)
            {
                done?.Report(files.Count);
                return;
            }
            if (outcome.Connected)
            {
                await RemoveTemporariesAsync(folder, temporaries);
            }
            throw new CatalogException(Failure(outcome));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The hidden name a file is written under before it is renamed: in the same folder, unique to this run.</summary>
    private static string Temporary(string remotePath, string suffix)
    {
        var slash = remotePath.LastIndexOf('/');
        return remotePath[..(slash + 1)] + "." + remotePath[(slash + 1)..] + "." + suffix + ".part";
    }

    /// <summary>The folders to make under the root, parents first: those of the path under the root, then the files' own.</summary>
    private IEnumerable<string> Folders(IReadOnlyList<Upload> files)
    {
        var relatives = files.Select(f => target.PathUnderRoot.Length == 0 ? f.Relative : target.PathUnderRoot + "/" + f.Relative);
        var made = new List<string>();
        foreach (var relative in relatives)
        {
            var names = relative.Split('/');
            for (var depth = 1; depth < names.Length; depth++)
            {
                var folder = string.Join('/', names.Take(depth));
                if (!made.Contains(folder))
                {
                    made.Add(folder);
                }
            }
        }
        return made.Select(target.UnderRoot);
    }

    /// <summary>Best effort, after a failed copy: the temporaries are removed (those never written are errors the '-' ignores).</summary>
    private async Task RemoveTemporariesAsync(string folder, IReadOnlyList<string> temporaries)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "batch"), string.Concat(temporaries.Select(t => $"-rm \"{t}\"\n")), CancellationToken.None);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await RunClientAsync(folder, _ => { }, limit.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or CatalogException)
        {
            // What is left is hidden, and under a name no later copy takes.
        }
    }

    /// <summary>Runs the client on the batch of <paramref name="folder"/>; cancelling kills it.</summary>
    private async Task<Outcome> RunClientAsync(string folder, Action<string> echoed, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(client)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception();
        }
        catch (Win32Exception)
        {
            throw new CatalogException("publishing needs OpenSSH's SFTP client (sftp) on this machine: install openssh-client");
        }
        using (process)
        {
            process.StandardInput.Close(); // nothing is ever typed in
            var connected = false;
            var output = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
                {
                    connected |= line.StartsWith("sftp> ", StringComparison.Ordinal);
                    echoed(line);
                }
            }, CancellationToken.None);
            var errors = new List<string>();
            var error = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
                {
                    if (errors.Count < 200 && line.Trim().Length > 0)
                    {
                        errors.Add(line.Trim());
                    }
                }
            }, CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            await Task.WhenAll(output, error);
            return new Outcome(process.ExitCode, connected, errors);
        }
    }

    private IEnumerable<string> Arguments()
    {
        yield return "-F";
        yield return "/dev/null"; // the options are these, whatever the machine's SSH configuration says
        yield return "-b";
        yield return "batch";
        yield return "-i";
        yield return target.Key;
        foreach (var option in new[]
        {
            "BatchMode=yes", "IdentitiesOnly=yes", "StrictHostKeyChecking=yes", "PasswordAuthentication=no", "KbdInteractiveAuthentication=no",
            "ConnectTimeout=30", "ServerAliveInterval=15", "ServerAliveCountMax=4", "LogLevel=ERROR",
        })
        {
            yield return "-o";
            yield return option;
        }
        if (target.KnownHosts is { } knownHosts)
        {
            yield return "-o";
            yield return $"UserKnownHostsFile=\"{knownHosts}\"";
            yield return "-o";
            yield return "GlobalKnownHostsFile=/dev/null";
        }
        if (target.User is { } user)
        {
            yield return "-o";
            yield return "User=" + user;
        }
        if (target.Port is { } port)
        {
            yield return "-P";
            yield return port.ToString(CultureInfo.InvariantCulture);
        }
        yield return target.Host.Contains(':') ? $"[{target.Host}]" : target.Host;
    }

    /// <summary>What went wrong, as the task's error: the host and the reason, never a path.</summary>
    private string Failure(Outcome outcome)
    {
        var said = string.Join('\n', outcome.Errors);
        var failed = $"publishing to {target.Address} failed";
        if (!outcome.Connected)
        {
            if (said.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal) || said.Contains("has changed and you have requested strict checking", StringComparison.Ordinal))
            {
                return $"{failed}: its host key is not the one the known hosts file (publishKnownHosts) gives for it; nothing was published";
            }
            if (said.Contains("Host key verification failed", StringComparison.Ordinal))
            {
                return $"{failed}: its host key is not in the known hosts file (publishKnownHosts; add it once checked, e.g. with ssh-keyscan); nothing was published";
            }
            if (said.Contains("UNPROTECTED PRIVATE KEY FILE", StringComparison.Ordinal))
            {
                return $"{failed}: the key file (publishKey) may be read by other users, and ssh refuses such a key; nothing was published";
            }
            if (said.Contains("Permission denied (", StringComparison.Ordinal))
            {
                return $"{failed}: it refused the key (publishKey) for user {target.User ?? Environment.UserName}; nothing was published";
            }
            if (said.Contains("Could not resolve hostname", StringComparison.Ordinal))
            {
                return $"{failed}: the name does not resolve; nothing was published";
            }
        }
        // Otherwise the last thing the client said, without what it said it about (a path): "Connection refused", "Permission denied".
        var last = outcome.Errors.LastOrDefault(l => l != "Connection closed" && !l.StartsWith("Connection closed.", StringComparison.Ordinal));
        if (last is null)
        {
            return $"{failed}: the SFTP client ended with code {outcome.ExitCode}";
        }
        var reason = last[(last.LastIndexOf(": ", StringComparison.Ordinal) is var colon and >= 0 ? colon + 2 : 0)..].TrimEnd('.');
        if (!outcome.Connected)
        {
            return $"{failed}: {reason}; nothing was published";
        }
        var what = last.Contains("rename", StringComparison.OrdinalIgnoreCase) ? "a copy could not take its name"
            : last.Contains("open", StringComparison.Ordinal) || last.Contains("write", StringComparison.OrdinalIgnoreCase) ? "a file could not be written"
            : null;
        return what is null ? $"{failed} while copying: {reason}" : $"{failed} while copying: {what} ({reason})";
    }
}
