"""Statistics of one band over its valid pixels (not nodata, not NaN), with numpy in double precision."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
ds = gdal.Open(req["path"])
band = ds.GetRasterBand(req.get("band", 1))
metadata = dict(band.GetMetadata() or {})
data = band.ReadAsArray().astype(np.float64)
valid = ~np.isnan(data)
nodata = band.GetNoDataValue()
if nodata is not None:
    valid &= data != nodata
v = data[valid]
# What the file itself says (STATISTICS_* as GDAL stores them), read before anything computes them.
stored = {k[len("STATISTICS_"):].lower(): float(val) for k, val in metadata.items() if k.startswith("STATISTICS_")}
print(json.dumps({"count": int(data.size), "valid": int(v.size), "min": float(v.min()), "max": float(v.max()),
                  "mean": float(v.mean()), "std": float(v.std()), "stored": stored}))
