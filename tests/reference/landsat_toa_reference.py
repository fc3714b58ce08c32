"""Independent reference for Landsat Level-1 reflectance, with GDAL's Python bindings and numpy, from the USGS formulas.
Request on stdin: {"mtl": MTL file, "dn": the band's digital numbers, "band": its number n, "output": the raster to check,
"method": "toa" (default) or "dos"}. TOA reflectance = (REFLECTANCE_MULT_BAND_n x DN + REFLECTANCE_ADD_BAND_n) /
sin(SUN_ELEVATION), DN 0 being no data; "dos" subtracts DOS1's haze: the TOA reflectance of the dark object (the lowest
DN held by at least 0.01 % of the valid pixels, one at least) less 1 %, clamped at 0. Prints maxAbsDiff over pixels valid
in both, maskEqual, validCount and the reference's mean."""
import json
import math
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
mtl = {}
with open(req["mtl"]) as f:
    for line in f:
        if "=" in line:
            key, value = line.split("=", 1)
            mtl.setdefault(key.strip(), value.strip().strip('"'))
n = req["band"]
mult = float(mtl[f"REFLECTANCE_MULT_BAND_{n}"])
add = float(mtl[f"REFLECTANCE_ADD_BAND_{n}"])
sine = math.sin(math.radians(float(mtl["SUN_ELEVATION"])))
ds = gdal.Open(req["dn"])
dn = ds.GetRasterBand(1).ReadAsArray().astype(np.float64)
valid = dn != 0
expected = np.where(valid, (mult * dn + add) / sine, np.nan)
if req.get("method", "toa") == "dos":
    values, counts = np.unique(dn[valid], return_counts=True)
    needed = max(1, math.ceil(0.0001 * valid.sum()))
    dark = values[np.argmax(counts >= needed)]
    haze = (mult * dark + add) / sine - 0.01
    expected = np.where(valid, np.maximum(expected - haze, 0), np.nan)
out = gdal.Open(req["output"])
actual = out.GetRasterBand(1).ReadAsArray().astype(np.float64)
both = ~np.isnan(actual) & ~np.isnan(expected)
print(json.dumps({
    "maxAbsDiff": float(np.max(np.abs(actual[both] - expected[both]))) if both.any() else None,
    "maskEqual": bool(np.array_equal(np.isnan(actual), np.isnan(expected))),
    "validCount": int(both.sum()),
    "mean": float(np.nanmean(expected)),
    "shapeEqual": actual.shape == expected.shape,
}))
