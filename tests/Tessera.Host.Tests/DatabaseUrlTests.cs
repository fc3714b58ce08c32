using Tessera.Host;

namespace Tessera.Host.Tests;

public class DatabaseUrlTests
{
    [Fact]
    public void PostgresUrl_BecomesAConnectionString()
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString("postgres://tessera:s%3Acret@db.example:6543/tasks")!);
        Assert.Equal("db.example", connection.Host);
        Assert.Equal(6543, connection.Port);
        Assert.Equal("tasks", connection.Database);
        Assert.Equal("tessera", connection.Username);
        Assert.Equal("s:cret", connection.Password);
    }

    [Fact]
    public void DefaultPort_ConnectionStrings_AndNothing_PassThrough()
    {
        Assert.Equal(5432, new Npgsql.NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString("postgresql://u@h/d")!).Port);
        Assert.Equal("Host=h;Username=u", DatabaseUrl.ToConnectionString("Host=h;Username=u"));
        Assert.Null(DatabaseUrl.ToConnectionString(" "));
    }
}
