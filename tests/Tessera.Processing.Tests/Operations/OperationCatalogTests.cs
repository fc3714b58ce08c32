using Tessera.Processing.BandMath;
using Tessera.Processing.Indices;
using Tessera.Processing.Operations;

namespace Tessera.Processing.Tests.Operations;

public class OperationCatalogTests
{
    [Fact]
    public void Types_HaveTheSeedNumbersAndNames_ThenTheirOwn()
    {
        var seed = new Dictionary<int, string>
        {
            [1] = "FUSION", [2] = "MOSAIC", [4] = "Cloud_Remove", [6] = "BAND_MERGED", [7] = "NDVI", [8] = "EVI", [9] = "NDWI", [10] = "NDBI", [11] = "BAI",
        };
        foreach (var (number, name) in seed)
        {
            Assert.Equal(name, OperationCatalog.Find(number)!.Name);
        }
        var beyond = new Dictionary<int, string>
        {
            [12] = "CROP", [13] = "ZONAL_STATS", [14] = "COMPOSITE", [15] = "BAND_MATH",
            [16] = "SAVI", [17] = "MSAVI", [18] = "NBR", [19] = "NBR2", [20] = "NDMI", [34] = "NORMALIZE",
        };
        Assert.Equal(seed.Concat(beyond).OrderBy(p => p.Key), OperationCatalog.All.Select(o => KeyValuePair.Create(o.Number, o.Name)).OrderBy(p => p.Key));
        Assert.Null(OperationCatalog.Find(3));
        Assert.Null(OperationCatalog.Find(5));
        Assert.Same(OperationCatalog.Find(4), OperationCatalog.Find("cloud_remove"));
    }

    [Fact]
    public void Definitions_AreConsistent()
    {
        foreach (var operation in OperationCatalog.All)
        {
            Assert.Equal(operation.Parameters.Count, operation.Parameters.Select(p => p.Name).Distinct().Count());
            foreach (var p in operation.Parameters)
            {
                Assert.False(string.IsNullOrWhiteSpace(p.Description), $"{operation.Name}.{p.Name}");
                if (p.Type == ParameterType.Choice)
                {
                    Assert.NotEmpty(p.Choices!);
                    Assert.True(p.Default is null || p.Choices!.Contains((string)p.Default), $"{operation.Name}.{p.Name}");
                }
                Assert.False(p.Required && p.Default is not null, $"{operation.Name}.{p.Name}: required with a default");
            }
            // Defaults alone make a valid set of parameters for every type without required ones (but zonal statistics,
            // which need their zones one of two ways: as GeoJSON or a stored file, neither required alone).
            if (!operation.Parameters.Any(p => p.Required) && operation.Number != 13)
            {
                ParameterValues.Parse("{}", operation);
            }
        }
        foreach (var index in SpectralIndices.All)
        {
            BandMathProgram.Compile(index.Formula, index.Roles, (index.Constants ?? []).ToDictionary(c => c.Name, c => c.Default));
        }
    }

    private static string Refusal(int type, string json) =>
        Assert.Throws<OperationRequestException>(() => ParameterValues.Parse(json, OperationCatalog.Find(type)!)).Message;

    [Fact]
    public void UnknownNames_NullsAndWrongTypes_AreRefusedByName()
    {
        Assert.Equal("params.scael: not a parameter of EVI (it takes scale, offset, nodata, resampling, formula and part)", Refusal(8, """{"scael": 0.0001}"""));
        Assert.Equal("params.scale: null is not a value; leave the parameter out for its default", Refusal(8, """{"scale": null}"""));
        Assert.Equal("params.scale: a number", Refusal(8, """{"scale": "0.0001"}"""));
        Assert.Equal("params.resampling: 'lanczos' is not nearest, bilinear, cubic or average", Refusal(7, """{"resampling": "lanczos"}"""));
        Assert.Equal("params.L: a number from 0 to 1", Refusal(16, """{"L": 2}"""));
        Assert.Equal("params.L: not a parameter of NDVI (it takes scale, offset, nodata, resampling, formula and part)", Refusal(7, """{"L": 0.5}"""));
        Assert.Equal("params.dilate: a whole number, 0 or more", Refusal(4, """{"dilate": 1.5}"""));
        Assert.Equal("params.resolution: a positive number", Refusal(2, """{"resolution": 0}"""));
        Assert.Equal("params.harmonize: true or false", Refusal(2, """{"harmonize": "yes"}"""));
        Assert.Equal("params: an object", Refusal(7, "[1, 2]"));
        Assert.StartsWith("params.zones: required: the polygons", Refusal(13, "{}"));
        Assert.Equal("params.formula: required: the formula over the inputs' names, e.g. (a - b) / (a + b)", Refusal(15, "{}"));
    }

    [Fact]
    public void Values_AreTyped_WithDefaultsFilledIn()
    {
        var savi = ParameterValues.Parse("""{"scale": 0.0000275, "offset": -0.2, "resampling": "Bilinear"}""", OperationCatalog.Find("savi")!);
        Assert.Equal(0.0000275, savi.Number("scale"));
        Assert.Equal(-0.2, savi.Number("offset"));
        Assert.Equal(0.5, savi.Number("L"));
        Assert.False(savi.Given("L"));
        Assert.Equal("bilinear", savi.Text("resampling"));
        var fusion = ParameterValues.Parse("""{"weights": [0.2, 0.3, 0.5]}""", OperationCatalog.Find(1)!);
        Assert.Equal([0.2, 0.3, 0.5], fusion.Numbers("weights")!);
        Assert.Equal("brovey", fusion.Text("method"));
        var removal = ParameterValues.Parse("""{"sclClasses": "3, 8,9"}""", OperationCatalog.Find(4)!);
        Assert.Equal([3, 8, 9], removal.Integers("sclClasses")!);
        Assert.Equal(3, removal.Integer("feather"));
    }

    [Fact]
    public void NormalisedIndices_AreClamped_AndKeepNoData()
    {
        // Landsat C2 reflectance can be slightly negative: a sum near zero would otherwise give values far beyond 1.
        foreach (var index in new[] { SpectralIndices.Ndvi, SpectralIndices.Nbr, SpectralIndices.Ndmi, SpectralIndices.Savi })
        {
            var program = BandMathProgram.Compile(index.Formula, index.Roles, (index.Constants ?? []).ToDictionary(c => c.Name, c => c.Default));
            var values = index.Roles.Select((_, i) => i == 0 ? 0.01f : -0.0099f).ToArray();
            var expected = index.Constants is null ? 1f : Math.Clamp(1.5f * (0.01f + 0.0099f) / (0.01f - 0.0099f + 0.5f), -1f, 1f);
            Assert.Equal(expected, program.EvaluateScalar(values), 5);
            Assert.True(float.IsNaN(program.EvaluateScalar(index.Roles.Select((_, i) => i == 0 ? float.NaN : 0.2f).ToArray())));
        }
    }
}
