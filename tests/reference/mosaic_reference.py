"""Independent reference for mosaics with method first/last: gdalwarp (GDAL's Python gdal.Warp) of the same
inputs onto the grid Tessera chose (same bounds, size and CRS), with the same resampling and an exact
transformation; later inputs overwrite earlier ones, so "last" is the inputs in order and "first" the
inputs reversed. Request: {"inputs": [paths], "output": path, "method": "first|last", "resampling"}.
Prints, per band, how many pixels differ and the largest difference."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
ours = gdal.Open(req["output"])
gt = ours.GetGeoTransform()
bounds = (gt[0], gt[3] + gt[5] * ours.RasterYSize, gt[0] + gt[1] * ours.RasterXSize, gt[3])
order = req["inputs"] if req["method"] == "last" else list(reversed(req["inputs"]))
ref = gdal.Warp("", order, format="MEM", outputBounds=bounds, width=ours.RasterXSize, height=ours.RasterYSize,
                dstSRS=ours.GetProjection(), resampleAlg=req.get("resampling", "near"), errorThreshold=0)
bands = []
for b in range(1, ours.RasterCount + 1):
    x = ours.GetRasterBand(b).ReadAsArray().astype(np.float64)
    y = ref.GetRasterBand(b).ReadAsArray().astype(np.float64)
    bands.append({"differing": int(np.count_nonzero(x != y)), "maxAbsDiff": float(np.max(np.abs(x - y))),
                  "valid": int(np.count_nonzero(x != (ours.GetRasterBand(b).GetNoDataValue() or 0)))})
print(json.dumps({"bands": bands, "width": ours.RasterXSize, "height": ours.RasterYSize}))
