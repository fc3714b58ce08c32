using Tessera.Processing.BandMath;
using Tessera.Processing.Indices;

namespace Tessera.Processing.Tests.Indices;

public class SpectralIndicesTests
{
    private static float Compute(SpectralIndex index, params (string Role, float Value)[] values)
    {
        var program = BandMathProgram.Compile(index.Formula, index.Roles, (index.Constants ?? []).ToDictionary(c => c.Name, c => c.Default));
        return program.EvaluateScalar(index.Roles.Select(r => values.Single(v => v.Role == r).Value).ToArray());
    }

    [Fact]
    public void Ndvi_OfVegetation() =>
        Assert.Equal((0.5f - 0.1f) / (0.5f + 0.1f), Compute(SpectralIndices.Ndvi, ("nir", 0.5f), ("red", 0.1f)), 6);

    [Fact]
    public void Evi_UsesModisCoefficients() =>
        Assert.Equal(2.5 * (0.5 - 0.1) / (0.5 + 6 * 0.1 - 7.5 * 0.05 + 1),
            Compute(SpectralIndices.Evi, ("nir", 0.5f), ("red", 0.1f), ("blue", 0.05f)), 5);

    [Fact]
    public void Ndwi_IsMcFeeters_GreenAgainstNir() =>
        Assert.Equal((0.3 - 0.1) / (0.3 + 0.1), Compute(SpectralIndices.Ndwi, ("green", 0.3f), ("nir", 0.1f)), 6);

    [Fact]
    public void Ndbi_IsSwirAgainstNir() =>
        Assert.Equal((0.4 - 0.3) / (0.4 + 0.3), Compute(SpectralIndices.Ndbi, ("swir", 0.4f), ("nir", 0.3f)), 6);

    [Fact]
    public void Bai_IsInverseDistanceToCharcoalPoint() =>
        Assert.Equal(1 / ((0.1 - 0.2) * (0.1 - 0.2) + (0.06 - 0.3) * (0.06 - 0.3)),
            Compute(SpectralIndices.Bai, ("red", 0.2f), ("nir", 0.3f)), 3);

    [Fact]
    public void Savi_WithL_IsNdviScaledBySoilFactor() =>
        Assert.Equal(1.5 * (0.5 - 0.1) / (0.5 + 0.1 + 0.5), Compute(SpectralIndices.Savi, ("nir", 0.5f), ("red", 0.1f)), 6);

    [Fact]
    public void Msavi_IsTheClosedForm() =>
        Assert.Equal((2 * 0.5 + 1 - Math.Sqrt((2 * 0.5 + 1) * (2 * 0.5 + 1) - 8 * (0.5 - 0.1))) / 2,
            Compute(SpectralIndices.Msavi, ("nir", 0.5f), ("red", 0.1f)), 5);

    [Fact]
    public void BurnAndMoistureRatios_UseTheirSwirBands()
    {
        Assert.Equal((0.4 - 0.1) / (0.4 + 0.1), Compute(SpectralIndices.Nbr, ("nir", 0.4f), ("swir2", 0.1f)), 6);
        Assert.Equal((0.3 - 0.2) / (0.3 + 0.2), Compute(SpectralIndices.Nbr2, ("swir1", 0.3f), ("swir2", 0.2f)), 6);
        Assert.Equal((0.4 - 0.3) / (0.4 + 0.3), Compute(SpectralIndices.Ndmi, ("nir", 0.4f), ("swir1", 0.3f)), 6);
    }

    [Fact]
    public void Ndvi_ZeroSum_IsNoData() =>
        Assert.True(float.IsNaN(Compute(SpectralIndices.Ndvi, ("nir", 0f), ("red", 0f))));

    [Fact]
    public void TaskTypes_AreTheSeedNumbers()
    {
        Assert.Equal([7, 8, 9, 10, 11, 16, 17, 18, 19, 20], SpectralIndices.All.Select(i => i.TaskType));
        Assert.Same(SpectralIndices.Evi, SpectralIndices.Find("evi"));
        Assert.Same(SpectralIndices.Savi, SpectralIndices.Find("savi"));
        Assert.Null(SpectralIndices.Find("gndvi"));
    }
}
