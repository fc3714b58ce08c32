using Tessera.Processing.Statistics;

namespace Tessera.Processing.Mosaic;

/// <summary>A mosaic made: its plan, and with harmonisation the per-input, per-band fits applied.</summary>
public sealed record MosaicResult(MosaicPlan Plan, IReadOnlyList<IReadOnlyList<BandFit>>? Harmonization);
