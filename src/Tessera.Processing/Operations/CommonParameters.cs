using Tessera.Raster.Alignment;

namespace Tessera.Processing.Operations;

/// <summary>Parameters several operations share, defined once.</summary>
public static class CommonParameters
{
    public static Parameter Resampling(string fallback) => new("resampling", ParameterType.Choice, "how inputs on other grids are resampled")
    {
        Choices = ["nearest", "bilinear", "cubic", "average"],
        Default = fallback,
    };

    /// <summary>The resampling parameter's value (nearest for an operation without one).</summary>
    public static Resampling ResamplingOf(ParameterValues parameters) =>
        parameters.Text("resampling") is { } name ? ResamplingNames.Parse(name) : Raster.Alignment.Resampling.Nearest;

    public static readonly Parameter MaskKind = new("maskKind", ParameterType.Choice,
        "how the mask says cloud: raster (non-zero, the default), scl (Sentinel-2 classes), qa-pixel (Landsat C2), bqa (Landsat 8 pre-collection)")
    {
        Choices = ["raster", "scl", "qa-pixel", "bqa"],
        Default = "raster",
    };

    public static readonly Parameter SclClasses = new("sclClasses", ParameterType.IntegerList, "SCL classes that are cloud (default 3,8,9,10)")
    {
        Minimum = 0,
    };

    /// <summary>The cloud mask the maskKind and sclClasses parameters describe.</summary>
    public static Clouds.CloudMask CloudMaskOf(ParameterValues parameters) => new(parameters.Text("maskKind") switch
    {
        "scl" => Clouds.CloudMaskKind.Scl,
        "qa-pixel" => Clouds.CloudMaskKind.QaPixel,
        "bqa" => Clouds.CloudMaskKind.Bqa,
        _ => Clouds.CloudMaskKind.Raster,
    }, parameters.Integers("sclClasses")?.ToHashSet());

    public static readonly Parameter Bbox = new("bbox", ParameterType.Box, "crop to west,south,east,north (in bboxCrs)");

    public static readonly Parameter BboxCrs = new("bboxCrs", ParameterType.Crs, "CRS of bbox (default EPSG:4326, lon/lat)");

    public static readonly Parameter Scale = new("scale", ParameterType.Number,
        "multiplies digital numbers into reflectance (e.g. 0.0001 for Sentinel-2); default: the file's own scale");

    public static readonly Parameter Offset = new("offset", ParameterType.Number,
        "added after scaling (e.g. -0.2 for Landsat Collection 2); default: the file's own offset");

    public static readonly Parameter NoData = new("nodata", ParameterType.Number, "input value that means no data; default: the file's own");

    /// <summary>The window of the whole result a task computes: a tile of a large result that several workers compute,
    /// stitched by the task that asked for the whole (operations whose <see cref="Operation.OutputGrid"/> is known).</summary>
    public static readonly Parameter Part = new("part", ParameterType.IntegerList,
        "only this window of the whole result: column,row,width,height in its pixels (set by the service on the tiles of a task it splits)")
    {
        Minimum = 0,
    };

    /// <summary>The part parameter's window, checked against the whole result's grid; null when not given.</summary>
    public static Raster.Window? PartOf(ParameterValues parameters, Raster.RasterGrid whole)
    {
        if (parameters.Integers("part") is not { } values)
        {
            return null;
        }
        if (values.Count != 4 || values[2] < 1 || values[3] < 1)
        {
            throw new OperationRequestException("params.part: column,row,width,height (4 whole numbers, width and height 1 or more)");
        }
        var window = new Raster.Window(values[0], values[1], values[2], values[3]);
        return whole.FullWindow.Contains(window) ? window
            : throw new OperationRequestException($"params.part: the window {window} is not inside the result's {whole.Width} x {whole.Height} pixels");
    }
}
