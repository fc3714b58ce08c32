"""The preview sample of a COG, computed independently from its overviews with GDAL and numpy.
Request on stdin: {"path": path, "maxSide": n, "bands": k}. The sample is w x h = the raster scaled so its longest
side is at most maxSide (rounded); it is taken from the smallest overview level at least that size (the full
resolution when none is), each sample pixel the level's pixel under its centre. Prints width, height, the level used
(0 = full resolution), per band the sample as a flat list (NaN for nodata as null), and a 64-bin histogram of each
band's finite values over [lo, hi] when given ("ranges": [[lo, hi], ...])."""
import json
import math
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
ds = gdal.Open(req["path"])
W, H = ds.RasterXSize, ds.RasterYSize
scale = min(1.0, req["maxSide"] / max(W, H))
w, h = max(1, int(math.floor(W * scale + 0.5))), max(1, int(math.floor(H * scale + 0.5)))
band1 = ds.GetRasterBand(1)
level = 0
for i in range(band1.GetOverviewCount() - 1, -1, -1):
    o = band1.GetOverview(i)
    if o.XSize >= w and o.YSize >= h:
        level = i + 1
        break
out = {"width": w, "height": h, "level": level, "bands": [], "histograms": []}
for b in range(1, req["bands"] + 1):
    band = ds.GetRasterBand(b)
    nodata = band.GetNoDataValue()
    src = band if level == 0 else band.GetOverview(level - 1)
    a = src.ReadAsArray().astype(np.float64)
    if nodata is not None and not np.isnan(nodata):
        a[a == nodata] = np.nan
    lw, lh = src.XSize, src.YSize
    cols = np.minimum(lw - 1, ((np.arange(w) + 0.5) * lw / w).astype(np.int64))
    rows = np.minimum(lh - 1, ((np.arange(h) + 0.5) * lh / h).astype(np.int64))
    sample = a[rows][:, cols].astype(np.float32)
    out["bands"].append([None if np.isnan(v) else float(v) for v in sample.ravel()])
    if "ranges" in req:
        lo, hi = req["ranges"][b - 1]
        v = sample[np.isfinite(sample)].astype(np.float64)
        inside = v[(v >= lo) & (v <= hi)]
        idx = np.minimum(63, ((inside - lo) / (hi - lo) * 64).astype(np.int64)) if hi > lo else np.zeros(len(inside), np.int64)
        out["histograms"].append({"counts": np.bincount(idx, minlength=64).tolist(),
                                  "below": int((v < lo).sum()), "above": int((v > hi).sum())})
print(json.dumps(out))
