using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Converters;

/// <summary>The products the converter tests share, made once.</summary>
[CollectionDefinition(Name)]
public sealed class ProductArchivesCollection : ICollectionFixture<ProductArchives>
{
    public const string Name = "product archives";
}
