namespace Tessera.Catalog.Files;

/// <summary>Where the file store keeps its files, and what it accepts.</summary>
/// <param name="Root">The data folder; files go under <c>files/</c>, uploads in progress under <c>incoming/</c>.</param>
/// <param name="MaxUploadBytes">Largest upload accepted.</param>
/// <param name="MaxDimension">Largest width or height accepted, in pixels (a sanity limit against
/// corrupt headers that claim absurd sizes).</param>
public sealed record FileStoreOptions(string Root, long MaxUploadBytes = 8L << 30, int MaxDimension = 1_000_000, int MaxBands = 10_000);
