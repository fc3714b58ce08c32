"""Maximum over the dates of NDVI with rasterio + numpy, window by window (the inputs' 512 x 512 tiles, each read from
the 10 band files, computed in float32, written): what bench/openeo's graph computes. Nodata (0, or the file's own) is
NaN; a pixel is NaN where no date has both bands. Writes a tiled (512 x 512), uncompressed Float32 GeoTIFF with NaN as
nodata. Usage: openeo_rasterio.py FOLDER OUTPUT"""
import glob
import os
import sys
import warnings

import numpy as np
import rasterio

folder, output = sys.argv[1], sys.argv[2]
reds = sorted(glob.glob(os.path.join(folder, "*_red.tif")))
pairs = [(rasterio.open(r), rasterio.open(r[:-len("_red.tif")] + "_nir.tif")) for r in reds]
first = pairs[0][0]
profile = first.profile.copy()
profile.update(driver="GTiff", dtype="float32", nodata=np.nan, count=1, tiled=True, blockxsize=512, blockysize=512,
               compress=None, interleave="band", BIGTIFF="IF_SAFER")


def reflectance(dataset, window):
    values = dataset.read(1, window=window).astype(np.float32)
    if dataset.nodata is not None:
        values[values == dataset.nodata] = np.nan
    return values


with rasterio.open(output, "w", **profile) as out:
    for _, window in first.block_windows(1):
        stack = np.empty((len(pairs), window.height, window.width), np.float32)
        for i, (red, nir) in enumerate(pairs):
            r, n = reflectance(red, window), reflectance(nir, window)
            stack[i] = (n - r) / (n + r)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN pixels stay NaN
            out.write(np.nanmax(stack, axis=0), 1, window=window)
