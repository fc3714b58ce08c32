"""Independent reference for mosaic harmonisation of two inputs: both warped by GDAL onto the mosaic's grid
(nearest, exact transformation), and per band the line that gives the second the first's mean and standard
deviation over the pixels where both have data: gain = std(first) / std(second), offset = mean(first) - gain mean(second). Request: {"inputs": [first, second], "output": mosaic path}.
Prints per band gain, offset and the number of overlapping pixels."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
ours = gdal.Open(req["output"])
gt = ours.GetGeoTransform()
bounds = (gt[0], gt[3] + gt[5] * ours.RasterYSize, gt[0] + gt[1] * ours.RasterXSize, gt[3])
warped = [gdal.Warp("", path, format="MEM", outputBounds=bounds, width=ours.RasterXSize, height=ours.RasterYSize,
                    dstSRS=ours.GetProjection(), resampleAlg="near", errorThreshold=0) for path in req["inputs"]]
bands = []
for b in range(1, ours.RasterCount + 1):
    values = []
    for w in warped:
        band = w.GetRasterBand(b)
        data = band.ReadAsArray().astype(np.float64)
        nodata = band.GetNoDataValue()
        if nodata is not None:
            data[data == nodata] = np.nan
        values.append(data)
    both = ~np.isnan(values[0]) & ~np.isnan(values[1])
    first, second = values[0][both], values[1][both]
    gain = first.std() / second.std()
    offset = first.mean() - gain * second.mean()
    bands.append({"gain": float(gain), "offset": float(offset), "overlap": int(both.sum())})
print(json.dumps({"bands": bands}))
