namespace Tessera.Catalog.Files;

/// <summary>Where the file store keeps its files, and what it accepts.</summary>
/// <param name="Root">The data folder; files go under <c>files/</c>, uploads in progress under <c>incoming/</c>.</param>
/// <param name="MaxUploadBytes">Largest upload accepted.</param>
/// <param name="MaxDimension">Largest width or height accepted, in pixels, and <paramref name="MaxPixels"/> the
/// largest width × height: sanity limits against headers that claim absurd sizes (a 100 000 × 100 000 mosaic
/// passes; a few-kilobyte TIFF declaring 1 000 000 × 1 000 000 does not).</param>
/// <param name="MaxVectorBytes">Largest vector file (zones) accepted: GDAL reads a GeoJSON file whole into memory.</param>
public sealed record FileStoreOptions(string Root, long MaxUploadBytes = 8L << 30, int MaxDimension = 400_000, int MaxBands = 10_000,
    long MaxPixels = 20_000_000_000, long MaxVectorBytes = 256L << 20);
