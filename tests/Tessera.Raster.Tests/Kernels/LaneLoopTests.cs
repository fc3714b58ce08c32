using System.Numerics;
using Tessera.Raster.Kernels;

namespace Tessera.Raster.Tests.Kernels;

public class LaneLoopTests
{
    /// <summary>a·x + b·y + c·z − w, with NaN where x is negative: enough to see every lane and the tail.</summary>
    private readonly struct Mixed : ILaneStep4
    {
        public Vector<float> Vector(Vector<float> x, Vector<float> y, Vector<float> z, Vector<float> w)
        {
            var r = x * new Vector<float>(2) + y * new Vector<float>(3) + z * new Vector<float>(5) - w;
            return System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.LessThan(x, Vector<float>.Zero), new Vector<float>(float.NaN), r);
        }

        public float Scalar(float x, float y, float z, float w) => x < 0 ? float.NaN : x * 2 + y * 3 + z * 5 - w;
    }

    private readonly struct Twice : ILaneStep1
    {
        public Vector<float> Vector(Vector<float> x) => x + x;

        public float Scalar(float x) => x + x;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1001)]
    public void EveryLength_GivesTheScalarDefinition_InEveryLaneAndTheTail(int length)
    {
        var random = new Random(length);
        float[] Values() => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 20 - 5)).ToArray();
        var (x, y, z, w) = (Values(), Values(), Values(), Values());
        var output = new float[length];
        LaneLoop.Apply(default(Mixed), x, y, z, w, output);
        for (var i = 0; i < length; i++)
        {
            var expected = x[i] < 0 ? float.NaN : x[i] * 2 + y[i] * 3 + z[i] * 5 - w[i];
            Assert.Equal(expected, output[i], 4);
        }
    }

    [Fact]
    public void InPlace_AndSpansOfOtherLengths_AreRefused()
    {
        var values = Enumerable.Range(0, 37).Select(i => (float)i).ToArray();
        LaneLoop.Apply(default(Twice), values, values);
        Assert.Equal(Enumerable.Range(0, 37).Select(i => 2f * i), values);
        Assert.Throws<ArgumentException>(() => LaneLoop.Apply(default(Twice), new float[5], new float[6]));
    }
}
