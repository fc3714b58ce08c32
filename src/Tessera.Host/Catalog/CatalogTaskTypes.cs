using Tessera.Processing.Operations;
using Tessera.Tasks;

namespace Tessera.Host.Catalog;

/// <summary>
/// The task types of the catalog (numbered after the processing types, never reusing one): they run on the same
/// queue and workers as processing, through the seed's statuses, with DOWNLOADING as their real stage.
/// </summary>
public static class CatalogTaskTypes
{
    /// <summary>Copies another catalog's collections and items into the catalog (<c>POST /catalog/harvest</c>).</summary>
    public static readonly TaskType Harvest = new(21);

    /// <summary>Adds the products of a folder of the server to a local collection (<c>POST /catalog/add</c>).</summary>
    public static readonly TaskType Add = new(22);

    /// <summary>The name of any task type: a processing type's, or a catalog task's.</summary>
    public static string NameOf(int number) => number == Harvest.Number ? "HARVEST"
        : number == Add.Number ? "CATALOG_ADD"
        : OperationCatalog.NameOf(number);
}
