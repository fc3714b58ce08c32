using System.Diagnostics;
using Tessera.Catalog.Downloads;
using Tessera.Catalog.Remote;

// Downloads URL to DESTINATION with the service's downloader (the HTTP client of remote catalogs and providers: the
// allowed-hosts check on every connection, the provider layer, a .part file, the size check), RUNS times; prints the
// seconds of each run. Usage: Tessera.Bench.Download URL DESTINATION RUNS
var url = new Uri(args[0]);
var destination = args[1];
var runs = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
using var http = RemoteHttp.Client(AllowedHosts.Parse("127.0.0.1"), TimeSpan.FromMinutes(30));
for (var i = 0; i < runs; i++)
{
    File.Delete(destination);
    var watch = Stopwatch.StartNew();
    var size = await new AssetDownloader(http).DownloadAsync(url, destination, null, null, null, CancellationToken.None);
    Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalSeconds:0.000} {size}"));
}
