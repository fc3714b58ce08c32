"""Writes deterministic Sentinel-2-like UInt16 bands for the benchmarks: smooth fields of reflectance DN
(blue ~300-1000, green ~400-1200, red ~500-1500, nir ~2000-4000) with pixel noise and a nodata (0) wedge in
one corner, as at the edge of a Sentinel-2 tile. Usage: generate.py FOLDER SIZE. Writes the bands of
FOLDER/{blue,green,red,nir}.tif that are missing (tiled 512 x 512, uncompressed) in EPSG:32633 at 10 m."""
import os
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
folder, size = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
srs = osr.SpatialReference()
srs.ImportFromEPSG(32633)
bands = {"blue": (300, 700, 11), "red": (500, 1000, 12), "nir": (2000, 2000, 13), "green": (400, 800, 14)}
strip = 512
cols = np.arange(size, dtype=np.float64)
for name, (base, amplitude, seed) in bands.items():
    path = os.path.join(folder, f"{name}.tif")
    if os.path.exists(path):
        continue
    ds = gdal.GetDriverByName("GTiff").Create(path, size, size, 1, gdal.GDT_UInt16,
                                              ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "BIGTIFF=IF_SAFER"])
    ds.SetGeoTransform((300000, 10, 0, 5000000, 0, -10))
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(0)
    rng = np.random.default_rng(seed)
    for row in range(0, size, strip):
        rows = np.arange(row, min(row + strip, size), dtype=np.float64)[:, None]
        field = 0.5 + 0.25 * np.sin(cols / 700.0 + seed) + 0.25 * np.cos(rows / 900.0 - seed)
        values = base + amplitude * field + rng.normal(0, 40, (rows.shape[0], size))
        values = np.clip(values, 1, 10000).astype(np.uint16)
        values[(rows + cols[None, :]) < size * 0.3] = 0  # nodata wedge in the upper-left corner
        band.WriteArray(values, 0, row)
    ds = None
