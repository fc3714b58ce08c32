namespace Tessera.Processing.Statistics;

/// <summary>
/// A band matched to another: target ≈ Gain × value + Offset, fitted over <see cref="Samples"/> pixels (cloud
/// removal: the clear image onto the cloudy one, least squares; mosaic harmonisation: an input onto those before
/// it, mean and standard deviation).
/// </summary>
public sealed record BandFit(double Gain, double Offset, long Samples)
{
    public static BandFit Identity { get; } = new(1, 0, 0);

    /// <summary>Least squares y ≈ gain × x + offset.</summary>
    public static BandFit Of(PairedMoments moments)
    {
        var (gain, offset) = moments.Fit();
        return new BandFit(gain, offset, moments.Count);
    }

    /// <summary>x mapped onto y's mean and standard deviation (<see cref="PairedMoments.MatchMoments"/>).</summary>
    public static BandFit Matching(PairedMoments moments)
    {
        var (gain, offset) = moments.MatchMoments();
        return new BandFit(gain, offset, moments.Count);
    }
}
