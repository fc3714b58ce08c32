namespace Tessera.Processing.Clouds;

/// <summary>How a mask band says "cloud".</summary>
public enum CloudMaskKind
{
    /// <summary>Any non-zero value is cloud.</summary>
    Raster,

    /// <summary>Sentinel-2 L2A scene classification: the listed classes (default 3 cloud shadow, 8 and 9 cloud
    /// medium/high probability, 10 thin cirrus).</summary>
    Scl,

    /// <summary>Landsat Collection 2 QA_PIXEL: bit 1 dilated cloud, 2 cirrus, 3 cloud or 4 cloud shadow set.</summary>
    QaPixel,

    /// <summary>Landsat 8 pre-collection BQA: cloud confidence (bits 14-15) medium or high, or cirrus confidence
    /// (bits 12-13) high.</summary>
    Bqa,
}

/// <summary>A cloud mask: which band, and how to read it. No data (NaN) in the mask is not cloud.</summary>
public sealed record CloudMask(CloudMaskKind Kind, IReadOnlySet<int>? SclClasses = null)
{
    public static IReadOnlySet<int> DefaultSclClasses { get; } = new HashSet<int> { 3, 8, 9, 10 };

    /// <summary>Whether a mask value means cloud.</summary>
    public bool IsCloud(float value)
    {
        if (float.IsNaN(value))
        {
            return false;
        }
        var bits = (int)value;
        return Kind switch
        {
            CloudMaskKind.Raster => value != 0,
            CloudMaskKind.Scl => (SclClasses ?? DefaultSclClasses).Contains(bits),
            CloudMaskKind.QaPixel => (bits & 0b1_1110) != 0,
            CloudMaskKind.Bqa => ((bits >> 14) & 0b11) >= 2 || ((bits >> 12) & 0b11) == 3,
            _ => false,
        };
    }
}
