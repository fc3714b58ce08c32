namespace Tessera.Raster.Blocks;

/// <summary>Progress of one stage of a long computation: units (blocks, or per-mille for GDAL stages) done of total.</summary>
public readonly record struct RasterProgress(string Stage, long Done, long Total)
{
    public double Fraction => Total <= 0 ? 1 : Math.Clamp((double)Done / Total, 0, 1);
}
