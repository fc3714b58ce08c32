"""Independent reference for Tessera's XYZ tiles: warps the source to the Web Mercator tile with GDAL's own
gdal.Warp (same bounds, size and resampling) and compares it with the tile Tessera wrote as a NumPy .npy
file (bands, rows, columns; NaN = no data). Request on stdin:
{"source": path, "tile": npy path, "z": n, "x": n, "y": n, "size": 256, "resampling": "near"}.
Prints maxAbsDiff over pixels valid in both, whether the no-data masks are equal, the valid count, and the
reference's value at a few named pixels."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()

HALF = 20037508.342789244

req = json.load(sys.stdin)
z, x, y, size = req["z"], req["x"], req["y"], req.get("size", 256)
tile = 2 * HALF / (1 << z)
min_x = -HALF + x * tile
max_y = HALF - y * tile
warped = gdal.Warp("", req["source"], format="MEM", dstSRS="EPSG:3857",
                   outputBounds=(min_x, max_y - tile, min_x + tile, max_y), width=size, height=size,
                   resampleAlg=req.get("resampling", "near"), outputType=gdal.GDT_Float32, dstNodata=float("nan"))
expected = np.stack([warped.GetRasterBand(b + 1).ReadAsArray() for b in range(warped.RasterCount)]).astype(np.float32)
actual = np.load(req["tile"])
both = ~np.isnan(expected) & ~np.isnan(actual)
print(json.dumps({
    "shapeEqual": list(actual.shape) == list(expected.shape),
    "shape": list(actual.shape),
    "dtype": str(actual.dtype),
    "maxAbsDiff": float(np.max(np.abs(expected[both] - actual[both]))) if both.any() else 0.0,
    "maskEqual": bool(np.array_equal(np.isnan(expected), np.isnan(actual))),
    "validCount": int(both.sum()),
    "center": None if np.isnan(expected[0, size // 2, size // 2]) else float(expected[0, size // 2, size // 2]),
}))
