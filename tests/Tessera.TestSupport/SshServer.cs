using System.Diagnostics;
using System.Net.Sockets;

namespace Tessera.TestSupport;

/// <summary>
/// A real OpenSSH server (Debian's <c>openssh-server</c>, <c>/usr/sbin/sshd</c>) for the tests, run as the current user
/// on a free loopback port from a temporary folder: its own host key and configuration, one client key allowed to log
/// in (public keys only), its built-in SFTP server. <see cref="KnownHosts"/> holds its host key as ssh looks it up.
/// Disposing kills it and removes the folder.
/// </summary>
public sealed class SshServer : IDisposable
{
    private const string Daemon = "/usr/sbin/sshd";

    private readonly TempFolder _folder = new();
    private readonly Process _process;
    private readonly List<string> _log = [];

    public SshServer()
    {
        if (!File.Exists(Daemon))
        {
            throw new InvalidOperationException("OpenSSH's server is needed by these tests: install Debian's openssh-server package (scripts/test does)");
        }
        if (Environment.UserName == "root")
        {
            // As root, sshd separates privileges and wants its empty folder (made by the package's service, which is not running).
            Directory.CreateDirectory("/run/sshd");
        }
        Port = LoopbackPort.Free();
        var hostKey = NewKey("host_key");
        ClientKey = NewKey("client_key");
        File.Copy(ClientKey + ".pub", _folder.File("authorized_keys"));
        Directory.CreateDirectory(Root);
        KnownHosts = KnownHostsFile("known_hosts", hostKey);
        var config = _folder.File("sshd_config");
        File.WriteAllLines(config,
        [
            $"ListenAddress 127.0.0.1:{Port}",
            $"HostKey {hostKey}",
            $"AuthorizedKeysFile {_folder.File("authorized_keys")}",
            $"PidFile {_folder.File("sshd.pid")}",
            "UsePAM no",
            "StrictModes no",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "Subsystem sftp internal-sftp",
        ]);
        var start = new ProcessStartInfo(Daemon, ["-f", config, "-D", "-e"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start sshd");
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        WaitUntilListening();
    }

    public int Port { get; }

    /// <summary>The user logging in: the current one.</summary>
    public string User { get; } = Environment.UserName;

    /// <summary>The private key the server lets <see cref="User"/> in with.</summary>
    public string ClientKey { get; }

    /// <summary>A known_hosts file with the server's host key for <c>[127.0.0.1]:PORT</c>.</summary>
    public string KnownHosts { get; }

    /// <summary>An empty folder the tests may write to through the server (the same file system).</summary>
    public string Root => _folder.File("root");

    /// <summary>What the server said so far (for a test's failure message).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    /// <summary>A known_hosts file that gives another key for this server, as when another server answers in its place.</summary>
    public string WrongKnownHosts() => KnownHostsFile($"wrong_known_hosts_{Guid.NewGuid():N}", NewKey($"other_host_key_{Guid.NewGuid():N}"));

    /// <summary>A known_hosts file that gives no key for this server.</summary>
    public string EmptyKnownHosts()
    {
        var path = _folder.File($"empty_known_hosts_{Guid.NewGuid():N}");
        File.WriteAllText(path, "");
        return path;
    }

    /// <summary>A private key the server does not let anyone in with.</summary>
    public string UnknownClientKey() => NewKey($"unknown_client_key_{Guid.NewGuid():N}");

    private string NewKey(string name)
    {
        var path = _folder.File(name);
        ExternalTool.Run(TimeSpan.FromSeconds(30), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tessera-test", "-f", path);
        return path;
    }

    private string KnownHostsFile(string name, string key)
    {
        var path = _folder.File(name);
        var publicKey = File.ReadAllText(key + ".pub").Split(' ');
        File.WriteAllText(path, $"[127.0.0.1]:{Port} {publicKey[0]} {publicKey[1]}\n");
        return path;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Add(line);
            }
        }
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // the last lines of its output
                throw new InvalidOperationException($"sshd stopped ({_process.ExitCode}): {Log}");
            }
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        Dispose();
        throw new TimeoutException($"sshd did not listen on port {Port}: {Log}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _folder.Dispose();
    }
}
