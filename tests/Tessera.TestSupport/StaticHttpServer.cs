using System.Diagnostics;
using System.Net.Sockets;

namespace Tessera.TestSupport;

/// <summary>
/// A real static file server on loopback: npm's http-server (<c>tests/reference/http-server</c>, installed when missing)
/// serving a folder, optionally behind basic authentication; it answers Range requests as web servers do. Disposing stops it.
/// </summary>
public sealed class StaticHttpServer : IDisposable
{
    private readonly Process _process;

    private StaticHttpServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>The root URL, ending with '/'.</summary>
    public Uri Address { get; }

    public static StaticHttpServer Serve(string folder, string? username = null, string? password = null)
    {
        var tool = NodeTools.Folder("http-server");
        var port = LoopbackPort.Free();
        var args = new List<string> { Path.Combine(tool, "node_modules", "http-server", "bin", "http-server"), folder, "-p", port.ToString(), "-a", "127.0.0.1", "-s", "-c-1" };
        if (username is not null)
        {
            args.AddRange(["--username", username, "--password", password ?? ""]);
        }
        var process = NodeProcesses.Start(args);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(50);
            }
        }
        return new StaticHttpServer(process, new Uri($"http://127.0.0.1:{port}/"));
    }

    private bool _disposed;

    /// <summary>Stops the server (again: nothing).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        NodeProcesses.Stop(_process);
    }
}

/// <summary>The npm packages the tests run (<c>tests/reference/NAME</c>), installed from their lock file when missing.</summary>
public static class NodeTools
{
    private static readonly object Gate = new();

    /// <param name="install">Whether the folder has npm packages to install (a script on Node alone has none).</param>
    public static string Folder(string name, bool install = true)
    {
        string? folder = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && folder is null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "reference", name);
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                folder = candidate;
            }
        }
        if (folder is null)
        {
            throw new InvalidOperationException($"tests/reference/{name} not found above the test binaries");
        }
        lock (Gate)
        {
            if (install && !Directory.Exists(Path.Combine(folder, "node_modules")))
            {
                ExternalTool.Run(TimeSpan.FromMinutes(5), "npm", "ci", "--no-audit", "--no-fund", "--prefix", folder);
            }
        }
        return folder;
    }
}
