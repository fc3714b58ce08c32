"""Independent reference for a cube saved as netCDF with its time dimension: GDAL's multidimensional API reads the
variable's dimensions (names and sizes) and the time coordinate; GDAL's classic netCDF reading ("NETCDF:file:var")
gives the georeference and one band per time; each band is compared with NDVI computed by numpy in float32 from that
date's nir and red files over the result's window (found on their lattice from the geotransforms).
Request on stdin: {"result", "variable", "dates": [{"t": "YYYY-MM-DD", "nir", "red"}]}. Prints JSON."""
import datetime
import json
import sys

import numpy as np
from osgeo import gdal

from openeo_reduce_reference import window  # the same window of the inputs' lattice

gdal.UseExceptions()


req = json.load(sys.stdin)
multidim = gdal.OpenEx(req["result"], gdal.OF_MULTIDIM_RASTER)
root = multidim.GetRootGroup()
array = root.OpenMDArray(req["variable"])
dimensions = [(d.GetName(), d.GetSize()) for d in array.GetDimensions()]
times = root.OpenMDArray("t").ReadAsArray().tolist() if "t" in [n for n, _ in dimensions] else []
units = root.OpenMDArray("t").GetAttribute("units").Read() if times else None

ds = gdal.Open(f'NETCDF:"{req["result"]}":{req["variable"]}')
gt = ds.GetGeoTransform()
width, height = ds.RasterXSize, ds.RasterYSize
worst, masks_equal, valid = 0.0, True, 0
epoch = datetime.date(1970, 1, 1)
expected_days = []
for i, date in enumerate(req["dates"]):
    expected_days.append((datetime.date.fromisoformat(date["t"]) - epoch).days)
    got = ds.GetRasterBand(i + 1).ReadAsArray().astype(np.float32)
    nir = window(date["nir"], gt, width, height)
    red = window(date["red"], gt, width, height)
    with np.errstate(divide="ignore", invalid="ignore"):
        ndvi = (nir - red) / (nir + red)
    ndvi[~np.isfinite(ndvi)] = np.nan
    both = ~np.isnan(ndvi) & ~np.isnan(got)
    valid += int(both.sum())
    if both.any():
        worst = max(worst, float(np.max(np.abs(ndvi[both] - got[both]))))
    masks_equal = masks_equal and bool(np.array_equal(np.isnan(ndvi), np.isnan(got)))
print(json.dumps({"dimensions": dimensions, "times": times, "expectedTimes": expected_days, "units": units, "bands": ds.RasterCount,
                  "maxAbsDiff": worst, "maskEqual": masks_equal, "validPixels": valid, "width": width, "height": height,
                  "srs": ds.GetSpatialRef().GetAuthorityCode(None) if ds.GetSpatialRef() else None}))
