"""Lon/lat bounds of a raster's four corners, by GDAL's Python bindings (the reference for `tessera info`)."""
import json
import sys

from osgeo import gdal, osr

gdal.UseExceptions()
req = json.load(sys.stdin)
ds = gdal.Open(req["path"])
gt = ds.GetGeoTransform()
src = ds.GetSpatialRef()
dst = osr.SpatialReference()
dst.ImportFromEPSG(4326)
dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
transform = osr.CoordinateTransformation(src, dst)
corners = [(gt[0] + c * gt[1] + r * gt[2], gt[3] + c * gt[4] + r * gt[5])
           for c in (0, ds.RasterXSize) for r in (0, ds.RasterYSize)]
points = [transform.TransformPoint(x, y)[:2] for x, y in corners]
xs, ys = zip(*points)
print(json.dumps({"minX": min(xs), "minY": min(ys), "maxX": max(xs), "maxY": max(ys)}))
