namespace Tessera.Catalog.Converters;

/// <summary>An input a converter cannot convert (a damaged archive, a product without its bands), said for the caller as it is.</summary>
public sealed class ConversionException(string message) : CatalogException(message);
