using Tessera.Processing.Calculation;
using Tessera.Processing.Clouds;
using Tessera.Processing.Fusion;
using Tessera.Processing.Indices;
using Tessera.Processing.Mosaic;
using Tessera.Processing.Stacking;
using Tessera.Processing.Zonal;

namespace Tessera.Processing.Operations;

/// <summary>Every processing type Tessera runs, by number and by name.</summary>
public static class OperationCatalog
{
    public static IReadOnlyList<Operation> All { get; } =
    [
        new FusionOperation(),
        new MosaicOperation(),
        new CloudRemovalOperation(),
        new BandMergeOperation(),
        .. SpectralIndices.All.Select(i => new IndexOperation(i)),
        new CropOperation(),
        new ZonalOperation(),
        new CompositeOperation(),
        new BandMathOperation(),
        new Radiometry.NormalizeOperation(),
    ];

    private static readonly Dictionary<int, Operation> ByNumber = All.ToDictionary(o => o.Number);

    public static Operation? Find(int number) => ByNumber.GetValueOrDefault(number);

    /// <summary>By name (case-insensitive; "cloud_remove", "ndvi"), or null.</summary>
    public static Operation? Find(string name) =>
        All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The name of a type number ("type 99" when none is defined), as logs and metrics show it.</summary>
    public static string NameOf(int number) => Find(number)?.Name ?? $"type {number}";

    /// <summary>The rendering of a raster whose band is named after an operation (an index result's "NDVI").</summary>
    public static OperationRendering? RenderingFor(string bandDescription) =>
        Find(bandDescription.Trim())?.Rendering;
}
