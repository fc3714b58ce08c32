"""Writes four deterministic 6000 x 6000 UInt16 tiles for the mosaic benchmark, in a 2 x 2 arrangement that
overlaps by 500 pixels each way (EPSG:32633, 10 m, on one lattice), each a smooth field with noise and a
different level so that seams show, nodata 0 in a 200-pixel frame around each tile. Usage:
generate_tiles.py FOLDER. Writes FOLDER/tile_{0,1,2,3}.tif (tiled 512, uncompressed) when missing."""
import os
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
srs = osr.SpatialReference()
srs.ImportFromEPSG(32633)
size, step, frame, strip = 6000, 5500, 200, 500
cols = np.arange(size, dtype=np.float64)
for index, (tx, ty) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)]):
    path = os.path.join(folder, f"tile_{index}.tif")
    if os.path.exists(path):
        continue
    ds = gdal.GetDriverByName("GTiff").Create(path, size, size, 1, gdal.GDT_UInt16, ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512"])
    ds.SetGeoTransform((400000 + tx * step * 10, 10, 0, 5000000 - ty * step * 10, 0, -10))
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(0)
    rng = np.random.default_rng(100 + index)
    for row in range(0, size, strip):
        rows = np.arange(row, min(row + strip, size), dtype=np.float64)[:, None]
        values = 1000 + 200 * index + 300 * np.sin((cols + tx * step) / 800.0) * np.cos((rows + ty * step) / 900.0)
        values = values + rng.normal(0, 20, (rows.shape[0], size))
        values = np.clip(values, 1, 60000).astype(np.uint16)
        values[:, :frame] = 0
        values[:, -frame:] = 0
        if row < frame:
            values[: frame - row, :] = 0
        if row + strip > size - frame:
            values[max(0, size - frame - row):, :] = 0
        band.WriteArray(values, 0, row)
    ds = None
