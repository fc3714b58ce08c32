using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Tessera.Server.Tests;
using Tessera.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Tessera.Web.Tests;

/// <summary>
/// A task's page says what ran: its inputs by file name with the bands read, each stage's duration (as its status
/// history says), the processing report (the cloud share numpy counts), and a zonal table shown as a table.
/// </summary>
public sealed class TaskPageTests(Browser browser) : PageTests(browser)
{
    [SampleDataFact]
    public async Task TheTaskPage_NamesTheInputs_TimesTheStages_AndShowsTheReport()
    {
        var ndvi = await Session.UploadAsync("S2_slovenia_NDVI_68dates.tif");
        var clm = await Session.UploadAsync("S2_slovenia_CLM_68dates.tif");
        var detail = await Session.RunAsync(new
        {
            name = "clouds", type = 4,
            inputs = new[] { new { role = "cloudy", fileId = ndvi, band = 48 }, new { role = "mask", fileId = clm, band = 48 }, new { role = "clear", fileId = ndvi, band = 47 } },
            @params = new { maskKind = "raster" },
        });
        var id = detail.GetProperty("id").GetInt64();
        await Page.GotoAsync($"{Served.Address}#/tasks/{id}");
        await Expect(Page.Locator("#task-report")).ToBeVisibleAsync();

        // Inputs by name, with the band each read and its description (the stack's dates).
        await Expect(Page.Locator("#task-inputs tr[data-role=cloudy] td").Nth(1)).ToHaveTextAsync($"S2_slovenia_NDVI_68dates.tif (#{ndvi})");
        var bands = JsonDocument.Parse(ExternalTool.Output("gdalinfo", "-json", SampleData.File("S2_slovenia_NDVI_68dates.tif"))).RootElement.GetProperty("bands");
        await Expect(Page.Locator("#task-inputs tr[data-role=cloudy] td").Nth(2)).ToHaveTextAsync($"band 48 ({bands[47].GetProperty("description").GetString()})");
        await Expect(Page.Locator("#task-inputs tr[data-role=clear] td").Nth(2)).ToHaveTextAsync($"band 47 ({bands[46].GetProperty("description").GetString()})");

        // Each stage's duration: between the statuses the history records.
        var history = detail.GetProperty("history").EnumerateArray().Select(h => (Status: h.GetProperty("status").GetInt32(), At: h.GetProperty("at").GetDateTimeOffset())).ToList();
        DateTimeOffset At(int status) => history.Last(h => h.Status == status).At;
        var expected = new Dictionary<string, double>
        {
            ["Waiting"] = (history.First(h => h.Status == 1).At - detail.GetProperty("createdAt").GetDateTimeOffset()).TotalSeconds,
            ["Download"] = (At(2) - At(1)).TotalSeconds,
            ["Processing"] = (At(3) - At(5)).TotalSeconds,
            ["Publishing"] = (At(7) - At(6)).TotalSeconds,
            ["Total"] = (history[^1].At - detail.GetProperty("createdAt").GetDateTimeOffset()).TotalSeconds,
        };
        foreach (var (stage, seconds) in expected)
        {
            var shown = await Page.Locator($"#task-stages tr[data-stage={stage}] td[data-seconds]").GetAttributeAsync("data-seconds");
            Assert.True(Math.Abs(double.Parse(shown!, CultureInfo.InvariantCulture) - seconds) < 0.002, $"{stage}: {shown} s shown, {seconds} s in the history");
        }

        // The report: the cloud the mask marks, as numpy counts it.
        var output = Served.Data.File("filled.tif");
        await File.WriteAllBytesAsync(output, await Http.GetByteArrayAsync(detail.GetProperty("result").GetProperty("downloadUrl").GetString()));
        var check = PythonReference.Run("cloud_reference.py", new
        {
            cloudy = new object[] { SampleData.File("S2_slovenia_NDVI_68dates.tif"), 48 }, clear = new object[] { SampleData.File("S2_slovenia_NDVI_68dates.tif"), 47 },
            mask = new object[] { SampleData.File("S2_slovenia_CLM_68dates.tif"), 48 }, output, dilate = 0, feather = 0,
        });
        var share = check.GetProperty("cloud").GetDouble() / check.GetProperty("pixels").GetDouble();
        await Expect(Page.Locator("#task-report tr[data-key=cloudShare] td")).ToHaveTextAsync($"{(share * 100).ToString("0.00", CultureInfo.InvariantCulture)} %");
        await Expect(Page.Locator("#task-report tr[data-key=cloud] td")).ToHaveTextAsync(check.GetProperty("cloud").GetInt64().ToString(CultureInfo.InvariantCulture));

        // The task's log: its claim, each input as it was staged, each stage's time, the result and its publication.
        var log = await Page.Locator("#task-log tbody td:nth-child(3)").AllTextContentsAsync();
        Assert.Matches(@"^claimed by \S+ at DOWNLOADING, attempt 1$", log[0]);
        Assert.Contains($"input 'cloudy' (file {ndvi}): 100 x 101 pixels, 68 band(s), band 48 read, {new FileInfo(SampleData.File("S2_slovenia_NDVI_68dates.tif")).Length} bytes", log);
        Assert.Contains(log, l => l.StartsWith("download done in ", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("process done in ", StringComparison.Ordinal));
        var size = new FileInfo(output).Length;
        Assert.Contains(log, l => l.StartsWith("result ", StringComparison.Ordinal) && l.EndsWith($": 100 x 101 pixels, 1 band(s) of Float32, {size} bytes", StringComparison.Ordinal));
        Assert.Equal($"published as file {detail.GetProperty("result").GetProperty("outputFileId").GetInt64()}", log[^1]);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "task-page-report.png"), FullPage = true });
    }

    [SampleDataFact]
    public async Task AZonalTask_ShowsItsTable_AsTheFileHoldsIt()
    {
        var stack = await Session.UploadAsync("S2_slovenia_NDVI_68dates.tif");
        var zones = await Session.UploadAsync("S2_slovenia_LULC_polygons_wgs84.geojson");
        var detail = await Session.RunAsync(new { name = "zonal", type = 13, inputs = new { stack = new { fileId = stack } }, @params = new { zonesFile = zones } });
        await Page.GotoAsync($"{Served.Address}#/tasks/{detail.GetProperty("id").GetInt64()}");
        await Expect(Page.Locator("#result-table")).ToBeVisibleAsync();

        var csv = (await Http.GetStringAsync(detail.GetProperty("result").GetProperty("downloadUrl").GetString())).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 88 * 68, csv.Length);
        await Expect(Page.Locator("#table-count")).ToHaveTextAsync($"The first 200 of {88 * 68} rows.");
        Assert.Equal(csv[0].Split(','), await Page.Locator("#result-table thead th").AllTextContentsAsync());
        await Expect(Page.Locator("#result-table tbody tr")).ToHaveCountAsync(200);
        // Each shown row is the file's, numbers to six significant digits.
        for (var r = 0; r < 200; r += 37)
        {
            var cells = await Page.Locator("#result-table tbody tr").Nth(r).Locator("td").AllTextContentsAsync();
            var fields = csv[r + 1].Split(',');
            Assert.Equal(fields.Length, cells.Count);
            for (var c = 0; c < fields.Length; c++)
            {
                if (double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var shown))
                {
                    Assert.True(Math.Abs(number - shown) <= 1e-5 * Math.Max(1, Math.Abs(number)), $"row {r}, {csv[0].Split(',')[c]}: {cells[c]} shown, {fields[c]} in the file");
                }
                else
                {
                    Assert.Equal(fields[c], cells[c]);
                }
            }
        }
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder(), "task-page-zonal-table.png"), FullPage = true });
    }
}
