"""Checks converted files against their sources with GDAL's Python bindings and numpy, independently of Tessera.
Request on stdin: {"pairs": [{"output": path, "source": GDAL name of the source (a file, /vsizip/..., NETCDF:"f":v)}]}.
For each pair prints: the errors of GDAL's validate_cloud_optimized_geotiff (full check), whether every band's
values equal the source's bit for bit, whether the CRSs are the same, both geotransforms, both nodata values, the
output's band descriptions, data types, overview count, and of the first band's first overview: how many of its pixels
hold a value no pixel they cover holds (0 for nearest values), and whether it equals GDAL's average of the full
resolution computed here."""
import json
import sys

import numpy as np
from osgeo import gdal, osr
from osgeo_utils.samples import validate_cloud_optimized_geotiff as cog

gdal.UseExceptions()


def nodata(band):
    value = band.GetNoDataValue()
    return None if value is None else ("nan" if np.isnan(value) else value)


def not_in_footprint(full, overview):
    """How many pixels of the overview hold a value that no pixel of the full resolution they cover holds."""
    rows, cols = full.shape
    h, w = overview.shape
    r0 = np.floor(np.arange(h) * rows / h).astype(int)
    r1 = np.maximum(r0 + 1, np.ceil((np.arange(h) + 1) * rows / h).astype(int))
    c0 = np.floor(np.arange(w) * cols / w).astype(int)
    c1 = np.maximum(c0 + 1, np.ceil((np.arange(w) + 1) * cols / w).astype(int))
    found = np.zeros(overview.shape, dtype=bool)
    for dr in range(int((r1 - r0).max())):
        for dc in range(int((c1 - c0).max())):
            r = np.minimum(r0 + dr, r1 - 1)
            c = np.minimum(c0 + dc, c1 - 1)
            found |= full[np.ix_(r, c)] == overview
    return int((~found).sum())


def check(output, source):
    _, errors, _ = cog.validate(output, full_check=True)
    out = gdal.Open(output)
    src = gdal.Open(source)
    identical = out.RasterCount == src.RasterCount and all(
        np.array_equal(out.GetRasterBand(b).ReadAsArray(), src.GetRasterBand(b).ReadAsArray(), equal_nan=True)
        for b in range(1, out.RasterCount + 1))
    a, b = osr.SpatialReference(), osr.SpatialReference()
    a.ImportFromWkt(out.GetProjection())
    b.ImportFromWkt(src.GetProjection())
    first = out.GetRasterBand(1)
    outside, averaged = None, None
    if first.GetOverviewCount() > 0:
        full = first.ReadAsArray()
        overview = first.GetOverview(0).ReadAsArray()
        outside = not_in_footprint(full, overview)
        # GDAL's average of the full resolution alone (a copy without overviews), at the overview's size.
        mem = gdal.GetDriverByName("MEM").CreateCopy("", out, 0)
        mean = gdal.Translate("", mem, format="MEM", width=overview.shape[1], height=overview.shape[0], resampleAlg="average")
        averaged = bool(np.array_equal(mean.GetRasterBand(1).ReadAsArray(), overview, equal_nan=True))
    return {
        "errors": errors,
        "identical": bool(identical),
        "sameCrs": bool(a.IsSame(b)) and out.GetProjection() != "",
        "geoTransform": list(out.GetGeoTransform()),
        "sourceGeoTransform": list(src.GetGeoTransform()),
        "noData": nodata(first),
        "sourceNoData": nodata(src.GetRasterBand(1)),
        "descriptions": [out.GetRasterBand(b).GetDescription() for b in range(1, out.RasterCount + 1)],
        "dataTypes": [gdal.GetDataTypeName(out.GetRasterBand(b).DataType) for b in range(1, out.RasterCount + 1)],
        "sourceDataTypes": [gdal.GetDataTypeName(src.GetRasterBand(b).DataType) for b in range(1, src.RasterCount + 1)],
        "overviews": first.GetOverviewCount(),
        "overviewPixelsNotInFootprint": outside,
        "overviewIsAverage": averaged,
        "size": [out.RasterXSize, out.RasterYSize],
    }


req = json.load(sys.stdin)
print(json.dumps([check(p["output"], p["source"]) for p in req["pairs"]]))
