using Tessera.Catalog.Harvest;

namespace Tessera.Catalog.Tests.Harvest;

/// <summary>The harvest configuration's schedule: what a run asks for, and every mistake refused when the file is read.</summary>
public sealed class HarvestConfigurationTests
{
    private const string Providers = "providers:\n  earth: 'https://earth.example.org/stac'\n";

    [Fact]
    public void AScheduledHarvest_IsStartHarvestsSearches_OverItsLookBack()
    {
        var configuration = HarvestConfiguration.Parse(Providers + """
            schedule:
              - name: daily
                every: 6h
                lookback: 2d
                bbox: [1.5, 40, 3, 42]
                cloud: 30
                searches:
                  - {provider_name: earth, collection: sentinel-2-l2a}
                  - {provider_name: earth, collection: landsat-c2-l2}
            """);

        var harvest = Assert.Single(configuration.Schedule);
        Assert.Equal(("daily", TimeSpan.FromHours(6), TimeSpan.FromDays(2)), (harvest.Name, harvest.Every, harvest.Lookback));
        var requests = StartHarvest.Requests(harvest.Body(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero)), configuration);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("https://earth.example.org/stac", r.Source.ToString()));
        Assert.Equal(["sentinel-2-l2a", "landsat-c2-l2"], requests.Select(r => Assert.Single(r.Collections!)));
        var first = requests[0].ToJson();
        Assert.Equal("2026-03-08T12:00:00Z/..", first["datetime"]!.GetValue<string>());
        Assert.Equal(30, first["cloud"]!.GetValue<double>());
        Assert.Equal([1.5, 40, 3, 42], first["bbox"]!.AsArray().Select(v => v!.GetValue<double>()));
    }

    [Theory]
    [InlineData("schedule:\n  - {name: a, every: 6h, searches: [{provider_name: moon, collection: x}]}",
        "harvest configuration: schedule[0]: searches[0].provider_name: 'moon' is not a provider of the harvest configuration (it names earth)")]
    [InlineData("schedule:\n  - {name: a, every: often, searches: [{provider_name: earth}]}",
        "harvest configuration: schedule[0]: every: 'often' is not a duration such as 90s, 15m, 6h or 2d")]
    [InlineData("schedule:\n  - {name: a, searches: [{provider_name: earth}]}", "harvest configuration: schedule[0]: every: required (such as 6h)")]
    [InlineData("schedule:\n  - {name: a, every: 1h, searches: [{provider_name: earth}]}\n  - {name: a, every: 2h, searches: [{provider_name: earth}]}",
        "harvest configuration: schedule[1]: name: 'a' is given twice")]
    [InlineData("schedule:\n  - {name: a, every: 1h, at: noon, searches: [{provider_name: earth}]}",
        "harvest configuration: schedule[0]: 'at' is not a key of a scheduled harvest (known: name, every, lookback, searches, bbox, cloud, maxItems)")]
    [InlineData("schedule: daily", "harvest configuration: schedule: give a list of harvests (name, every, searches)")]
    public void ScheduleMistakes_AreRefusedWhenTheFileIsRead(string schedule, string message)
    {
        var error = Assert.Throws<CatalogException>(() => HarvestConfiguration.Parse(Providers + schedule));
        Assert.Equal(message, error.Message);
    }
}
