"""Reads a GeoTIFF with rasterio and with GDAL, independently, and says whether both see the same file.
Request on stdin: {"path": path}. For every band and every overview level, the values rasterio reads must equal
GDAL's bit for bit (NaN equal to NaN). Prints what rasterio reports: crs (WKT), transform, nodata, descriptions,
scales, offsets, dtype, count, overview factors, and "identical" (rasterio's values equal GDAL's everywhere)."""
import json
import sys

import numpy as np
import rasterio
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
path = req["path"]
ds = gdal.Open(path)
identical = True
with rasterio.open(path) as src:
    levels = src.overviews(1)
    report = {
        "crs": src.crs.to_wkt() if src.crs else None,
        "epsg": src.crs.to_epsg() if src.crs else None,
        "transform": list(src.transform)[:6],
        "nodata": None if src.nodata is None else ("nan" if np.isnan(src.nodata) else src.nodata),
        "descriptions": list(src.descriptions),
        "scales": list(src.scales),
        "offsets": list(src.offsets),
        "dtype": src.dtypes[0],
        "count": src.count,
        "width": src.width,
        "height": src.height,
        "overviews": levels,
    }
    for b in range(1, src.count + 1):
        same = np.array_equal(src.read(b), ds.GetRasterBand(b).ReadAsArray(), equal_nan=True)
        identical &= bool(same)
for level in range(len(levels)):
    with rasterio.open(path, overview_level=level) as ovr:
        for b in range(1, ovr.count + 1):
            mine = ovr.read(b)
            theirs = ds.GetRasterBand(b).GetOverview(level).ReadAsArray()
            identical &= bool(mine.shape == theirs.shape and np.array_equal(mine, theirs, equal_nan=True))
report["identical"] = identical
print(json.dumps(report))
