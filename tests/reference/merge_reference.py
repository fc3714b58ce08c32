"""Independent reference for band merge: GDAL's own gdalbuildvrt -separate (finest resolution, the same
resampling) over the same inputs, compared band by band with the raster Tessera wrote. Request on stdin:
{"inputs": [paths], "output": path, "resampling": "near|bilinear|cubic|average"}. Prints, per band, the
number of differing pixels and the largest difference, and whether grids and types are the same."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
reference = gdal.BuildVRT("", req["inputs"], separate=True, resolution="highest", resampleAlg=req["resampling"])
actual = gdal.Open(req["output"])
bands = []
for i in range(1, reference.RasterCount + 1):
    a = actual.GetRasterBand(i)
    r = reference.GetRasterBand(i)
    av = a.ReadAsArray().astype(np.float64)
    rv = r.ReadAsArray().astype(np.float64)
    bands.append({
        "differing": int(np.count_nonzero(av != rv)),
        "maxAbsDiff": float(np.max(np.abs(av - rv))),
        "sameType": a.DataType == r.DataType,
        "noData": a.GetNoDataValue(),
    })
print(json.dumps({
    "bandCount": actual.RasterCount,
    "referenceBandCount": reference.RasterCount,
    "sameGrid": actual.RasterXSize == reference.RasterXSize and actual.RasterYSize == reference.RasterYSize
                and np.allclose(actual.GetGeoTransform(), reference.GetGeoTransform(), rtol=0, atol=1e-6),
    "bands": bands,
}))
