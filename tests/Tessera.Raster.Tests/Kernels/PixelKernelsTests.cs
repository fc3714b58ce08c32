using Tessera.Raster.Kernels;

namespace Tessera.Raster.Tests.Kernels;

/// <summary>Every kernel against its scalar definition at every length 0..257 (vector body and tail).</summary>
public class PixelKernelsTests
{
    public static IEnumerable<object[]> Lengths() => Enumerable.Range(0, 258).Select(n => new object[] { n });

    /// <summary>Values with NaN, the nodata value 0, infinities and ordinary numbers, deterministically.</summary>
    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = (i + seed) % 11 switch
            {
                0 => float.NaN,
                1 => 0f,
                2 => float.PositiveInfinity,
                3 => float.NegativeInfinity,
                _ => (float)(random.NextDouble() * 20000 - 1000),
            };
        }
        return values;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Decode_MatchesScalarDefinition(int n)
    {
        var values = Values(n, 1);
        var expected = values.Select(v => PixelKernels.DecodeScalar(v, 0f, true, 0.0001f, -0.1f)).ToArray();
        PixelKernels.Decode(values, 0, 0.0001, -0.1);
        Assert.Equal(expected, values);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Decode_WithoutNoData_OnlyScales(int n)
    {
        var values = Values(n, 2);
        var expected = values.Select(v => PixelKernels.DecodeScalar(v, 0f, false, 2f, 1f)).ToArray();
        PixelKernels.Decode(values, null, 2, 1);
        Assert.Equal(expected, values);
    }

    [Fact]
    public void Decode_NoDataPixel_BecomesNaN_OthersScaled()
    {
        float[] values = [0, 10000, 5000, float.NaN];
        PixelKernels.Decode(values, 0, 0.0001, 0);
        Assert.True(float.IsNaN(values[0]));
        Assert.Equal(1f, values[1], 6);
        Assert.Equal(0.5f, values[2], 6);
        Assert.True(float.IsNaN(values[3]));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EncodeNonFinite_MatchesScalarDefinition(int n)
    {
        var values = Values(n, 3);
        var expected = values.Select(v => PixelKernels.EncodeNonFiniteScalar(v, -9999f)).ToArray();
        PixelKernels.EncodeNonFinite(values, -9999f);
        Assert.Equal(expected, values);
        Assert.DoesNotContain(values, v => !float.IsFinite(v));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void PropagateNaN_MatchesScalarDefinition(int n)
    {
        var input = Values(n, 4);
        var result = Values(n, 5);
        var expected = input.Zip(result, PixelKernels.PropagateNaNScalar).ToArray();
        PixelKernels.PropagateNaN(input, result);
        Assert.Equal(expected, result);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Finish_MatchesScalarDefinition_WithZeroOneOrTwoInputs(int n)
    {
        var result = Values(n, 6);
        var a = Values(n, 7);
        var b = Values(n, 8);
        var actual = new float[n];
        PixelKernels.Finish(result, a, b, actual);
        Assert.Equal(Enumerable.Range(0, n).Select(i => PixelKernels.FinishScalar(result[i], a[i], b[i])), actual);
        PixelKernels.Finish(result, a, default, actual);
        Assert.Equal(Enumerable.Range(0, n).Select(i => PixelKernels.FinishScalar(result[i], a[i], 0)), actual);
        PixelKernels.Finish(result, default, default, actual);
        Assert.Equal(Enumerable.Range(0, n).Select(i => PixelKernels.FinishScalar(result[i], 0, 0)), actual);
    }
}
