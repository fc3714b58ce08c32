namespace Tessera.Catalog.Converters;

/// <summary>
/// geospaas_processing's <c>ParameterSelector</c>: when a converter is used (<paramref name="Matches"/>, a condition on
/// the item and its asset) and the parameters it is then made with. A converter lists its selectors in order; the
/// first that matches makes it.
/// </summary>
/// <param name="Says">What the condition is, in a few words (for lists and messages).</param>
public sealed record ParameterSelector<TParameters>(string Says, Func<ConversionInput, bool> Matches, TParameters Parameters);
