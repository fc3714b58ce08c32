using System.Text.Json.Nodes;
using static Tessera.Processing.Graphs.Descriptions.ProcessSchemas;

namespace Tessera.Processing.Graphs.Descriptions;

/// <summary>
/// openEO's processes on whole data cubes that this server runs: loading (a catalog collection, STAC), filtering,
/// reducing and applying child processes, temporal aggregation, masks, merging, renaming labels, resampling, zonal
/// aggregation, and saving the result.
/// </summary>
public static class CubeProcesses
{
    public static IReadOnlyList<ProcessDescription> All { get; } =
    [
        LoadCollection(),
        LoadStac(),
        FilterBbox(),
        FilterTemporal(),
        FilterBands(),
        FilterSpatial(),
        ReduceDimension(),
        Apply(),
        AggregateTemporalPeriod(),
        Mask(),
        MaskPolygon(),
        MergeCubes(),
        RenameLabels(),
        ResampleSpatial(),
        ResampleCubeSpatial(),
        AggregateSpatial(),
        SaveResult(),
    ];

    private const string AreaNote = "A pixel is in the area when its centre is; a geometry when it lies wholly inside.";

    private static JsonArray SpatialExtent(bool geoJsonDeprecated) => OneOf(
        Titled(BoundingBox(), "Bounding box"),
        Titled(GeoJson(geoJsonDeprecated), "GeoJSON",
            "Polygons as GeoJSON (a Polygon or MultiPolygon, a Feature of one, or a FeatureCollection of them): their bounding box is loaded, and pixels outside every polygon are no data."
            + (geoJsonDeprecated ? " Prefer a vector data cube." : "")),
        Titled(VectorCube(), "Vector data cube", "The geometries of a vector data cube: their bounding box is loaded, and pixels outside every polygon are no data."),
        Null("Everywhere", "No spatial limit."));

    private static JsonArray TemporalExtent() => OneOf(TemporalInterval(uniqueItems: true), Null("Any time", "No temporal limit."));

    private static JsonArray Bands() => OneOf(BandNames(minItems: 1), Null("All bands", "Every band, in the metadata's order."));

    private static JsonArray Properties() => OneOf(Titled(MetadataFilter(), "Conditions"), Null("No conditions", "Every item, whatever its properties."));

    private const string TemporalExtentText =
        "The time span to load, `[start, end]`: the start is included, the end excluded, and one of them (not both) may be `null` for an open interval. " +
        "`null`: no time limit. An end before its start fails with `TemporalExtentEmpty`.";

    private const string BandsText =
        "The bands to load, by name or common name (a name wins over a common name), in the order the data cube gets them; " +
        "a common name several bands share brings them all. `null`: every band.";

    private static ProcessDescription LoadCollection() => new("load_collection", "Load a collection as a data cube",
        "Reads one of the collections `GET /collections` lists into a data cube whose dimensions are the ones the collection describes, " +
        "limited to the given area, time span, bands and metadata conditions. Without limits, everything is loaded: give the extents here " +
        "rather than filtering afterwards. When no data matches, the process fails with `NoDataAvailable`.",
        ["cubes", "import"],
        [
            new("id", "The collection's id.", new JsonObject { ["type"] = "string", ["subtype"] = "collection-id", ["pattern"] = @"^[\w\-\.~/]+$" }),
            new("spatial_extent", "The area to load: a bounding box, or polygons. `null`: no spatial limit. " + AreaNote, SpatialExtent(geoJsonDeprecated: true)),
            new("temporal_extent", TemporalExtentText, TemporalExtent()),
            new("bands", BandsText, Bands(), Optional: true),
            new("properties", "Conditions on the items' metadata: for each property named, a child process that gets its value and answers `true` " +
                "for the data to load; every condition must hold. `null`: no conditions.", Properties(), Optional: true),
        ],
        "The data cube, its dimensions as the collection describes them, their labels limited by the parameters.", Datacube());

    private static ProcessDescription LoadStac() => new("load_stac", "Load STAC data as a data cube",
        "Reads the assets of a STAC Item, ItemCollection, Collection or Catalog, or of a collection of a STAC API, into a data " +
        "cube, limited to the given area, time span and bands where the metadata and the file formats allow it. When no data matches, the " +
        "process fails with `NoDataAvailable`.",
        ["cubes", "import"],
        [
            new("url", "The address (`http` or `https`) of a STAC Item, Collection or Catalog, or of a STAC API's collection. Credentials the data " +
                "needs, if any, are part of the address.",
                new JsonObject { ["type"] = "string", ["format"] = "uri", ["subtype"] = "uri", ["pattern"] = "^https?://" }),
            new("spatial_extent", "The area to load: a bounding box, or polygons. `null`: no spatial limit. " + AreaNote, SpatialExtent(geoJsonDeprecated: false), Optional: true),
            new("temporal_extent", TemporalExtentText, TemporalExtent(), Optional: true),
            new("bands", BandsText, Bands(), Optional: true),
            new("properties", "Conditions on the items' metadata, checked on every item's properties (a static catalog's too): for each property " +
                "named, a child process that gets its value and answers `true` for the data to load. `null`: no conditions.", Properties(), Optional: true),
        ],
        "The data cube of the STAC data, its labels limited by the parameters.", Datacube())
    {
        Experimental = true,
    };

    private static ProcessDescription FilterBbox() => new("filter_bbox", "Keep the part of a data cube in a bounding box",
        "Drops what lies outside a bounding box: the pixels of a raster cube whose centre is outside it, the geometries of a vector cube not " +
        "wholly inside it. The dimensions keep their other properties.",
        ["cubes", "filter"],
        [
            new("data", "A raster or vector data cube.", OneOf(RasterCube(), VectorCube())),
            new("extent", "The bounding box to keep.", BoundingBox()),
        ],
        "The data cube limited to the box.", OneOf(RasterCube(), VectorCube()));

    private static ProcessDescription FilterTemporal() => new("filter_temporal", "Keep a time span of a data cube",
        "Keeps the labels of a temporal dimension that fall in a time span, the start included, the end excluded; the others are dropped.",
        ["cubes", "filter"],
        [
            new("data", "A data cube with a temporal dimension.", Datacube(Dimension("temporal"))),
            new("extent", "The time span, `[start, end]`; one end (not both) may be `null` for an open interval. An end before its start fails " +
                "with `TemporalExtentEmpty`.", TemporalInterval(uniqueItems: false)),
            new("dimension", "The temporal dimension to filter; `null`: all of them. A dimension that does not exist fails with `DimensionNotAvailable`.",
                Type("string", "null"), Optional: true),
        ],
        "The data cube with fewer (or as many) labels in its temporal dimensions.", Datacube(Dimension("temporal")));

    private static ProcessDescription FilterBands() => new("filter_bands", "Keep some bands of a data cube",
        "Keeps the bands that match a name or a wavelength range (any criterion suffices) and drops the others. Give at least one criterion; " +
        "without any the process fails with `BandFilterParameterMissing`. The order of the criteria is the order of the result's bands; bands " +
        "one criterion matches together keep their order in the cube.",
        ["cubes", "filter"],
        [
            new("data", "A data cube with a bands dimension.", Datacube(Dimension("bands"))),
            new("bands", "Bands to keep, by name or common name (a name wins over a common name).", BandNames(), Optional: true, Default: new JsonArray()),
            new("wavelengths", "Wavelength ranges in micrometres, each `[minimum, maximum]`: the bands whose wavelength is in one of them are kept.",
                new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["type"] = "array", ["minItems"] = 2, ["maxItems"] = 2, ["items"] = Type("number") },
                },
                Optional: true, Default: new JsonArray()),
        ],
        "The data cube with fewer (or as many) bands, the other dimensions unchanged.", Datacube(Dimension("bands")));

    private static ProcessDescription FilterSpatial() => new("filter_spatial", "Keep the part of a raster cube in geometries",
        "Cuts a raster cube to the bounding box of the geometries (several: their union) and sets the pixels inside the box that no " +
        "geometry keeps to no data. A polygon keeps the pixels whose centre it contains, a point the nearest pixel, a line the pixels " +
        "nearest to it.",
        ["cubes", "filter"],
        [
            new("data", "The raster data cube.", RasterCube()),
            new("geometries", "The geometries: a vector data cube, or GeoJSON (prefer a vector data cube).",
                OneOf(Titled(VectorCube(), "Vector data cube"), Titled(GeoJson(deprecated: true), "GeoJSON"))),
        ],
        "The raster data cube cut to the geometries.", RasterCube());

    private static JsonObject Reducer(string what) => ChildProcess(
        [new ProcessParameter("data", $"The values {what}.", LabeledValues()), ChildContext()],
        "The one value the values reduce to.", Any());

    private static ProcessDescription ReduceDimension() => new("reduce_dimension", "Reduce a dimension of a data cube to one value",
        "Removes a dimension: for every position along the other dimensions, the reducer gets the values along this one (labelled) and " +
        "returns one value. A dimension that does not exist fails with `DimensionNotAvailable`.",
        ["cubes", "reducer"],
        [
            new("data", "The data cube.", Datacube()),
            new("reducer", "The child process that reduces the values along the dimension to one, such as ``mean()`` or ``max()``.",
                Reducer("along the dimension")),
            new("dimension", "The name of the dimension to reduce.", Type("string")),
            Context("reducer"),
        ],
        "The data cube without the reduced dimension, the others unchanged.", Datacube());

    private static ProcessDescription Apply() => new("apply", "Apply a process to every value of a data cube",
        "Runs a child process on each value of the data cube on its own (a local operation), for example ``absolute()`` or " +
        "``linear_scale_range()``. The dimensions and their labels stay as they are.",
        ["cubes"],
        [
            new("data", "The data cube.", Datacube()),
            new("process", "The child process that takes one value and returns one value.",
                ChildProcess([new ProcessParameter("x", "The value.", Any()), ChildContext()], "The new value.", Any())),
            Context("process"),
        ],
        "The data cube of the new values, with the same dimensions and labels.", Datacube());

    private static ProcessDescription AggregateTemporalPeriod() => new("aggregate_temporal_period", "Aggregate a data cube over calendar periods",
        "Groups the labels of a temporal dimension by calendar period (a day, a month, a season...) and reduces each group to one value with " +
        "the reducer; the dimension's labels become the periods. A dimension that does not exist fails with `DimensionNotAvailable`.",
        ["aggregate", "climatology", "cubes"],
        [
            new("data", "A data cube with a temporal dimension.", Datacube(Dimension("temporal"))),
            new("period", "The period: `hour`, `day`, `week`, `dekad` (days 1 to 10, 11 to 20 and 21 to the end of each month), " +
                "`month`, `season` (December to February, March to May, June to August, September to November), `tropical-season` " +
                "(November to April, May to October), `year`, `decade` (from a year ending in 0 to the next ending in 9) or `decade-ad` " +
                "(from a year ending in 1 to the next ending in 0).",
                new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = new JsonArray("hour", "day", "week", "dekad", "month", "season", "tropical-season", "year", "decade", "decade-ad"),
                }),
            new("reducer", "The child process that reduces the values of a period to one, such as ``mean()``.", Reducer("of one period")),
            new("dimension", "The temporal dimension to aggregate; `null`: the data cube's only temporal dimension (several fail with " +
                "`TooManyDimensions`).", Type("string", "null"), Optional: true),
            Context("reducer"),
        ],
        "The data cube whose temporal dimension has one label per period.", Datacube(Dimension("temporal")));

    private static ProcessDescription Mask() => new("mask", "Mask a raster cube with another",
        "Replaces the values of `data` where `mask` is non-zero or `true` with `replacement`. The mask is first put on the data's grid (with " +
        "``resample_cube_spatial()`` and its defaults); its other dimensions must equal the data's, and a dimension it lacks means the same " +
        "mask for every label of that dimension. Polygons mask with ``mask_polygon()``.",
        ["cubes", "masks"],
        [
            new("data", "The raster data cube.", RasterCube()),
            new("mask", "The mask, a raster data cube with a value for every pixel of `data`.", RasterCube()),
            new("replacement", "The value masked pixels get; `null`: no data.", Type("number", "boolean", "string", "null"), Optional: true),
        ],
        "The masked raster data cube, its dimensions unchanged.", RasterCube());

    private static ProcessDescription MaskPolygon() => new("mask_polygon", "Mask a raster cube with polygons",
        "Replaces the values of the pixels outside every polygon (inside one, with `inside`) with `replacement`. A pixel is inside a polygon " +
        "when its centre is.",
        ["cubes", "masks"],
        [
            new("data", "The raster data cube.", RasterCube()),
            new("mask", "The polygons: a vector data cube of polygons, or GeoJSON (prefer a vector data cube).",
                OneOf(Titled(PolygonCube(), "Vector data cube"), Titled(GeoJson(deprecated: true), "GeoJSON"))),
            new("replacement", "The value masked pixels get; `null`: no data.",
                OneOf(Type("number"), Type("boolean"), Type("string"), Type("null")), Optional: true),
            new("inside", "Whether to mask the pixels inside the polygons instead of those outside.", Type("boolean"), Optional: true, Default: false),
        ],
        "The masked raster data cube, its dimensions unchanged.", RasterCube());

    private static ProcessDescription MergeCubes() => new("merge_cubes", "Merge two data cubes into one",
        "Makes one data cube of two whose dimensions agree (the second one's spatial dimensions are first put on the first one's grid with " +
        "``resample_cube_spatial()``). Labels only one cube has are kept; the labels of unordered dimensions such as bands follow the first " +
        "cube's, then the second's. Where both cubes have a value for the same labels, the overlap resolver combines them; without one, " +
        "such an overlap is an error. A raster cube and a vector cube do not merge.",
        ["cubes"],
        [
            new("cube1", "The first data cube, whose grid the result has.", Datacube()),
            new("cube2", "The second data cube.", Datacube()),
            new("overlap_resolver", "The child process that combines two overlapping values into one of the same type, such as ``max()``; " +
                "`null` when the cubes do not overlap.",
                ChildProcess(
                    [
                        new ProcessParameter("x", "The value of the first data cube.", Any()),
                        new ProcessParameter("y", "The value of the second data cube.", Any()),
                        ChildContext(),
                    ],
                    "The value the two combine into.", Any()),
                Optional: true),
            Context("overlap resolver"),
        ],
        "The merged data cube.", Datacube());

    private static ProcessDescription RenameLabels() => new("rename_labels", "Rename the labels of a dimension",
        "Gives labels of a dimension new names: each label in `source` becomes the label at the same position in `target`. Without " +
        "`source`, the labels must be the numbers 0, 1, 2... and label *i* becomes `target`'s element *i*. The order of the labels and " +
        "their data does not change.",
        ["cubes"],
        [
            new("data", "The data cube whose labels are renamed.", Datacube()),
            new("dimension", "The name of the dimension whose labels are renamed.", Type("string")),
            new("target", "The new labels; one that already exists fails with `LabelExists`.",
                new JsonObject { ["type"] = "array", ["items"] = Type("number", "string") }),
            new("source", "The labels to rename, as many as `target`, in any order (some labels may be left as they are); empty: the labels " +
                "are numbered from 0.", new JsonObject { ["type"] = "array", ["items"] = Type("number", "string") }, Optional: true, Default: new JsonArray()),
        ],
        "The data cube with the dimension's labels renamed, otherwise unchanged.", Datacube());

    private const string MethodText =
        "How values are resampled, as GDAL's warper does it: `near` (nearest neighbour), `bilinear`, `cubic`, `cubicspline`, `lanczos`, " +
        "`average`, `sum`, `rms` (root mean square), or, of the valid pixels, `min`, `max`, `med` (median), `q1` and `q3` (quartiles) or `mode`.";

    private static ProcessDescription ResampleSpatial() => new("resample_spatial", "Resample a raster cube to a resolution or a CRS",
        "Puts the spatial dimensions (x and y) of a raster cube on a new grid: another resolution, another coordinate reference system, or " +
        "both (give at least one). To match another cube's grid, ``resample_cube_spatial()`` is the process to use.",
        ["cubes", "reproject"],
        [
            new("data", "The raster data cube.", RasterCube()),
            new("resolution", "The pixel size in the target CRS's units, one number for both axes or `[x, y]`; `0`: unchanged.",
                OneOf(new JsonObject { ["type"] = "number", ["minimum"] = 0 },
                    new JsonObject { ["type"] = "array", ["minItems"] = 2, ["maxItems"] = 2, ["items"] = new JsonObject { ["type"] = "number", ["minimum"] = 0 } }),
                Optional: true, Default: 0),
            new("projection", "The target CRS, an EPSG code or a WKT2 text; `null`: unchanged.",
                OneOf(Titled(EpsgCode(), "EPSG code"), Titled(Wkt2(), "WKT2"), Type("null")), Optional: true),
            new("method", MethodText, ResamplingMethod(), Optional: true, Default: "near"),
            new("align", "The corner of the spatial extent the new grid is aligned to.",
                new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("lower-left", "upper-left", "lower-right", "upper-right") },
                Optional: true, Default: "upper-left"),
        ],
        "The raster data cube on the new grid: its horizontal spatial dimensions may have another CRS, resolution and labels, the others are unchanged.",
        RasterCube());

    private static ProcessDescription ResampleCubeSpatial() => new("resample_cube_spatial", "Resample a raster cube onto another one's grid",
        "Puts the spatial dimensions (x and y) of a raster cube on the grid of a target cube: its CRS, resolution and pixel alignment.",
        ["cubes", "reproject"],
        [
            new("data", "The raster data cube to resample.", RasterCube()),
            new("target", "The raster data cube whose grid the result gets.", RasterCube()),
            new("method", MethodText, ResamplingMethod(), Optional: true, Default: "near"),
        ],
        "The raster data cube on the target's grid: only the resolution and labels of its spatial dimensions change.", RasterCube());

    private static ProcessDescription AggregateSpatial() => new("aggregate_spatial", "Zonal statistics over geometries",
        "Reduces, for every geometry, the values of the pixels it covers to one value with the reducer, separately for every label of the " +
        "data cube's other dimensions. A polygon covers the pixels whose centre it contains, a point the pixel it falls in, a line the pixels " +
        "it passes through; a pixel may count for several geometries. The reducer gets the values in no particular order.",
        ["cubes", "aggregate"],
        [
            new("data", "A raster data cube; only the part in the geometries' bounds is read.", RasterCube()),
            new("geometries", "The geometries: a vector data cube, or GeoJSON (prefer a vector data cube). One value per geometry (per Feature of a " +
                "FeatureCollection); the features' properties are kept.",
                OneOf(Titled(VectorCube(), "Vector data cube"), Titled(GeoJson(deprecated: true), "GeoJSON"))),
            new("reducer", "The child process that reduces the values of a geometry to one: here one of ``mean()``, ``min()``, ``max()``, " +
                "``median()``, ``sum()``, ``count()``, or ``sd()`` over the values (no data left out).",
                ChildProcess([new ProcessParameter("data", "The values of the pixels the geometry covers.", Values()), ChildContext()],
                    "The one value the values reduce to.", Any())),
            new("target_dimension", "The name of a new dimension that holds, with each value, the pixel counts (`value`, `total_count`, " +
                "`valid_count`); `null`: none. A dimension of that name that exists fails with `TargetDimensionExists`.",
                Type("string", "null"), Optional: true),
            Context("reducer"),
        ],
        "A vector data cube: a geometry dimension in place of the spatial ones, with the values computed (no data for empty geometries).",
        VectorCube());

    private static ProcessDescription SaveResult() => new("save_result", "Save the result in a file format",
        "Delivers the data in a file format: stored with a batch job's results, sent back for synchronous processing, handed to a web service.",
        ["cubes", "export"],
        [
            new("data", "The data to deliver.", Datacube()),
            new("format", "The file format, one of the output formats `GET /file_formats` lists (not case-sensitive). Data the format cannot " +
                "hold fails with `FormatUnsuitable` (`DataCubeEmpty` for an empty cube).",
                new JsonObject { ["type"] = "string", ["subtype"] = "output-format" }),
            new("options", "The format's options, as `GET /file_formats` lists them for it.",
                new JsonObject { ["type"] = "object", ["subtype"] = "output-format-options" }, Optional: true, Default: new JsonObject()),
        ],
        "`true`: a failure stops the processing instead.", new JsonObject { ["type"] = "boolean", ["const"] = true });
}
