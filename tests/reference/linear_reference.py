"""Independent reference for a band made linear of another, with GDAL's Python bindings and numpy: the expected value is
DN x gain + bias (DN equal to "nodata" being no data), then, for each [slope, intercept] of "then", slope x value +
intercept. Request on stdin: {"input", "output", "gain", "bias", "nodata" (optional), "then" (optional list)}.
Prints maxAbsDiff over pixels valid in both, maskEqual, shapeEqual and validCount."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
source = gdal.Open(req["input"])  # kept open while its band is read
dn = source.GetRasterBand(1).ReadAsArray().astype(np.float64)
expected = dn * req["gain"] + req["bias"]
if req.get("nodata") is not None:
    expected[dn == req["nodata"]] = np.nan
for slope, intercept in req.get("then", []):
    expected = slope * expected + intercept
result = gdal.Open(req["output"])
actual = result.GetRasterBand(1).ReadAsArray().astype(np.float64)
shape = actual.shape == expected.shape
both = ~np.isnan(actual) & ~np.isnan(expected) if shape else np.zeros((1,), bool)
print(json.dumps({
    "shapeEqual": shape,
    "maxAbsDiff": float(np.max(np.abs(actual[both] - expected[both]))) if both.any() else None,
    "maskEqual": bool(shape and np.array_equal(np.isnan(actual), np.isnan(expected))),
    "validCount": int(both.sum()),
}))
