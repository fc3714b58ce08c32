"""Compares one band of two rasters with GDAL's Python bindings and numpy (NaN = nodata in both).
Request on stdin: {"a": path, "aBand": n, "b": path, "bBand": m}. Prints maxAbsDiff and maskEqual."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def read(path, index):
    dataset = gdal.Open(path)  # keep the dataset alive while its band is used
    band = dataset.GetRasterBand(index)
    data = band.ReadAsArray().astype(np.float64)
    nodata = band.GetNoDataValue()
    if nodata is not None and not np.isnan(nodata):
        data[data == nodata] = np.nan
    return data


req = json.load(sys.stdin)
a = read(req["a"], req.get("aBand", 1))
b = read(req["b"], req.get("bBand", 1))
both = ~np.isnan(a) & ~np.isnan(b)
print(json.dumps({
    "shapeEqual": a.shape == b.shape,
    "maxAbsDiff": float(np.max(np.abs(a[both] - b[both]))) if both.any() else 0.0,
    "maskEqual": bool(np.array_equal(np.isnan(a), np.isnan(b))),
    "validCount": int(both.sum()),
}))
