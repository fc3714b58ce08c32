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
