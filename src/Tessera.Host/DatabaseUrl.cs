using Npgsql;

namespace Tessera.Host;

/// <summary>Turns <c>postgres://user:password@host:port/database</c> (or <c>postgresql://</c>) into an Npgsql
/// connection string; anything else is taken as one already ("Host=…;Username=…").</summary>
public static class DatabaseUrl
{
    public static string? ToConnectionString(string? database)
    {
        if (string.IsNullOrWhiteSpace(database))
        {
            return null;
        }
        if (!database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return database;
        }
        var uri = new Uri(database);
        var credentials = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (credentials[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(credentials[0]);
        }
        if (credentials.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(credentials[1]);
        }
        return builder.ToString();
    }
}
