using System.Text.Json.Nodes;
using static Tessera.Processing.Graphs.Descriptions.ProcessSchemas;

namespace Tessera.Processing.Graphs.Descriptions;

/// <summary>openEO's spectral index processes: NDVI on a data cube's bands, and the normalized difference of two numbers.</summary>
public static class IndexProcesses
{
    public static IReadOnlyList<ProcessDescription> All { get; } = [Ndvi(), NormalizedDifference()];

    private static string BandText(string band, string commonName, string error) =>
        $"The {band} band, by name or common name (a name wins over a common name); by default the band whose common name is " +
        $"`{commonName}`, and when there is none the process fails with `{error}`.";

    private static ProcessDescription Ndvi() => new("ndvi", "Normalized Difference Vegetation Index",
        "Computes *(nir - red) / (nir + red)* for every pixel of a raster cube from its near-infrared and red bands, found by their common " +
        "names unless named. The cube must have one bands dimension (else `DimensionAmbiguous`). The bands dimension is dropped, unless " +
        "`target_band` names a band to add to it for the index. ``normalized_difference()`` does the same for bands chosen by the caller.",
        ["cubes", "math > indices", "vegetation indices"],
        [
            new("data", "A raster data cube with a bands dimension holding a near-infrared and a red band.", RasterCube(Dimension("bands"))),
            new("nir", BandText("near-infrared", "nir", "NirBandAmbiguous"),
                BandName(), Optional: true, Default: "nir"),
            new("red", BandText("red", "red", "RedBandAmbiguous"),
                BandName(), Optional: true, Default: "red"),
            new("target_band", "The name of a band to add to the bands dimension for the index (a band of that name that exists fails with " +
                "`BandExists`); `null`: the bands dimension is dropped.",
                OneOf(new JsonObject { ["type"] = "string", ["pattern"] = @"^\w+$" }, Type("null")), Optional: true),
        ],
        "The raster data cube of the index: without a bands dimension, or with the new band added to it when `target_band` is given.",
        RasterCube());

    private static ProcessDescription NormalizedDifference() => new("normalized_difference", "Normalized difference of two values",
        "Computes *(x - y) / (x + y)*: with a near-infrared and a red band, the NDVI; with near-infrared and short-wave infrared, the NDWI " +
        "(Gao); with green and short-wave infrared, the NDSI.",
        ["math > indices", "vegetation indices"],
        [
            new("x", "The first value (the band subtracted from).", Type("number")),
            new("y", "The second value.", Type("number")),
        ],
        "The normalized difference, from -1 to 1.", new JsonObject { ["type"] = "number", ["minimum"] = -1, ["maximum"] = 1 });
}
