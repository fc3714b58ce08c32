"""Independent reference for bringing one band onto another grid: gdal.Warp (gdalwarp) of the source band onto
the grid of `output` (same bounds, size and CRS), Float32, NaN for no data, exact transformation, with the given
resampling; then compares with `output` band 1 (NaN = no data in both).
Request on stdin: {"source": path, "band": n, "output": path, "resampling": "near|bilinear", "srcNodata": v|null}.
Prints maxAbsDiff over pixels with data in both, whether the no-data masks are equal, and the counts."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
ours = gdal.Open(req["output"])
gt = ours.GetGeoTransform()
bounds = (gt[0], gt[3] + gt[5] * ours.RasterYSize, gt[0] + gt[1] * ours.RasterXSize, gt[3])
source = gdal.Translate("", req["source"], format="VRT", bandList=[req.get("band", 1)])
ref = gdal.Warp("", source, format="MEM", outputBounds=bounds, width=ours.RasterXSize, height=ours.RasterYSize,
                dstSRS=ours.GetProjection(), resampleAlg=req["resampling"], errorThreshold=0, outputType=gdal.GDT_Float32,
                srcNodata=req.get("srcNodata"), dstNodata=float("nan"))
x = ours.GetRasterBand(1).ReadAsArray().astype(np.float64)
y = ref.GetRasterBand(1).ReadAsArray().astype(np.float64)
both = ~np.isnan(x) & ~np.isnan(y)
print(json.dumps({
    "maxAbsDiff": float(np.max(np.abs(x[both] - y[both]))) if both.any() else 0.0,
    "maskEqual": bool(np.array_equal(np.isnan(x), np.isnan(y))),
    "maskDiffering": int(np.count_nonzero(np.isnan(x) != np.isnan(y))),
    "valid": int(both.sum()),
    "maxValue": float(np.max(np.abs(y[both]))) if both.any() else 0.0,
}))
