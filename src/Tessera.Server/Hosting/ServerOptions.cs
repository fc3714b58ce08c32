using Tessera.Host;

namespace Tessera.Server.Hosting;

/// <summary>How <c>tessera serve</c> runs: the machinery it composes (<see cref="ServiceOptions"/>), where it listens,
/// its chosen admin token, and how it serves tiles.</summary>
/// <param name="Url">Where to listen; loopback only until access tokens exist.</param>
/// <param name="AdminToken">A chosen admin token (TESSERA_ADMIN_TOKEN), for automation.</param>
/// <param name="Tiles">Tile cache size and render concurrency (defaults: see <see cref="Tiles.TileOptions"/>).</param>
public sealed record ServerOptions(ServiceOptions Host, string Url = "http://127.0.0.1:8080", string? AdminToken = null, Tiles.TileOptions? Tiles = null)
{
    public string DataFolder => Host.DataFolder;
}
