"""Independent reference for a raster's drawing statistics: every band read whole with GDAL (the rasters used are at
most 1024 pixels a side, so the service's sample is the raster itself); numpy gives each band's valid count, min, max,
mean, population standard deviation, the nearest-rank 2nd and 98th percentiles (rank round(p/100 x (n-1)) of the
sorted valid values) and np.histogram over min..max. Request: {"raster", "bins"}. Prints {"bands": [...]}."""
import json
import math
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
ds = gdal.Open(req["raster"])
bands = []
for b in range(1, ds.RasterCount + 1):
    band = ds.GetRasterBand(b)
    values = band.ReadAsArray().astype(np.float64).ravel()
    nodata = band.GetNoDataValue()
    valid = values[np.isfinite(values)]
    if nodata is not None and not math.isnan(nodata):
        valid = valid[valid != float(np.float32(nodata))]
    if valid.size == 0:
        bands.append({"band": b, "valid": 0})
        continue
    ordered = np.sort(valid)
    rank = lambda p: float(ordered[int(min(max(round(p / 100 * (ordered.size - 1)), 0), ordered.size - 1))])
    counts, _ = np.histogram(valid, bins=req["bins"], range=(float(valid.min()), float(valid.max())))
    bands.append({"band": b, "label": band.GetDescription() or f"band {b}", "valid": int(valid.size), "min": float(valid.min()),
                  "max": float(valid.max()), "mean": float(valid.mean()), "std": float(valid.std()), "p2": rank(2), "p98": rank(98),
                  "histogram": [int(c) for c in counts]})
print(json.dumps({"bands": bands}))
