"""Independent reference for composites: per pixel, numpy's median (or the first clear value, for "clearest"
with 0/1 masks) of the bands of `values` whose band of `masks` is 0. Request: {"values": path, "masks": path,
"bands": [n...], "output": path, "method": "median|clearest"}. Prints the largest difference and whether the
no-data pixels (no clear observation) are the same."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
values_ds = gdal.Open(req["values"])
masks_ds = gdal.Open(req["masks"])
values = np.stack([values_ds.GetRasterBand(b).ReadAsArray().astype(np.float64) for b in req["bands"]])
clear = np.stack([masks_ds.GetRasterBand(b).ReadAsArray() == 0 for b in req["bands"]]) & ~np.isnan(values)
if req["method"] == "median":
    expected = np.nanmedian(np.where(clear, values, np.nan), axis=0)
else:
    first = np.argmax(clear, axis=0)
    expected = np.take_along_axis(values, first[None], axis=0)[0]
    expected[~clear.any(axis=0)] = np.nan
out_ds = gdal.Open(req["output"])
actual = out_ds.GetRasterBand(1).ReadAsArray().astype(np.float64)
both = ~np.isnan(expected) & ~np.isnan(actual)
print(json.dumps({"maxAbsDiff": float(np.max(np.abs(expected[both] - actual[both]))) if both.any() else 0.0,
                  "maskEqual": bool(np.array_equal(np.isnan(expected), np.isnan(actual))),
                  "valid": int(both.sum()), "noClear": int((~clear.any(axis=0)).sum())}))
