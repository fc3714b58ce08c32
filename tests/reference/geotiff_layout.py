"""How GDAL sees a GeoTIFF's layout, as an independent reading: compression, photometric interpretation, data type,
block size, band count, whether it is tiled, and (with "scaledFrom": a Float32 file and "scale": [inMin, inMax,
outMin, outMax]) the largest and mean absolute differences between this file's values and the other's linearly
scaled, over pixels valid in both. Reads a JSON request on stdin; prints JSON."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def main():
    request = json.load(sys.stdin)
    ds = gdal.Open(request["path"])
    band = ds.GetRasterBand(1)
    structure = ds.GetMetadata("IMAGE_STRUCTURE")
    block = band.GetBlockSize()
    answer = {
        "compression": structure.get("COMPRESSION"),
        "photometric": structure.get("SOURCE_COLOR_SPACE") or structure.get("PHOTOMETRIC"),
        "type": gdal.GetDataTypeName(band.DataType),
        "bands": ds.RasterCount,
        "block": block,
        "tiled": block[0] != ds.RasterXSize,  # strips are as wide as the raster; tiles (512 here) are not
        "width": ds.RasterXSize,
    }
    if request.get("scaledFrom"):
        other_ds = gdal.Open(request["scaledFrom"])
        source = other_ds.GetRasterBand(1).ReadAsArray().astype(np.float64)
        in_min, in_max, out_min, out_max = request["scale"]
        expected = (source - in_min) / (in_max - in_min) * (out_max - out_min) + out_min
        got = band.ReadAsArray().astype(np.float64)
        valid = ~np.isnan(expected)
        diff = np.abs(expected[valid] - got[valid])
        answer["maxAbsDiff"] = float(diff.max())
        answer["meanAbsDiff"] = float(diff.mean())
    json.dump(answer, sys.stdout)


main()
