"""Independent reference for a mosaic's own grid and values: gdalwarp (GDAL's Python gdal.Warp) of the same
inputs onto the grid gdalwarp gives them when they share a CRS: the union of their extents, the finest x and the
finest y resolutions taken separately, from the union's upper-left corner, sizes rounded to the nearest pixel.
GDAL 3.7 made that gdalwarp's default without reprojection (GDAL pull request 7073); GDAL 3.6 still makes the
pixels square by default (the test's 30 x 29.97 m tiles come out at 29.973 m), so the extent and resolutions are
read here from the inputs' headers and passed to gdal.Warp, which derives the size and origin from them as it does
by default since 3.7. Later inputs overwrite earlier ones, so "last" is the inputs in order and "first" the inputs
reversed; exact transformation, nearest neighbour. Request: {"inputs": [paths], "output": path, "method":
"first|last"}. Prints gdalwarp's grid, and per band how many pixels differ and whether the no-data masks agree."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
min_x = min_y = max_x = max_y = res_x = res_y = None
for path in req["inputs"]:
    ds = gdal.Open(path)
    gt = ds.GetGeoTransform()
    left, top = gt[0], gt[3]
    right, bottom = left + gt[1] * ds.RasterXSize, top + gt[5] * ds.RasterYSize
    min_x = left if min_x is None else min(min_x, left)
    max_x = right if max_x is None else max(max_x, right)
    max_y = top if max_y is None else max(max_y, top)
    min_y = bottom if min_y is None else min(min_y, bottom)
    res_x = abs(gt[1]) if res_x is None else min(res_x, abs(gt[1]))
    res_y = abs(gt[5]) if res_y is None else min(res_y, abs(gt[5]))
order = req["inputs"] if req["method"] == "last" else list(reversed(req["inputs"]))
ref = gdal.Warp("", order, format="MEM", outputBounds=(min_x, min_y, max_x, max_y), xRes=res_x, yRes=res_y,
                resampleAlg="near", errorThreshold=0)
ours = gdal.Open(req["output"])
bands = []
if (ours.RasterXSize, ours.RasterYSize) == (ref.RasterXSize, ref.RasterYSize):
    for b in range(1, ours.RasterCount + 1):
        x_band, y_band = ours.GetRasterBand(b), ref.GetRasterBand(b)
        x = x_band.ReadAsArray().astype(np.float64)
        y = y_band.ReadAsArray().astype(np.float64)
        x_empty, y_empty = x == x_band.GetNoDataValue(), y == y_band.GetNoDataValue()
        bands.append({"differing": int(np.count_nonzero(x != y)),
                      "maskDiffering": int(np.count_nonzero(x_empty != y_empty)),
                      "valid": int(np.count_nonzero(~y_empty)), "empty": int(np.count_nonzero(y_empty)),
                      "noData": y_band.GetNoDataValue()})
print(json.dumps({"width": ref.RasterXSize, "height": ref.RasterYSize, "geoTransform": list(ref.GetGeoTransform()),
                  "bands": bands}))
