"""The rasterio + numpy anchor: NDVI or EVI over 512 x 512 windows, Float32 tiled output, nodata as NaN.
Usage: rasterio_index.py ndvi|evi OUT NIR RED [BLUE]"""
import sys

import numpy as np
import rasterio

index, out, nir_path, red_path = sys.argv[1:5]
blue_path = sys.argv[5] if len(sys.argv) > 5 else None
with rasterio.open(nir_path) as nir, rasterio.open(red_path) as red:
    blue = rasterio.open(blue_path) if blue_path else None
    profile = nir.profile.copy()
    profile.update(dtype="float32", nodata=float("nan"), tiled=True, blockxsize=512, blockysize=512, compress=None)
    with rasterio.open(out, "w", **profile) as dst:
        for _, window in dst.block_windows(1):
            n = nir.read(1, window=window).astype(np.float32)
            r = red.read(1, window=window).astype(np.float32)
            invalid = (n == 0) | (r == 0)
            with np.errstate(all="ignore"):
                if index == "ndvi":
                    v = (n - r) / (n + r)
                else:
                    b = blue.read(1, window=window).astype(np.float32)
                    invalid |= b == 0
                    n, r, b = n * 0.0001, r * 0.0001, b * 0.0001
                    v = 2.5 * (n - r) / (n + 6 * r - 7.5 * b + 1)
            v[invalid | ~np.isfinite(v)] = np.nan
            dst.write(v, 1, window=window)
    if blue:
        blue.close()
