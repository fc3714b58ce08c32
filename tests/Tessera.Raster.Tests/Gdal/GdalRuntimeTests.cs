using Tessera.Raster.Gdal;

namespace Tessera.Raster.Tests.Gdal;

public class GdalRuntimeTests
{
    [Fact]
    public void Version_IsAtLeast34()
    {
        var parts = GdalRuntime.Version.Split('.').Select(int.Parse).ToArray();
        Assert.True(parts[0] > 3 || (parts[0] == 3 && parts[1] >= 4), GdalRuntime.Version);
    }

    [Fact]
    public void Candidates_OnLinux_IncludeVersionedDebianNames()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(GdalLibraryResolver.OverrideVariable) is not null)
        {
            return;
        }
        var candidates = GdalLibraryResolver.Candidates().ToList();
        Assert.Equal("libgdal.so", candidates[0]);
        Assert.Contains("libgdal.so.32", candidates);
        Assert.Contains("libgdal.so.30", candidates);
    }

    [Fact]
    public void NotFoundMessage_SaysHowToInstall()
    {
        var e = new GdalLibraryNotFoundException(["libgdal.so", "libgdal.so.32"]);
        Assert.Contains("tried libgdal.so, libgdal.so.32", e.Message);
        Assert.Contains("TESSERA_GDAL_LIBRARY", e.Message);
        Assert.Contains(OperatingSystem.IsLinux() ? "apt-get install libgdal" : "install GDAL", e.Message);
    }

    [Fact]
    public void HasDriver_KnowsCogAndGTiff()
    {
        Assert.True(GdalRuntime.HasDriver("GTiff"));
        Assert.True(GdalRuntime.HasDriver("COG"));
        Assert.False(GdalRuntime.HasDriver("NoSuchDriver"));
    }
}
