using Npgsql;

namespace Tessera.TestSupport;

/// <summary>
/// A real PostgreSQL server for the tests. <c>TESSERA_TEST_POSTGRES</c> (an Npgsql connection string) names
/// a running one; otherwise a throw-away cluster is created with the installed server binaries
/// (<c>/usr/lib/postgresql/N/bin</c>, Debian's <c>postgresql</c> package) in a temporary folder, on a free
/// loopback port, and removed on dispose. As root the cluster runs as the <c>postgres</c> user.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string Variable = "TESSERA_TEST_POSTGRES";

    private readonly string? _folder;
    private readonly string? _bin;
    private readonly bool _asPostgresUser;
    private readonly string _serverOptions = "";

    public PostgresServer()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            ConnectionString = given;
            return;
        }
        _bin = FindBinaries() ?? throw new InvalidOperationException(
            $"PostgreSQL is needed by these tests: install Debian's postgresql package (scripts/test does) or set {Variable}");
        _asPostgresUser = Environment.UserName == "root";
        _folder = Path.Combine(Path.GetTempPath(), $"tessera-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        if (_asPostgresUser)
        {
            Run("chown", "postgres", _folder);
        }
        var data = Path.Combine(_folder, "data");
        var port = LoopbackPort.Free();
        RunServer("initdb", "-D", data, "-U", "tessera", "-A", "trust", "-E", "UTF8", "--no-sync");
        _serverOptions = $"-p {port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        Start();
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=tessera;Database=postgres;Pooling=true";
    }

    /// <summary>Connects to the server's maintenance database as a superuser.</summary>
    public string ConnectionString { get; }

    /// <summary>A connection string whose objects live in a fresh schema of their own (dropped with <paramref name="schema"/>).</summary>
    public string NewSchema(out string schema)
    {
        schema = "t_" + Guid.NewGuid().ToString("N");
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE SCHEMA {schema};";
        command.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ToString();
    }

    public void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP SCHEMA IF EXISTS {schema} CASCADE;";
        command.ExecuteNonQuery();
    }

    /// <summary>Whether this server is the tests' own (it can be restarted), not one named by <c>TESSERA_TEST_POSTGRES</c>.</summary>
    public bool IsOwn => _folder is not null;

    /// <summary>Stops the server (fast: open connections are cut) until <see cref="Start"/>.</summary>
    public void Stop()
    {
        EnsureOwn();
        RunServer("pg_ctl", "-D", Path.Combine(_folder!, "data"), "-m", "fast", "-w", "stop");
    }

    /// <summary>Starts the server (again) on its port.</summary>
    public void Start()
    {
        EnsureOwn();
        RunServer("pg_ctl", "-D", Path.Combine(_folder!, "data"), "-w", "-l", Path.Combine(_folder!, "server.log"), "-o", _serverOptions, "start");
    }

    private void EnsureOwn()
    {
        if (_folder is null)
        {
            throw new InvalidOperationException($"the server named by {Variable} is not the tests' to stop or restart; unset it to run this test");
        }
    }

    /// <summary>Ends every other session on the server (as an administrator's pg_terminate_backend would); how many.</summary>
    public int TerminateOtherSessions()
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend';";
        return Convert.ToInt32(command.ExecuteScalar());
    }

    public void Dispose()
    {
        if (_folder is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        try
        {
            RunServer("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        return Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "pg_ctl"))).OrderByDescending(b => b).FirstOrDefault()
            : null;
    }

    private void RunServer(string tool, params string[] args)
    {
        var path = Path.Combine(_bin!, tool);
        if (_asPostgresUser)
        {
            Run("runuser", ["-u", "postgres", "--", path, .. args]);
        }
        else
        {
            Run(path, args);
        }
    }

    private static void Run(string file, params string[] args) => ExternalTool.Run(TimeSpan.FromMinutes(2), file, args);
}
