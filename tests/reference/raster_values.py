"""Shared by the reference scripts: one band of a raster as float64 with NaN for no data."""
import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def read_band(path, index, overview=None):
    """The band, or its overview level `overview` (0 = the first) when given."""
    dataset = gdal.Open(path)  # keep the dataset alive while its band is used
    band = dataset.GetRasterBand(index)
    nodata = band.GetNoDataValue()
    if overview is not None:
        band = band.GetOverview(overview)
    data = band.ReadAsArray().astype(np.float64)
    if nodata is not None and not np.isnan(nodata):
        data[data == nodata] = np.nan
    return data
