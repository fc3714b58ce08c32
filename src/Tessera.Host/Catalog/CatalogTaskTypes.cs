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

    /// <summary>Brings an item's assets to this machine, and delivers them when asked (<c>POST /catalog/download</c>).</summary>
    public static readonly TaskType Download = new(23);

    /// <summary>Delivers an item's assets already on this machine (<c>POST /catalog/copy</c>).</summary>
    public static readonly TaskType Copy = new(24);

    /// <summary>Removes the files downloaded for an item (<c>POST /catalog/remove_downloaded</c>).</summary>
    public static readonly TaskType RemoveDownloaded = new(25);

    /// <summary>Packs an item's files on this machine into one tar.gz asset (<c>POST /catalog/archive</c>).</summary>
    public static readonly TaskType Archive = new(26);

    /// <summary>Removes every download older than a date (<c>POST /catalog/cleanup</c>).</summary>
    public static readonly TaskType Cleanup = new(27);

    /// <summary>Copies an item's files on this machine to the publishing server (<c>POST /catalog/publish</c>).</summary>
    public static readonly TaskType Publish = new(28);

    /// <summary>Converts an item's products on this machine into cloud-optimized GeoTIFF assets (<c>POST /catalog/convert</c>).</summary>
    public static readonly TaskType Convert = new(29);

    /// <summary>Runs an openEO batch job's process graph and publishes what it saves (<c>POST /openeo/1.2/jobs/{id}/results</c>).</summary>
    public static readonly TaskType OpenEoJob = new(30);

    /// <summary>The collection builder's correction of a scene to reflectance (<c>POST /api/radcor</c>, step <c>correction</c>).</summary>
    public static readonly TaskType Correction = new(31);

    /// <summary>The collection builder's publication of a scene in a collection: COGs, quicklook, indexes (step <c>publish</c>).</summary>
    public static readonly TaskType CollectionPublish = new(32);

    /// <summary>The collection builder's Sentinel-2 to Landsat-8 bandpass adjustment (step <c>harmonization</c>).</summary>
    public static readonly TaskType Harmonization = new(33);

    /// <summary>The collection builder's post-processing of a scene cut to a box (step <c>post</c>, action <c>crop</c>).</summary>
    public static readonly TaskType PostCrop = new(35);

    /// <summary>The name of any task type: a processing type's, or a catalog task's.</summary>
    public static string NameOf(int number) => number == Harvest.Number ? "HARVEST"
        : number == Add.Number ? "CATALOG_ADD"
        : number == Download.Number ? "DOWNLOAD"
        : number == Copy.Number ? "COPY"
        : number == RemoveDownloaded.Number ? "REMOVE_DOWNLOADED"
        : number == Archive.Number ? "ARCHIVE"
        : number == Cleanup.Number ? "CLEANUP"
        : number == Publish.Number ? "PUBLISH"
        : number == Convert.Number ? "CONVERT"
        : number == OpenEoJob.Number ? "OPENEO_JOB"
        : number == Correction.Number ? "CORRECTION"
        : number == CollectionPublish.Number ? "COLLECTION_PUBLISH"
        : number == Harmonization.Number ? "HARMONIZATION"
        : number == PostCrop.Number ? "POST_CROP"
        : OperationCatalog.NameOf(number);
}
