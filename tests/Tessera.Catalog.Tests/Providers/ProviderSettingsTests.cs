using Tessera.Catalog.Providers;

namespace Tessera.Catalog.Tests.Providers;

/// <summary>The provider settings file in geospaas_processing's format: prefixes matched longest first, at host boundaries; bad settings named.</summary>
public sealed class ProviderSettingsTests
{
    private const string Geospaas = """
        ---
        'https://scihub.copernicus.eu':
          username: 'alice'
          password: 's3cret'
          max_parallel_downloads: 2
        'https://scihub.copernicus.eu/dhus/odata/v1/Products':
          username: 'bob'
          password: 'other'
        'https://zipper.creodias.eu':
          authentication_type: 'oauth2'
          token_url: 'https://auth.creodias.eu/auth/realms/DIAS/protocol/openid-connect/token'
          client_id: 'CLOUDFERRO_PUBLIC'
          username: 'carol'
          password: 'pw'
        """;

    [Fact]
    public void TheLongestPrefix_Applies_AtHostBoundariesOnly()
    {
        var file = ProviderSettingsFile.Parse(Geospaas);

        Assert.Equal(3, file.Providers.Count);
        Assert.Equal(("alice", 2), (file.For(new Uri("https://scihub.copernicus.eu/apihub/search?q=x"))!.Username, file.For(new Uri("https://scihub.copernicus.eu/x"))!.MaxParallelDownloads!.Value));
        Assert.Equal("bob", file.For(new Uri("https://scihub.copernicus.eu/dhus/odata/v1/Products('x')/$value"))!.Username);
        var creodias = file.For(new Uri("https://zipper.creodias.eu/download/123"))!;
        Assert.Equal((true, "CLOUDFERRO_PUBLIC", "carol"), (creodias.OAuth2, creodias.ClientId, creodias.Username));
        Assert.Null(file.For(new Uri("https://scihub.copernicus.eu.attacker.net/x")));
        Assert.Null(file.For(new Uri("http://scihub.copernicus.eu/x"))); // another scheme
        Assert.Null(file.For(new Uri("https://scihub.copernicus.eu:8443/x"))); // another port
        Assert.DoesNotContain("s3cret", file.For(new Uri("https://scihub.copernicus.eu/x"))!.ToString());
    }

    [Theory]
    [InlineData("'https://a.org':\n  user: x\n", "provider settings: https://a.org: 'user' is not a provider setting (known: username, password, max_parallel_downloads, authentication_type, token_url, client_id, client_secret)")]
    [InlineData("'a.org':\n  username: x\n", "provider settings: 'a.org' is not an http or https URL prefix")]
    [InlineData("'https://a.org':\n  max_parallel_downloads: two\n", "provider settings: https://a.org: max_parallel_downloads: give a whole number of 1 or more")]
    [InlineData("'https://a.org':\n  authentication_type: digest\n", "provider settings: https://a.org: authentication_type: 'digest' is not supported (oauth2 is; basic needs none)")]
    [InlineData("'https://a.org':\n  authentication_type: oauth2\n  client_id: c\n", "provider settings: https://a.org: token_url: OAuth2 needs the http(s) URL tokens are asked at")]
    [InlineData("- a\n- b\n", "provider settings: give a mapping of URL prefixes to their settings")]
    [InlineData("'https://a.org': [", "provider settings: not YAML")]
    public void BadSettings_AreRefused_NamingThem(string yaml, string message)
    {
        var error = Assert.Throws<CatalogException>(() => ProviderSettingsFile.Parse(yaml));
        Assert.StartsWith(message, error.Message);
    }
}
