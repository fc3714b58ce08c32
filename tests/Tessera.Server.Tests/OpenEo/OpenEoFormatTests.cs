using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// save_result's other raster formats over the Slovenian dates: netCDF keeps the time dimension (read back by GDAL's
/// multidimensional and classic netCDF readers, every date equal to numpy's NDVI), PNG renders a one-band result along a
/// ramp (equal to the ramp applied by numpy to the GeoTIFF of the same graph).
/// </summary>
public sealed partial class OpenEoResultTests
{
    /// <summary>load_collection → ndvi → save_result, the times kept.</summary>
    private static JsonObject NdviSeries(string format)
    {
        var body = Graph("max", "2015-07-01", "2015-09-10");
        var graph = body["process"]!["process_graph"]!.AsObject();
        graph.Remove("reduce");
        graph["save"]!["arguments"]!["data"] = new JsonObject { ["from_node"] = "ndvi" };
        graph["save"]!["arguments"]!["format"] = format;
        return body;
    }

    [SampleDataFact]
    public async Task NetCdf_KeepsTheTimeDimension_EveryDateEqualToNumpy()
    {
        var path = await SavedAsync(NdviSeries("netCDF"), "series.nc", "application/x-netcdf");

        var reference = PythonReference.Run("openeo_netcdf_reference.py", new
        {
            result = path,
            variable = "value",
            dates = Dates.Select(d => new { t = $"{d.Date[..4]}-{d.Date[4..6]}-{d.Date[6..]}", nir = Path.Combine(_www.Path, d.Date, "B08.tif"), red = Path.Combine(_www.Path, d.Date, "B04.tif") }),
        });
        var dimensions = reference.GetProperty("dimensions").EnumerateArray().Select(d => d[0].GetString()).ToList();
        Assert.Equal(["t", "y", "x"], dimensions);
        Assert.Equal(5, reference.GetProperty("bands").GetInt32());
        Assert.Equal(reference.GetProperty("expectedTimes").ToString(), reference.GetProperty("times").ToString().Replace(".0", ""));
        Assert.Equal("days since 1970-01-01 00:00:00", reference.GetProperty("units").GetString());
        Assert.Equal("32633", reference.GetProperty("srs").GetString());
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-6, reference.ToString());
        Assert.True(reference.GetProperty("validPixels").GetInt32() > 5 * 1000, reference.ToString());

        // Options are refused, naming the one given.
        var optioned = NdviSeries("netCDF");
        optioned["process"]!["process_graph"]!["save"]!["arguments"]!["options"] = new JsonObject { ["compress"] = "zstd" };
        var refused = await _http.PostAsync("/openeo/1.2/result", new StringContent(optioned.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("node 'save', argument 'options': 'compress' is not an option of netCDF (it takes none)",
            JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
    }

    [SampleDataFact]
    public async Task Png_RendersTheNdviAlongItsRamp_AndRefusesSeveralTimes()
    {
        var values = await ResultAsync(Graph("max", "2015-07-01", "2015-09-10"), "max-values.tif");
        var png = Graph("max", "2015-07-01", "2015-09-10");
        png["process"]!["process_graph"]!["save"]!["arguments"]!["format"] = "PNG";
        png["process"]!["process_graph"]!["save"]!["arguments"]!["options"] = new JsonObject { ["colormap"] = "rdylgn", ["rescale"] = new JsonArray(-1, 1) };
        var image = await SavedAsync(png, "max.png", "image/png");

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(image)[..4]);
        var colours = PythonReference.Run("openeo_colour_reference.py", new { image, values, ramp = "rdylgn", min = -1, max = 1 });
        Assert.True(colours.GetProperty("maxAbsDiff").GetDouble() <= 1.0, colours.ToString()); // lossless: rounding only
        Assert.Equal(colours.GetProperty("valuesSize").ToString(), colours.GetProperty("size").ToString());

        var refused = await _http.PostAsync("/openeo/1.2/result", new StringContent(NdviSeries("PNG").ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("node 'save', argument 'data': the cube still has 5 times; PNG holds one: reduce the dimension t first (reduce_dimension)",
            JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
    }
}
