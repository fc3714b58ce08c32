"""Independent reference for the spatial correlation of a pan-sharpened product with its pan (Zhou et al. 1998):
per band, Pearson's correlation of the 3 x 3 Laplacians (8 x centre - the 8 neighbours) of band and pan, over
pixels whose whole neighbourhood has data in both. Request: {"fused": path, "pan": path}. Prints "bands": [r...]."""
import json
import sys

import numpy as np
from osgeo import gdal
from raster_values import read_band as read

gdal.UseExceptions()


def laplacian(a):
    h, w = a.shape
    centre = a[1:h - 1, 1:w - 1]
    neighbours = sum(a[1 + dy:h - 1 + dy, 1 + dx:w - 1 + dx] for dy in (-1, 0, 1) for dx in (-1, 0, 1)) - centre
    return 8 * centre - neighbours


req = json.load(sys.stdin)
pan = laplacian(read(req["pan"], 1))
dataset = gdal.Open(req["fused"])
bands = []
for k in range(1, dataset.RasterCount + 1):
    f = laplacian(read(req["fused"], k))
    ok = ~np.isnan(f) & ~np.isnan(pan)
    bands.append(float(np.corrcoef(pan[ok], f[ok])[0, 1]))
print(json.dumps({"bands": bands}))
