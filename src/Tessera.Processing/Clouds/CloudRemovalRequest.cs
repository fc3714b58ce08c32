using Tessera.Processing.Statistics;
using Tessera.Raster.Output;

namespace Tessera.Processing.Clouds;

/// <summary>
/// A cloudy image, a cloud mask and a cloud-free image of the same area (each a file, all its bands, or one
/// band: FILE@N) → the cloudy image with its clouds replaced from the cloud-free one.
/// </summary>
/// <param name="Dilate">Grow the mask by this many pixels first.</param>
/// <param name="Feather">Blend from the replacement to the cloudy image over this many pixels outside the
/// (dilated) mask; farther pixels are left exactly as they were.</param>
public sealed record CloudRemovalRequest(
    string Cloudy,
    string Clear,
    string Mask,
    CloudMask MaskKind,
    string OutputPath,
    int Dilate = 0,
    int Feather = 3,
    OutputOptions? Output = null,
    int Threads = 0);

/// <summary>What a cloud removal did: pixels of the image, how many were cloud (after dilation), how many of
/// those were replaced and how many stayed cloudy (no valid replacement), and the per-band fit
/// cloudy ≈ gain × clear + offset used to match the replacement to the cloudy image.</summary>
public sealed record CloudRemovalReport(long Pixels, long Cloud, long Replaced, long LeftCloudy,
    [property: System.Text.Json.Serialization.JsonPropertyOrder(1)] IReadOnlyList<BandFit> Fits)
{
    public double CloudShare => Pixels == 0 ? 0 : (double)Cloud / Pixels;

    public double ReplacedShare => Pixels == 0 ? 0 : (double)Replaced / Pixels;

    public double LeftCloudyShare => Pixels == 0 ? 0 : (double)LeftCloudy / Pixels;
}

