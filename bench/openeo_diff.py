"""Largest absolute difference between two single-band rasters, and the pixels where one is NaN and the other not.
Usage: openeo_diff.py A B   (prints "max_abs_diff nan_mismatches")"""
import sys

import numpy as np
import rasterio

worst, mismatched = 0.0, 0
with rasterio.open(sys.argv[1]) as a, rasterio.open(sys.argv[2]) as b:
    assert (a.width, a.height) == (b.width, b.height) and a.transform == b.transform, "different grids"
    for _, window in a.block_windows(1):
        x, y = a.read(1, window=window).astype(np.float64), b.read(1, window=window).astype(np.float64)
        nx, ny = np.isnan(x), np.isnan(y)
        mismatched += int(np.count_nonzero(nx != ny))
        both = ~nx & ~ny
        if both.any():
            worst = max(worst, float(np.abs(x[both] - y[both]).max()))
print(f"{worst:.3g} {mismatched}")
