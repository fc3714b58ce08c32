using Tessera.Processing.Graphs.Cubes;
using Tessera.Raster.Kernels;

namespace Tessera.Processing.Tests.Graphs;

/// <summary>
/// The vector bodies of the cube's element-wise steps equal their scalar definitions lane for lane (NaN, zeros, signs
/// and the tail after the last whole vector included), and the running statistics equal the per-pixel statistic they
/// replace (valid values only; none gives no value, a count of 0).
/// </summary>
public sealed class CubeStepsTests
{
    public static IEnumerable<object[]> Lengths() => new[] { 0, 1, 7, 8, 15, 16, 17, 33, 257 }.Select(n => new object[] { n });

    private static float[] Values(int n, int seed) =>
        Enumerable.Range(0, n).Select(i => ((i * 3 + seed) % 6) switch
        {
            0 => float.NaN,
            1 => 0f,
            2 => -1.5f,
            _ => (i % 11 - 5) * 0.37f + seed,
        }).ToArray();

    private static void Check<T>(T step, float[] a, float[] b) where T : struct, ILaneStep2
    {
        var actual = new float[a.Length];
        LaneLoop.Apply(step, a, b, actual);
        var expected = a.Zip(b, step.Scalar).ToArray();
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits).Select(v => float.IsNaN(BitConverter.Int32BitsToSingle(v)) ? 0x7fc00000 : v),
            actual.Select(BitConverter.SingleToInt32Bits).Select(v => float.IsNaN(BitConverter.Int32BitsToSingle(v)) ? 0x7fc00000 : v));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EveryStep_MatchesItsScalarDefinition(int n)
    {
        var a = Values(n, 1);
        var b = Values(n, 4);
        Check(new ArithmeticSteps.Add(), a, b);
        Check(new ArithmeticSteps.Subtract(), a, b);
        Check(new ArithmeticSteps.Multiply(), a, b);
        Check(new ArithmeticSteps.Divide(), a, b);
        Check(new CubeSteps.Divide(), a, b);
        Check(new CubeSteps.Max(), a, b);
        Check(new CubeSteps.Min(), a, b);
        Check(new CubeSteps.Sum(), a, b);
        Check(new CubeSteps.First(), a, b);
        Check(new CubeSteps.Last(), a, b);
        Check(new CubeSteps.Count(), Enumerable.Range(0, n).Select(i => (float)(i % 3)).ToArray(), b);
        Check(new CubeSteps.Mean(), a, Enumerable.Range(0, n).Select(i => (float)(i % 3)).ToArray());
    }

    [Theory]
    [InlineData("min")]
    [InlineData("max")]
    [InlineData("sum")]
    [InlineData("mean")]
    [InlineData("first")]
    [InlineData("last")]
    [InlineData("count")]
    public void RunningStatistics_EqualThePerPixelStatistic(string statistic)
    {
        // Five dates over 40 pixels, some all nodata, some with one value.
        const int n = 40;
        var dates = Enumerable.Range(0, 5).Select(d => Enumerable.Range(0, n).Select(p => p % 8 == 0 || (p + d) % 5 == 0 ? float.NaN : p * 0.25f - d * 1.5f)
            .ToArray()).ToArray();
        var result = new float[n];
        var scratch = new float[n];

        Assert.True(CubeKernel.TryRunning(statistic, dates, result, scratch));

        for (var p = 0; p < n; p++)
        {
            var expected = CubeKernel.Statistic(statistic, dates.Select(d => d[p]).Where(v => !float.IsNaN(v)).ToArray());
            var got = result[p];
            Assert.True(float.IsNaN(expected) ? float.IsNaN(got) : Math.Abs(expected - got) <= 1e-5f * Math.Max(1, Math.Abs(expected)), $"pixel {p}: {expected} != {got}");
        }
    }
}
