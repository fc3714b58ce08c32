"""Independent checks of a cloud removal. Request: {"cloudy": [path, band], "clear": [path, band],
"mask": [path, band], "output": path, "dilate": n, "feather": n}. The mask (non-zero = cloud) is grown by
`dilate` pixels (chessboard); pixels farther than dilate + feather (chessboard) from any cloud must equal the
cloudy image; cloud pixels must be one linear function of the clear image (fitted here by least squares over
them). Prints the counts, the largest change outside the reach of the clouds, the fit over the cloud pixels
and its largest residual."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)


def band(spec):
    ds = gdal.Open(spec[0])
    return ds.GetRasterBand(spec[1]).ReadAsArray().astype(np.float64)


cloudy = band(req["cloudy"])
clear = band(req["clear"])
mask = band(req["mask"]) != 0
out_ds = gdal.Open(req["output"])
out = out_ds.GetRasterBand(1).ReadAsArray().astype(np.float64)


def grow(m, n):
    g = m.copy()
    for _ in range(n):
        p = np.pad(g, 1)
        g = g | p[:-2, 1:-1] | p[2:, 1:-1] | p[1:-1, :-2] | p[1:-1, 2:] | p[:-2, :-2] | p[:-2, 2:] | p[2:, :-2] | p[2:, 2:]
    return g


cloud = grow(mask, req["dilate"])
reach = grow(cloud, req["feather"] + 1)
far = ~reach
a, b = np.polyfit(clear[cloud], out[cloud], 1)
print(json.dumps({
    "pixels": int(cloud.size), "cloud": int(cloud.sum()), "far": int(far.sum()),
    "maxChangeFar": float(np.max(np.abs(out[far] - cloudy[far]))) if far.any() else 0.0,
    "gain": float(a), "offset": float(b),
    "maxResidualCloud": float(np.max(np.abs(out[cloud] - (a * clear[cloud] + b)))),
}))
