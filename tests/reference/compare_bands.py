"""Compares one band of two rasters with GDAL's Python bindings and numpy (NaN = nodata in both).
Request on stdin: {"a": path, "aBand": n, "b": path, "bBand": m, "overview": k (optional: overview level k of both)}.
Prints maxAbsDiff, maskEqual and whether the values are identical bit for bit (as float64 of the stored values)."""
import json
import sys

import numpy as np
from raster_values import read_band as read

req = json.load(sys.stdin)
a = read(req["a"], req.get("aBand", 1), req.get("overview"))
b = read(req["b"], req.get("bBand", 1), req.get("overview"))
both = ~np.isnan(a) & ~np.isnan(b)
print(json.dumps({
    "shapeEqual": a.shape == b.shape,
    "maxAbsDiff": float(np.max(np.abs(a[both] - b[both]))) if both.any() else 0.0,
    "maskEqual": bool(np.array_equal(np.isnan(a), np.isnan(b))),
    "validCount": int(both.sum()),
    "identical": bool(a.shape == b.shape and np.array_equal(a, b, equal_nan=True)),
    "nodataCount": int(np.isnan(a).sum()),
}))
