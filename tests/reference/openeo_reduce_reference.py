"""Independent reference for openEO graphs of the form load_collection -> ndvi -> reduce_dimension(t, REDUCER),
written with GDAL's Python bindings and numpy. Reads a JSON request on stdin: the result Tessera wrote, and per date
the nir and red band files (one scene a date, all on one pixel lattice), and the reducer. The result's window is found
on the inputs' lattice from the geotransforms; NDVI per date in float32 as (nir - red) / (nir + red), then the reducer
over the dates with nodata (NaN) left out. Prints JSON: maxAbsDiff over pixels valid in both, whether the nodata masks
are identical, the result's size, and (with "sameAs": another result) whether both hold exactly the same values.
Optional: "maskRedAbove" (NDVI is nodata where red exceeds it, as a mask cube would leave it), "groups" (lists of
date indices: each group's NDVI averaged first, then the reducer over the groups, as a temporal aggregation by period
does), "scale" (the expected values multiplied by it)."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()

REDUCERS = {
    "max": lambda s: np.nanmax(s, axis=0),
    "min": lambda s: np.nanmin(s, axis=0),
    "mean": lambda s: np.nanmean(s, axis=0),
    "median": lambda s: np.nanmedian(s, axis=0),
    "sum": lambda s: np.where(np.all(np.isnan(s), axis=0), np.nan, np.nansum(s, axis=0)),
}


def window(path, result_gt, width, height):
    ds = gdal.Open(path)
    gt = ds.GetGeoTransform()
    col = int(round((result_gt[0] - gt[0]) / gt[1]))
    row = int(round((result_gt[3] - gt[3]) / gt[5]))
    out = np.full((height, width), np.nan, dtype=np.float32)
    c0, r0 = max(col, 0), max(row, 0)
    c1, r1 = min(col + width, ds.RasterXSize), min(row + height, ds.RasterYSize)
    if c1 > c0 and r1 > r0:
        data = ds.GetRasterBand(1).ReadAsArray(c0, r0, c1 - c0, r1 - r0).astype(np.float32)
        out[r0 - row:r1 - row, c0 - col:c1 - col] = data
    return out


def main():
    request = json.load(sys.stdin)
    result = gdal.Open(request["result"])
    gt = result.GetGeoTransform()
    width, height = result.RasterXSize, result.RasterYSize
    got = result.GetRasterBand(1).ReadAsArray().astype(np.float32)
    series = []
    for date in request["dates"]:
        nir = window(date["nir"], gt, width, height)
        red = window(date["red"], gt, width, height)
        with np.errstate(divide="ignore", invalid="ignore"):
            ndvi = (nir - red) / (nir + red)
        ndvi[~np.isfinite(ndvi)] = np.nan
        if request.get("maskRedAbove") is not None:
            ndvi[red > request["maskRedAbove"]] = np.nan
        series.append(ndvi)
    with np.errstate(all="ignore"):
        import warnings
        warnings.simplefilter("ignore")
        if request.get("groups") is not None:
            series = [np.nanmean(np.stack([series[i] for i in group]), axis=0) for group in request["groups"]]
        expected = REDUCERS[request["reducer"]](np.stack(series)).astype(np.float32)
        expected = (expected * np.float32(request.get("scale", 1))).astype(np.float32)
    both = ~np.isnan(expected) & ~np.isnan(got)
    diff = float(np.max(np.abs(expected[both] - got[both]))) if both.any() else 0.0
    identical = None
    if request.get("sameAs"):
        other_ds = gdal.Open(request["sameAs"])  # kept while its band is read: GDAL's band needs its dataset alive
        other = other_ds.GetRasterBand(1).ReadAsArray().astype(np.float32)
        identical = bool(other.shape == got.shape and np.array_equal(other, got, equal_nan=True))
    json.dump({
        "identicalToOther": identical,
        "maxAbsDiff": diff,
        "maskEqual": bool(np.array_equal(np.isnan(expected), np.isnan(got))),
        "width": width,
        "height": height,
        "validPixels": int(both.sum()),
    }, sys.stdout)


if __name__ == "__main__":
    main()
