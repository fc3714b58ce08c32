"""Spectral consistency of a sharpened image: each band averaged back onto the multispectral grid (gdal.Warp,
average) against the original multispectral band — correlation and mean absolute difference over pixels valid
in both. Request: {"output": path, "multispectral": [paths]}."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
result = []
for b, path in enumerate(req["multispectral"], start=1):
    ms = gdal.Open(path)
    gt = ms.GetGeoTransform()
    bounds = (gt[0], gt[3] + gt[5] * ms.RasterYSize, gt[0] + gt[1] * ms.RasterXSize, gt[3])
    warped = gdal.Warp("", req["output"], format="MEM", outputBounds=bounds, width=ms.RasterXSize, height=ms.RasterYSize,
                       resampleAlg="average", outputType=gdal.GDT_Float64, dstNodata=float("nan"))
    x = warped.GetRasterBand(b).ReadAsArray()
    y = ms.GetRasterBand(1).ReadAsArray().astype(np.float64)
    nodata = ms.GetRasterBand(1).GetNoDataValue()
    valid = ~np.isnan(x) & (y != nodata if nodata is not None else True)
    valid[:2, :] = valid[-2:, :] = False
    valid[:, :2] = valid[:, -2:] = False
    result.append({"correlation": float(np.corrcoef(x[valid], y[valid])[0, 1]), "meanAbsDiff": float(np.mean(np.abs(x[valid] - y[valid])))})
print(json.dumps({"bands": result}))
