using System.Runtime.InteropServices;

namespace Tessera.Raster.Gdal;

// The GDAL C API as used by Tessera (gdal.h, cpl_error.h, ogr_srs_api.h, gdal_utils.h, GDAL >= 3.4).
// Handles are raw pointers here; SafeHandles own them one level up.
// GDALClose and GDALFlushCache return void before GDAL 3.7 and CPLErr after; they are declared void and
// checked through the thread's error state, which works with both.
internal static unsafe partial class GdalNative
{
    private const string Lib = GdalLibraryResolver.LibraryName;

    // --- library ---
    [LibraryImport(Lib)] public static partial void GDALAllRegister();
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALVersionInfo(string request);
    [LibraryImport(Lib)] public static partial void GDALSetCacheMax64(long bytes);
    [LibraryImport(Lib)] public static partial long GDALGetCacheMax64();
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr CPLGetConfigOption(string key, string? defaultValue);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial void CPLSetConfigOption(string key, string? value);
    [LibraryImport(Lib)] public static partial IntPtr CPLSetErrorHandler(delegate* unmanaged[Cdecl]<int, int, byte*, void> handler);
    [LibraryImport(Lib)] public static partial void CPLErrorReset();
    [LibraryImport(Lib)] public static partial int CPLGetLastErrorType();
    [LibraryImport(Lib)] public static partial IntPtr CPLGetLastErrorMsg();
    [LibraryImport(Lib)] public static partial void VSIFree(IntPtr p);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int VSIUnlink(string path);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr VSIGetMemFileBuffer(string path, ulong* length, int unlinkAndSeize);

    // --- drivers and datasets ---
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALGetDriverByName(string name);
    [LibraryImport(Lib)] public static partial IntPtr GDALGetDatasetDriver(IntPtr ds);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALOpenEx(string path, uint flags, IntPtr allowedDrivers, IntPtr openOptions, IntPtr siblingFiles);
    [LibraryImport(Lib)] public static partial void GDALClose(IntPtr ds);
    [LibraryImport(Lib)] public static partial void GDALFlushCache(IntPtr ds);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALCreate(IntPtr driver, string path, int xSize, int ySize, int bands, int dataType, IntPtr options);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALCreateCopy(IntPtr driver, string path, IntPtr source, int strict, IntPtr options, delegate* unmanaged[Cdecl]<double, byte*, IntPtr, int> progress, IntPtr progressArg);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int GDALDeleteDataset(IntPtr driver, string path);
    [LibraryImport(Lib)] public static partial int GDALGetRasterXSize(IntPtr ds);
    [LibraryImport(Lib)] public static partial int GDALGetRasterYSize(IntPtr ds);
    [LibraryImport(Lib)] public static partial int GDALGetRasterCount(IntPtr ds);
    [LibraryImport(Lib)] public static partial int GDALGetGeoTransform(IntPtr ds, double* transform);
    [LibraryImport(Lib)] public static partial int GDALSetGeoTransform(IntPtr ds, double* transform);
    [LibraryImport(Lib)] public static partial IntPtr GDALGetProjectionRef(IntPtr ds);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int GDALSetProjection(IntPtr ds, string wkt);
    [LibraryImport(Lib)] public static partial IntPtr GDALGetRasterBand(IntPtr ds, int band);
    [LibraryImport(Lib)] public static partial IntPtr GDALGetDescription(IntPtr majorObject);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial void GDALSetDescription(IntPtr majorObject, string description);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALGetMetadataItem(IntPtr majorObject, string name, string? domain);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALGetMetadata(IntPtr majorObject, string? domain);

    // --- bands ---
    [LibraryImport(Lib)] public static partial int GDALGetRasterDataType(IntPtr band);
    [LibraryImport(Lib)] public static partial double GDALGetRasterNoDataValue(IntPtr band, int* success);
    [LibraryImport(Lib)] public static partial int GDALSetRasterNoDataValue(IntPtr band, double value);
    [LibraryImport(Lib)] public static partial double GDALGetRasterScale(IntPtr band, int* success);
    [LibraryImport(Lib)] public static partial double GDALGetRasterOffset(IntPtr band, int* success);
    [LibraryImport(Lib)] public static partial int GDALSetRasterScale(IntPtr band, double value);
    [LibraryImport(Lib)] public static partial int GDALSetRasterOffset(IntPtr band, double value);
    [LibraryImport(Lib)] public static partial int GDALGetOverviewCount(IntPtr band);
    [LibraryImport(Lib)] public static partial IntPtr GDALGetOverview(IntPtr band, int index);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int GDALSetMetadataItem(IntPtr majorObject, string name, string value, string? domain);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int GDALBuildOverviews(IntPtr ds, string resampling, int overviewCount, int* overviewFactors, int bandCount, int* bands, IntPtr progress, IntPtr progressArg);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int GDALRegenerateOverviews(IntPtr sourceBand, int overviewCount, IntPtr* overviewBands, string resampling, IntPtr progress, IntPtr progressArg);
    [LibraryImport(Lib)] public static partial int GDALGetRasterBandXSize(IntPtr band);
    [LibraryImport(Lib)] public static partial int GDALGetRasterBandYSize(IntPtr band);
    [LibraryImport(Lib)] public static partial int GDALGetMaskFlags(IntPtr band);
    [LibraryImport(Lib)] public static partial IntPtr GDALGetMaskBand(IntPtr band);
    [LibraryImport(Lib)] public static partial void GDALGetBlockSize(IntPtr band, int* xSize, int* ySize);
    [LibraryImport(Lib)] public static partial int GDALWriteBlock(IntPtr band, int xBlock, int yBlock, void* data);
    [LibraryImport(Lib)] public static partial int GDALRasterIO(IntPtr band, int rwFlag, int xOff, int yOff, int xSize, int ySize, void* buffer, int bufXSize, int bufYSize, int bufType, int pixelSpace, int lineSpace);
    [LibraryImport(Lib)] public static partial int GDALGetDataTypeSizeBytes(int dataType);

    // --- utilities (gdal_utils.h) ---
    [LibraryImport(Lib)] public static partial IntPtr GDALWarpAppOptionsNew(IntPtr argv, IntPtr forBinary);
    [LibraryImport(Lib)] public static partial void GDALWarpAppOptionsFree(IntPtr options);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALWarp(string? destination, IntPtr destinationDataset, int sourceCount, IntPtr* sources, IntPtr options, int* usageError);

    // --- spatial references (ogr_srs_api.h) ---
    [LibraryImport(Lib)] public static partial void OGR_L_ResetReading(IntPtr layer);
    [LibraryImport(Lib)] public static partial IntPtr OGR_L_GetNextFeature(IntPtr layer);
    [LibraryImport(Lib)] public static partial void OGR_F_Destroy(IntPtr feature);
    [LibraryImport(Lib)] public static partial long OGR_F_GetFID(IntPtr feature);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int OGR_F_GetFieldIndex(IntPtr feature, string name);
    [LibraryImport(Lib)] public static partial int OGR_F_IsFieldSetAndNotNull(IntPtr feature, int index);
    [LibraryImport(Lib)] public static partial IntPtr OGR_F_GetFieldAsString(IntPtr feature, int index);
    [LibraryImport(Lib)] public static partial int OGR_F_GetFieldCount(IntPtr feature);
    [LibraryImport(Lib)] public static partial IntPtr OGR_F_GetFieldDefnRef(IntPtr feature, int index);
    [LibraryImport(Lib)] public static partial long OGR_F_GetFieldAsInteger64(IntPtr feature, int index);
    [LibraryImport(Lib)] public static partial double OGR_F_GetFieldAsDouble(IntPtr feature, int index);
    [LibraryImport(Lib)] public static partial IntPtr OGR_Fld_GetNameRef(IntPtr field);
    [LibraryImport(Lib)] public static partial int OGR_Fld_GetType(IntPtr field);
    [LibraryImport(Lib)] public static partial int OGR_F_GetFieldAsDateTimeEx(IntPtr feature, int index, int* year, int* month, int* day, int* hour, int* minute, float* second, int* tzFlag);
    [LibraryImport(Lib)] public static partial IntPtr OGR_F_GetGeometryRef(IntPtr feature);
    [LibraryImport(Lib)] public static partial void OGR_G_GetEnvelope(IntPtr geometry, double* envelope);
    [LibraryImport(Lib)] public static partial IntPtr OGR_G_ExportToJson(IntPtr geometry);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr OGR_G_CreateGeometryFromJson(string json);
    [LibraryImport(Lib)] public static partial void OGR_G_DestroyGeometry(IntPtr geometry);
    [LibraryImport(Lib)] public static partial int OGR_G_CreateFromWkt(IntPtr* text, IntPtr srs, IntPtr* geometry);
    [LibraryImport(Lib)] public static partial int OGR_G_IsEmpty(IntPtr geometry);
    [LibraryImport(Lib)] public static partial int OGR_G_Intersects(IntPtr a, IntPtr b);
    [LibraryImport(Lib)] public static partial IntPtr GDALVectorTranslateOptionsNew(IntPtr argv, IntPtr forBinary);
    [LibraryImport(Lib)] public static partial void GDALVectorTranslateOptionsFree(IntPtr options);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALVectorTranslate(string? destination, IntPtr destinationDataset, int sourceCount, IntPtr* sources, IntPtr options, int* usageError);
    [LibraryImport(Lib)] public static partial IntPtr GDALBuildVRTOptionsNew(IntPtr argv, IntPtr forBinary);
    [LibraryImport(Lib)] public static partial void GDALBuildVRTOptionsFree(IntPtr options);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALBuildVRT(string destination, int sourceCount, IntPtr* sources, IntPtr sourceNames, IntPtr options, int* usageError);
    [LibraryImport(Lib)] public static partial IntPtr GDALRasterizeOptionsNew(IntPtr argv, IntPtr forBinary);
    [LibraryImport(Lib)] public static partial void GDALRasterizeOptionsFree(IntPtr options);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr GDALRasterize(string? destination, IntPtr destinationDataset, IntPtr sourceDataset, IntPtr options, int* usageError);
    [LibraryImport(Lib)] public static partial int GDALDatasetGetLayerCount(IntPtr ds);
    [LibraryImport(Lib)] public static partial IntPtr GDALDatasetGetLayer(IntPtr ds, int index);
    [LibraryImport(Lib)] public static partial int OGR_L_GetExtent(IntPtr layer, double* envelope, int force);
    [LibraryImport(Lib)] public static partial IntPtr OGR_L_GetSpatialRef(IntPtr layer);
    [LibraryImport(Lib)] public static partial long OGR_L_GetFeatureCount(IntPtr layer, int force);
    [LibraryImport(Lib)] public static partial int OGR_L_GetGeomType(IntPtr layer);
    [LibraryImport(Lib)] public static partial IntPtr OGR_L_GetLayerDefn(IntPtr layer);
    [LibraryImport(Lib)] public static partial int OGR_FD_GetFieldCount(IntPtr definition);
    [LibraryImport(Lib)] public static partial IntPtr OGR_FD_GetFieldDefn(IntPtr definition, int index);
    [LibraryImport(Lib)] public static partial int OGR_GT_Flatten(int type);
    [LibraryImport(Lib)] public static partial int OGR_G_GetGeometryType(IntPtr geometry);
    [LibraryImport(Lib)] public static partial IntPtr OGRGeometryTypeToName(int type);
    [LibraryImport(Lib)] public static partial IntPtr OSRClone(IntPtr srs);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr OSRNewSpatialReference(string? wkt);
    [LibraryImport(Lib)] public static partial void OSRRelease(IntPtr srs);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int OSRSetFromUserInput(IntPtr srs, string definition);
    [LibraryImport(Lib)] public static partial int OSRExportToWkt(IntPtr srs, IntPtr* wkt);
    [LibraryImport(Lib)] public static partial int OSRAutoIdentifyEPSG(IntPtr srs);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr OSRGetAuthorityName(IntPtr srs, string? targetKey);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial IntPtr OSRGetAuthorityCode(IntPtr srs, string? targetKey);
    [LibraryImport(Lib)] public static partial int OSRIsSame(IntPtr a, IntPtr b);
    [LibraryImport(Lib)] public static partial int OSRIsGeographic(IntPtr srs);
    [LibraryImport(Lib)] public static partial void OSRSetAxisMappingStrategy(IntPtr srs, int strategy);
    [LibraryImport(Lib)] public static partial IntPtr OCTNewCoordinateTransformation(IntPtr source, IntPtr target);
    [LibraryImport(Lib)] public static partial void OCTDestroyCoordinateTransformation(IntPtr transform);
    [LibraryImport(Lib)] public static partial int OCTTransform(IntPtr transform, int count, double* x, double* y, double* z);
}
