"""Independent reference for crop. With a box: the box (any CRS) is transformed into the raster's CRS with
densified edges (21 points each, as rasterio's transform_bounds), snapped outwards to whole pixels and clipped
to the raster; the expected output is that slice of the source, read with numpy. With a cutline: every pixel
of the output whose centre lies outside the polygons (burnt by gdal.Rasterize) must be no data, every other
pixel the source's value. Request: {"source", "output", "bbox": [w,s,e,n], "bboxCrs"} or {"source", "output",
"cutline"}. Prints whether the output's grid and values match."""
import json
import math
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
req = json.load(sys.stdin)
src = gdal.Open(req["source"])
out = gdal.Open(req["output"])
gt = src.GetGeoTransform()
ogt = out.GetGeoTransform()
col0 = round((ogt[0] - gt[0]) / gt[1])
row0 = round((ogt[3] - gt[3]) / gt[5])
result = {"bands": out.RasterCount, "width": out.RasterXSize, "height": out.RasterYSize, "col0": col0, "row0": row0}

if "bbox" in req:
    w, s, e, n = req["bbox"]
    a = osr.SpatialReference()
    a.SetFromUserInput(req.get("bboxCrs", "EPSG:4326"))
    a.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    b = osr.SpatialReference(wkt=src.GetProjection())
    b.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(a, b)
    xs, ys = [], []
    for i in range(21):
        t = i / 20
        for x, y in ((w + t * (e - w), s), (w + t * (e - w), n), (w, s + t * (n - s)), (e, s + t * (n - s))):
            px, py, _ = ct.TransformPoint(x, y)
            xs.append(px)
            ys.append(py)
    c0 = (min(xs) - gt[0]) / gt[1]
    c1 = (max(xs) - gt[0]) / gt[1]
    r0 = (max(ys) - gt[3]) / gt[5]
    r1 = (min(ys) - gt[3]) / gt[5]
    tol = 1e-6
    ec0 = max(0, math.floor(c0 + tol))
    ec1 = min(src.RasterXSize, math.ceil(c1 - tol))
    er0 = max(0, math.floor(r0 + tol))
    er1 = min(src.RasterYSize, math.ceil(r1 - tol))
    result["expected"] = {"col0": ec0, "row0": er0, "width": ec1 - ec0, "height": er1 - er0}
    equal = True
    for i in range(1, src.RasterCount + 1):
        expected = src.GetRasterBand(i).ReadAsArray(ec0, er0, ec1 - ec0, er1 - er0)
        actual = out.GetRasterBand(i).ReadAsArray()
        equal = equal and expected.shape == actual.shape and bool(np.array_equal(expected, actual))
    result["valuesEqual"] = equal
else:
    mask_ds = gdal.GetDriverByName("MEM").Create("", out.RasterXSize, out.RasterYSize, 1, gdal.GDT_Byte)
    mask_ds.SetGeoTransform(ogt)
    mask_ds.SetProjection(out.GetProjection())
    gdal.Rasterize(mask_ds, req["cutline"], burnValues=[1])
    mask = mask_ds.GetRasterBand(1).ReadAsArray().astype(bool)
    band = out.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    actual = band.ReadAsArray()
    source = src.GetRasterBand(1).ReadAsArray(col0, row0, out.RasterXSize, out.RasterYSize)
    result["inside"] = int(mask.sum())
    result["outsideAllNoData"] = bool(np.all(actual[~mask] == nodata))
    result["insideEqualsSource"] = bool(np.array_equal(actual[mask], source[mask]))
print(json.dumps(result))
