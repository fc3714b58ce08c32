namespace Tessera.Processing.Fusion;

/// <summary>
/// The image-wide statistics Gram-Schmidt fusion needs: per band the injection gain g_k = cov(M_k, I) / var(I),
/// and the pan's match to the intensity, P' = PanGain × P + PanOffset (same mean and standard deviation as I).
/// </summary>
public sealed record GramSchmidtFit(IReadOnlyList<double> Gains, double PanGain, double PanOffset);
