using System.Text.Json.Nodes;

namespace Tessera.Processing.Graphs.Descriptions;

/// <summary>
/// The JSON Schemas process descriptions are made of, with openEO's subtypes: data cubes (a raster cube is a data cube
/// with spatial x and y dimensions, a vector cube one with a geometry dimension), bounding boxes, temporal intervals,
/// band names, child processes (<c>process-graph</c>, with their parameters and return value). Every call builds new
/// nodes, so a schema may be placed in any document.
/// </summary>
public static class ProcessSchemas
{
    /// <summary>Values of one JSON type, or of any of several (<c>"type": ["number", "null"]</c>).</summary>
    public static JsonObject Type(params string[] types) => new()
    {
        ["type"] = types.Length == 1 ? types[0] : new JsonArray(types.Select(t => (JsonNode?)t).ToArray()),
    };

    /// <summary>Any value at all (the empty schema).</summary>
    public static JsonObject Any() => [];

    /// <summary>Any value, saying what it is.</summary>
    public static JsonObject Any(string description) => new() { ["description"] = description };

    /// <summary><c>null</c> only: the alternative of a parameter that may be left without a value.</summary>
    public static JsonObject Null(string title, string description) => Titled(Type("null"), title, description);

    /// <summary>Several alternative schemas for one value (openEO's list of data types).</summary>
    public static JsonArray OneOf(params JsonObject[] alternatives) => new(alternatives.Select(a => (JsonNode?)a).ToArray());

    /// <summary>The schema with a title and, when given, a description (how clients name an alternative).</summary>
    public static JsonObject Titled(JsonObject schema, string title, string? description = null)
    {
        var titled = new JsonObject { ["title"] = title };
        if (description is not null)
        {
            titled["description"] = description;
        }
        foreach (var (key, value) in schema)
        {
            titled[key] = value?.DeepClone();
        }
        return titled;
    }

    /// <summary>A data cube, with the dimensions it must have (none: any).</summary>
    public static JsonObject Datacube(params JsonObject[] dimensions)
    {
        var schema = new JsonObject { ["type"] = "object", ["subtype"] = "datacube" };
        if (dimensions.Length > 0)
        {
            schema["dimensions"] = new JsonArray(dimensions.Select(d => (JsonNode?)d).ToArray());
        }
        return schema;
    }

    /// <summary>A dimension of a type (<c>temporal</c>, <c>bands</c>, <c>geometry</c>, <c>other</c>).</summary>
    public static JsonObject Dimension(string type) => new() { ["type"] = type };

    /// <summary>The horizontal spatial dimensions of a raster.</summary>
    public static JsonObject SpatialXy() => new() { ["type"] = "spatial", ["axis"] = new JsonArray("x", "y") };

    /// <summary>A raster data cube: spatial x and y, and what else is asked.</summary>
    public static JsonObject RasterCube(params JsonObject[] more) => Datacube([SpatialXy(), .. more]);

    /// <summary>A vector data cube: a geometry dimension.</summary>
    public static JsonObject VectorCube() => Datacube(Dimension("geometry"));

    /// <summary>A vector data cube of polygons (and multipolygons) only.</summary>
    public static JsonObject PolygonCube() => Datacube(new JsonObject
    {
        ["type"] = "geometry", ["geometry_type"] = new JsonArray("Polygon", "MultiPolygon"),
    });

    /// <summary>A GeoJSON object; <paramref name="deprecated"/> where openEO prefers vector cubes.</summary>
    public static JsonObject GeoJson(bool deprecated = false)
    {
        var schema = new JsonObject { ["type"] = "object", ["subtype"] = "geojson" };
        if (deprecated)
        {
            schema["deprecated"] = true;
        }
        return schema;
    }

    /// <summary>A coordinate reference system as an EPSG code.</summary>
    public static JsonObject EpsgCode() => new() { ["type"] = "integer", ["subtype"] = "epsg-code", ["minimum"] = 1000 };

    /// <summary>A coordinate reference system as a WKT2 text.</summary>
    public static JsonObject Wkt2() => new() { ["type"] = "string", ["subtype"] = "wkt2-definition" };

    /// <summary>A bounding box: west, south, east and north, optionally base and height, in a CRS (EPSG 4326 unless given).</summary>
    public static JsonObject BoundingBox() => new()
    {
        ["type"] = "object",
        ["subtype"] = "bounding-box",
        ["required"] = new JsonArray("west", "south", "east", "north"),
        ["properties"] = new JsonObject
        {
            ["west"] = Described(Type("number"), "Western edge (first axis, lower bound)."),
            ["south"] = Described(Type("number"), "Southern edge (second axis, lower bound)."),
            ["east"] = Described(Type("number"), "Eastern edge (first axis, upper bound)."),
            ["north"] = Described(Type("number"), "Northern edge (second axis, upper bound)."),
            ["base"] = WithDefault(Described(Type("number", "null"), "Lower bound of the third axis, if any."), null),
            ["height"] = WithDefault(Described(Type("number", "null"), "Upper bound of the third axis, if any."), null),
            ["crs"] = WithDefault(new JsonObject
            {
                ["description"] = "The CRS of the coordinates: an EPSG code or a WKT2 text; 4326 (longitude/latitude) when left out.",
                ["anyOf"] = new JsonArray(Titled(EpsgCode(), "EPSG code"), Titled(Wkt2(), "WKT2")),
            }, 4326),
        },
    };

    /// <summary>A left-closed time interval, <c>[start, end]</c>, either end a date, a date-time or <c>null</c> (open).</summary>
    public static JsonObject TemporalInterval(bool uniqueItems)
    {
        var schema = new JsonObject { ["type"] = "array", ["subtype"] = "temporal-interval" };
        if (uniqueItems)
        {
            schema["uniqueItems"] = true;
        }
        schema["minItems"] = 2;
        schema["maxItems"] = 2;
        schema["items"] = new JsonObject
        {
            ["anyOf"] = new JsonArray(
                Described(new JsonObject { ["type"] = "string", ["format"] = "date-time", ["subtype"] = "date-time" }, "A date and time with a time zone."),
                Described(new JsonObject { ["type"] = "string", ["format"] = "date", ["subtype"] = "date" }, "A date, YYYY-MM-DD, in UTC (from midnight)."),
                Described(Type("null"), "Open: no bound on this side.")),
        };
        return schema;
    }

    /// <summary>A band's name or common name.</summary>
    public static JsonObject BandName() => new() { ["type"] = "string", ["subtype"] = "band-name" };

    /// <summary>A list of band names, with at least <paramref name="minItems"/> (0: no minimum).</summary>
    public static JsonObject BandNames(int minItems = 0)
    {
        var schema = new JsonObject { ["type"] = "array" };
        if (minItems > 0)
        {
            schema["minItems"] = minItems;
        }
        schema["items"] = BandName();
        return schema;
    }

    /// <summary>Conditions on metadata: property name → a child process that gets the property's value and answers true to keep it.</summary>
    public static JsonObject MetadataFilter() => new()
    {
        ["type"] = "object",
        ["subtype"] = "metadata-filter",
        ["additionalProperties"] = ChildProcess(
            [new ProcessParameter("value", "The value of the property.", Any("A value of any type."))],
            "`true` to keep the data, `false` to leave it out.", Type("boolean")),
    };

    /// <summary>An array of numbers, each possibly <c>null</c> (no data).</summary>
    public static JsonObject Numbers() => new() { ["type"] = "array", ["items"] = Type("number", "null") };

    /// <summary>An array of values of any type.</summary>
    public static JsonObject Values() => new() { ["type"] = "array", ["items"] = Any() };

    /// <summary>An array of values of any type whose elements may carry labels (what a reducer gets along a dimension).</summary>
    public static JsonObject LabeledValues() => new() { ["type"] = "array", ["subtype"] = "labeled-array", ["items"] = Any() };

    /// <summary>A child process (<c>process-graph</c>): the parameters it is called with and what it must return.</summary>
    public static JsonObject ChildProcess(IEnumerable<ProcessParameter> parameters, string returnsDescription, JsonObject returns) => new()
    {
        ["type"] = "object",
        ["subtype"] = "process-graph",
        ["parameters"] = new JsonArray(parameters.Select(p => (JsonNode?)p.ToJson()).ToArray()),
        ["returns"] = new JsonObject { ["description"] = returnsDescription, ["schema"] = returns },
    };

    /// <summary>The <c>context</c> a child process is called with: whatever the caller passed along, <c>null</c> when nothing.</summary>
    public static ProcessParameter ChildContext() =>
        new("context", "What the calling process was given as its `context`.", Any(), Optional: true);

    /// <summary>The <c>context</c> parameter of a process that calls a child process: data handed to it unchanged.</summary>
    public static ProcessParameter Context(string child) =>
        new("context", $"Any data to hand to the {child}, as its `context` parameter.", Any(), Optional: true);

    /// <summary>A resampling method, as GDAL's warper names them.</summary>
    public static JsonObject ResamplingMethod() => new()
    {
        ["type"] = "string",
        ["enum"] = new JsonArray("average", "bilinear", "cubic", "cubicspline", "lanczos", "max", "med", "min", "mode", "near", "q1", "q3", "rms", "sum"),
    };

    private static JsonObject Described(JsonObject schema, string description)
    {
        schema["description"] = description;
        return schema;
    }

    private static JsonObject WithDefault(JsonObject schema, JsonNode? value)
    {
        schema["default"] = value;
        return schema;
    }
}
