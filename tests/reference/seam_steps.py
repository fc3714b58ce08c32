"""Measures seams in mosaics of two inputs. The inputs are warped by GDAL onto the mosaics' grid. Seam "a" is
where the first input ends inside the second (a valid pixel of the first whose right or lower neighbour is
valid only in the second): where method first switches inputs; seam "b" is where the second ends inside the
first: where method last switches. For each mosaic, prints the mean absolute step across each seam and, for
scale, the mean step between neighbours inside the overlap. Request: {"inputs": [a, b], "mosaics": {"name": path}}."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
names = list(req["mosaics"])
first = gdal.Open(req["mosaics"][names[0]])
gt = first.GetGeoTransform()
bounds = (gt[0], gt[3] + gt[5] * first.RasterYSize, gt[0] + gt[1] * first.RasterXSize, gt[3])
valid = []
for path in req["inputs"]:
    warped = gdal.Warp("", path, format="MEM", outputBounds=bounds, width=first.RasterXSize, height=first.RasterYSize,
                       dstSRS=first.GetProjection(), errorThreshold=0)
    band = warped.GetRasterBand(1)
    data = band.ReadAsArray()
    nodata = band.GetNoDataValue()
    valid.append(~np.isnan(data) if nodata is None or np.isnan(nodata) else data != nodata)
a, b = valid
both = a & b


def seam(p, q):
    """Pixels where p ends inside q, with the neighbour across: (right neighbours, lower neighbours)."""
    x = p[:, :-1] & ~p[:, 1:] & q[:, 1:] & q[:, :-1]
    x_rev = p[:, 1:] & ~p[:, :-1] & q[:, :-1] & q[:, 1:]
    y = p[:-1, :] & ~p[1:, :] & q[1:, :] & q[:-1, :]
    y_rev = p[1:, :] & ~p[:-1, :] & q[:-1, :] & q[1:, :]
    return x | x_rev, y | y_rev


seams = {"a": seam(a, b), "b": seam(b, a)}
result = {"overlap": int(both.sum()), "seamPixels": {k: int(v[0].sum() + v[1].sum()) for k, v in seams.items()}, "steps": {}}
for name in names:
    ds = gdal.Open(req["mosaics"][name])
    m = ds.GetRasterBand(1).ReadAsArray().astype(np.float64)
    entry = {}
    for key, (sx, sy) in seams.items():
        steps = np.concatenate([np.abs(m[:, 1:] - m[:, :-1])[sx], np.abs(m[1:, :] - m[:-1, :])[sy]])
        entry[key] = float(steps.mean())
    inside = both[:, :-1] & both[:, 1:]
    entry["inside"] = float(np.abs(m[:, 1:] - m[:, :-1])[inside].mean())
    result["steps"][name] = entry
print(json.dumps(result))
