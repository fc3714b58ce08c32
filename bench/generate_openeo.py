"""Writes deterministic scenes for bench/openeo: 5 dates x 2 bands (red, nir) of UInt16 reflectance DN (red ~500-1500,
nir ~1500-4000, a field that changes from date to date, pixel noise), nodata 0 in a wedge of the upper-left corner on
every date and in a few cloud discs that move from date to date. Usage: generate_openeo.py FOLDER SIZE. Writes
FOLDER/<date>_<band>.tif that are missing (tiled 512 x 512, uncompressed) in EPSG:32633 at 10 m."""
import os
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
folder, size = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
srs = osr.SpatialReference()
srs.ImportFromEPSG(32633)
dates = ["2026-06-01", "2026-06-06", "2026-06-11", "2026-06-16", "2026-06-21"]
bands = {"red": (500, 1000), "nir": (1500, 2500)}
strip = 512
cols = np.arange(size, dtype=np.float64)
for d, date in enumerate(dates):
    # Cloud discs of this date (centre x, centre y, radius), in pixels; the same for both bands.
    clouds = np.random.default_rng(100 + d).uniform(0, 1, (6, 3)) * [size, size, size / 12]
    for b, (name, (base, amplitude)) in enumerate(bands.items()):
        path = os.path.join(folder, f"{date}_{name}.tif")
        if os.path.exists(path):
            continue
        ds = gdal.GetDriverByName("GTiff").Create(path + ".part", size, size, 1, gdal.GDT_UInt16,
                                                  ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "BIGTIFF=IF_SAFER"])
        ds.SetGeoTransform((300000, 10, 0, 5000000, 0, -10))
        ds.SetProjection(srs.ExportToWkt())
        band = ds.GetRasterBand(1)
        band.SetNoDataValue(0)
        rng = np.random.default_rng(10 * d + b)
        phase = 0.7 * d + 1.3 * b
        for row in range(0, size, strip):
            rows = np.arange(row, min(row + strip, size), dtype=np.float64)[:, None]
            field = 0.5 + 0.25 * np.sin(cols / 700.0 + phase) + 0.25 * np.cos(rows / 900.0 - phase)
            values = base + amplitude * field + rng.normal(0, 40, (rows.shape[0], size))
            values = np.clip(values, 1, 10000).astype(np.uint16)
            values[(rows + cols[None, :]) < size * 0.1] = 0  # nodata wedge in the upper-left corner, every date
            for cx, cy, r in clouds:
                values[(cols[None, :] - cx) ** 2 + (rows - cy) ** 2 < r * r] = 0
            band.WriteArray(values, 0, row)
        ds = None
        os.replace(path + ".part", path)
