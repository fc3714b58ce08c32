"""Independent reference for openEO graphs that change a cube's grid, written with GDAL's Python bindings and numpy.
Reads a JSON request on stdin with the result Tessera wrote and a "mode":
- "resample": "bands" lists one band file per result band; each is warped by gdal.Warp onto the result's grid (its
  bounds, pixel size and CRS) with "method", and compared band by band;
- "polygons": the NDVI of "nir" and "red" (files on one lattice) on the result's grid, "polygons" (a GeoJSON file)
  burnt onto that grid by gdal.Rasterize (pixel centres), values outside every polygon nodata (inside, with
  "inside": true); with "crop": true the result's grid is also checked to be the source lattice cut to the
  polygons' bounding box (in the source CRS).
Prints JSON: maxAbsDiff over pixels valid in both, whether the nodata masks are identical, valid pixels, size, and
for "crop" whether the grid is the expected one."""
import json
import sys
import warnings

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
warnings.simplefilter("ignore")


def on_grid(path, gt, width, height, wkt, method):
    out = gdal.Warp("", path, format="MEM", outputBounds=(gt[0], gt[3] + gt[5] * height, gt[0] + gt[1] * width, gt[3]),
                    width=width, height=height, dstSRS=wkt, resampleAlg=method, outputType=gdal.GDT_Float32,
                    dstNodata=float("nan"))
    return out.GetRasterBand(1).ReadAsArray().astype(np.float32)


def main():
    request = json.load(sys.stdin)
    result = gdal.Open(request["result"])
    gt = result.GetGeoTransform()
    width, height = result.RasterXSize, result.RasterYSize
    wkt = result.GetProjection()
    answer = {"width": width, "height": height, "pixelWidth": gt[1]}
    got, expected = [], []
    if request["mode"] == "resample":
        for i, path in enumerate(request["bands"]):
            got.append(result.GetRasterBand(i + 1).ReadAsArray().astype(np.float32))
            expected.append(on_grid(path, gt, width, height, wkt, request["method"]))
    else:
        nir = on_grid(request["nir"], gt, width, height, wkt, "near")
        red = on_grid(request["red"], gt, width, height, wkt, "near")
        with np.errstate(divide="ignore", invalid="ignore"):
            ndvi = (nir - red) / (nir + red)
        ndvi[~np.isfinite(ndvi)] = np.nan
        burnt = gdal.GetDriverByName("MEM").Create("", width, height, 1, gdal.GDT_Byte)
        burnt.SetGeoTransform(gt)
        burnt.SetProjection(wkt)
        polygons = ogr.Open(request["polygons"])
        gdal.RasterizeLayer(burnt, [1], polygons.GetLayer(0), burn_values=[1])
        inside = burnt.GetRasterBand(1).ReadAsArray() == 1
        keep = inside if not request.get("inside") else ~inside
        ndvi[~keep] = np.nan
        got.append(result.GetRasterBand(1).ReadAsArray().astype(np.float32))
        expected.append(ndvi)
        answer["insidePixels"] = int(inside.sum())
        if request.get("crop"):
            source = gdal.Open(request["red"])
            sgt = source.GetGeoTransform()
            srs = osr.SpatialReference()
            srs.ImportFromWkt(source.GetProjection())
            wgs84 = osr.SpatialReference()
            wgs84.ImportFromEPSG(4326)
            wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            minx, maxx, miny, maxy = polygons.GetLayer(0).GetExtent()
            west, south, east, north = osr.CoordinateTransformation(wgs84, srs).TransformBounds(minx, miny, maxx, maxy, 21)
            col0 = max(0, int(np.floor((west - sgt[0]) / sgt[1] + 1e-9)))
            col1 = min(source.RasterXSize, int(np.ceil((east - sgt[0]) / sgt[1] - 1e-9)))
            row0 = max(0, int(np.floor((north - sgt[3]) / sgt[5] + 1e-9)))
            row1 = min(source.RasterYSize, int(np.ceil((south - sgt[3]) / sgt[5] - 1e-9)))
            answer["gridAsExpected"] = bool(width == col1 - col0 and height == row1 - row0
                                            and abs(gt[0] - (sgt[0] + col0 * sgt[1])) < 1e-6 and abs(gt[3] - (sgt[3] + row0 * sgt[5])) < 1e-6)
            answer["sourceSize"] = [source.RasterXSize, source.RasterYSize]
    got, expected = np.stack(got), np.stack(expected)
    both = ~np.isnan(expected) & ~np.isnan(got)
    answer["maxAbsDiff"] = float(np.max(np.abs(expected[both] - got[both]))) if both.any() else 0.0
    answer["maskEqual"] = bool(np.array_equal(np.isnan(expected), np.isnan(got)))
    answer["validPixels"] = int(both.sum())
    json.dump(answer, sys.stdout)


main()
