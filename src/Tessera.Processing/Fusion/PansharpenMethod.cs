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

    /// <summary>
    /// Gram-Schmidt (Laben and Brower 2000) in its component-substitution form (Aiazzi et al. 2007): the simulated
    /// low-resolution pan I (weighted mean of the bands, equal weights by default) is replaced by the pan matched to
    /// its mean and standard deviation, P' = a P + b, and each band gets its share of the difference:
    /// F_k = M_k + g_k (P' − I) with g_k = cov(M_k, I) / var(I), all statistics over the whole image.
    /// </summary>
    GramSchmidt,

    /// <summary>High-pass filter: F_k = M_k + (P − P_low), P_low being P averaged to the multispectral grid and
    /// resampled back (bilinear).</summary>
    Hpf,
}

public static class PansharpenMethods
{
    public const string Names = "brovey, weighted-brovey, ihs, gram-schmidt or hpf";

    public static string Name(this PansharpenMethod method) => method switch
    {
        PansharpenMethod.Brovey => "brovey",
        PansharpenMethod.WeightedBrovey => "weighted-brovey",
        PansharpenMethod.Ihs => "ihs",
        PansharpenMethod.GramSchmidt => "gram-schmidt",
        _ => "hpf",
    };

    public static PansharpenMethod Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "brovey" => PansharpenMethod.Brovey,
        "weighted-brovey" => PansharpenMethod.WeightedBrovey,
        "ihs" => PansharpenMethod.Ihs,
        "hpf" => PansharpenMethod.Hpf,
        "gram-schmidt" => PansharpenMethod.GramSchmidt,
        _ => throw new RasterArgumentException($"unknown pan-sharpening method '{name}'; use {Names}"),
    };
}
