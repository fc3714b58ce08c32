using Tessera.Raster;

namespace Tessera.Processing.Fusion;

/// <summary>Pan-sharpening methods. M_k: multispectral band k on the pan grid; P: pan; I = Σ w_k M_k / Σ w_k.</summary>
public enum PansharpenMethod
{
    /// <summary>F_k = M_k × P / I with equal weights.</summary>
    Brovey,

    /// <summary>F_k = M_k × P / I with the given weights (how much each band contributes to the pan's spectrum).</summary>
    WeightedBrovey,

    /// <summary>Generalised fast IHS (Tu et al. 2001): F_k = M_k + (P − I); the mean of the result is P.</summary>
    Ihs,

    /// <summary>High-pass filter: F_k = M_k + (P − P_low), P_low being P averaged to the multispectral grid and
    /// resampled back (bilinear).</summary>
    Hpf,
}

public static class PansharpenMethods
{
    public static PansharpenMethod Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "brovey" => PansharpenMethod.Brovey,
        "weighted-brovey" => PansharpenMethod.WeightedBrovey,
        "ihs" => PansharpenMethod.Ihs,
        "hpf" => PansharpenMethod.Hpf,
        "gram-schmidt" or "pca" => throw new RasterArgumentException("gram-schmidt is not available yet; use brovey, weighted-brovey, ihs or hpf"),
        _ => throw new RasterArgumentException($"unknown pan-sharpening method '{name}'; use brovey, weighted-brovey, ihs or hpf"),
    };
}
