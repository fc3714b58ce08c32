namespace Tessera.Processing.Fusion.Quality;

/// <summary>How a fused band compares with its reference (the original multispectral band).</summary>
/// <param name="Rmse">Root mean square error, in the band's units.</param>
/// <param name="Bias">Mean of fused − reference.</param>
/// <param name="Q">Universal image quality index (Wang and Bovik 2002), the mean over 32 x 32 blocks; 1 is perfect.</param>
/// <param name="Correlation">Pearson's correlation with the reference over the whole band.</param>
public sealed record BandQuality(string Band, double Rmse, double Bias, double Q, double Correlation);

/// <summary>Fused bands against reference bands on the same grid.</summary>
/// <param name="Ergas">Erreur relative globale adimensionnelle de synthèse (Wald 2002): 100 (h/l) √(mean of (RMSE_k/μ_k)²);
/// 0 is perfect.</param>
/// <param name="Sam">Spectral angle mapper: the mean angle, in degrees, between fused and reference pixel vectors; 0 is perfect.</param>
/// <param name="Pixels">Pixels compared (with data in every fused and reference band).</param>
public sealed record FusionComparison(double Ergas, double Sam, double Q, long Pixels, IReadOnlyList<BandQuality> Bands);

/// <summary>
/// Quality of one pan-sharpening, by Wald's protocol: pan and multispectral bands are degraded by the resolution
/// ratio (averaged), fused, and the result compared with the original multispectral bands (<see cref="ReducedScale"/>);
/// at full scale, the product's spatial detail is compared with the pan's (<see cref="SpatialCorrelation"/>:
/// correlation of their 3 x 3 Laplacians per band, Zhou et al. 1998; 1 is perfect).
/// </summary>
public sealed record FusionQualityReport(
    string Method,
    double Ratio,
    FusionComparison ReducedScale,
    IReadOnlyList<double> SpatialCorrelation);
