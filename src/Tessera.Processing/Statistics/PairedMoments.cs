namespace Tessera.Processing.Statistics;

/// <summary>
/// Running sums of pairs (x, y) in double precision: means, variances, covariance and the least-squares line
/// y = gain × x + offset. Pairs with NaN on either side are left out.
/// </summary>
public sealed class PairedMoments
{
    private double _sx, _sy, _sxx, _syy, _sxy;

    public long Count { get; private set; }

    public void Add(float x, float y)
    {
        if (float.IsNaN(x) || float.IsNaN(y))
        {
            return;
        }
        Count++;
        _sx += x;
        _sy += y;
        _sxx += (double)x * x;
        _syy += (double)y * y;
        _sxy += (double)x * y;
    }

    /// <summary>Adds another set of pairs.</summary>
    public void Add(PairedMoments other)
    {
        Count += other.Count;
        _sx += other._sx;
        _sy += other._sy;
        _sxx += other._sxx;
        _syy += other._syy;
        _sxy += other._sxy;
    }

    /// <summary>All the pairs of several sets, added in the order given (so the same order gives the same sums).</summary>
    public static PairedMoments Sum(IEnumerable<PairedMoments> parts)
    {
        var total = new PairedMoments();
        foreach (var part in parts)
        {
            total.Add(part);
        }
        return total;
    }

    /// <summary>The same pairs with y replaced by gain × y + offset (exact: the sums transform linearly).</summary>
    public PairedMoments WithY(double gain, double offset) => new()
    {
        Count = Count,
        _sx = _sx,
        _sxx = _sxx,
        _sy = gain * _sy + offset * Count,
        _syy = gain * gain * _syy + 2 * gain * offset * _sy + offset * offset * Count,
        _sxy = gain * _sxy + offset * _sx,
    };

    public double MeanX => _sx / Count;

    public double MeanY => _sy / Count;

    /// <summary>Population variance of x.</summary>
    public double VarianceX => Math.Max(0, _sxx / Count - MeanX * MeanX);

    public double VarianceY => Math.Max(0, _syy / Count - MeanY * MeanY);

    public double Covariance => _sxy / Count - MeanX * MeanY;

    /// <summary>Pearson's correlation of x and y; NaN without spread on either side.</summary>
    public double Correlation => VarianceX > 0 && VarianceY > 0 ? Covariance / Math.Sqrt(VarianceX * VarianceY) : double.NaN;

    /// <summary>Mean of (y − x)².</summary>
    public double MeanSquaredDifference => Math.Max(0, (_syy - 2 * _sxy + _sxx) / Count);

    /// <summary>
    /// The line that gives x the mean and standard deviation of y: gain = σ_y / σ_x, offset = μ_y − gain μ_x (the
    /// reduced major axis). Unlike least squares it does not flatten x where x and y correlate weakly. Gain 1,
    /// offset 0 with fewer than 2 pairs or no spread in x.
    /// </summary>
    public (double Gain, double Offset) MatchMoments()
    {
        if (Count < 2 || VarianceX <= 0)
        {
            return (1, 0);
        }
        var gain = Math.Sqrt(VarianceY / VarianceX);
        return (gain, MeanY - gain * MeanX);
    }

    /// <summary>Least squares y = gain × x + offset; gain 1, offset 0 with fewer than 2 pairs or no spread in x.</summary>
    public (double Gain, double Offset) Fit()
    {
        var spread = Count * _sxx - _sx * _sx;
        if (Count < 2 || spread <= 0)
        {
            return (1, 0);
        }
        var gain = (Count * _sxy - _sx * _sy) / spread;
        return (gain, (_sy - gain * _sx) / Count);
    }
}
