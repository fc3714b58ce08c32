"""Independent reference for what map clients read from an openEO secondary web service (or a job's stored result),
with GDAL's own clients: its WMTS driver and its WCS driver (2.0.1) read the server, and numpy computes what they must
get. Reads a JSON request on stdin:

- the reference values: either "stored" (a GeoTIFF, its first band) or "dates" (per date the nir and red band files,
  one scene each on one pixel lattice) with "reducer": NDVI per date in float32 as (nir - red) / (nir + red), reduced
  over the dates with nodata (NaN) left out, on the scenes' grid;
- "work": a folder for GDAL's WCS cache and scratch files;
- "rescale": [min, max] of the grey ramp the PNGs were drawn with (grey level = round(clip((v - min) / (max - min), 0,
  1) * 255), alpha 255 where there is a value, 0 where not; with the mean difference of grey levels, for zoomed-out tiles
  drawn from a coarser grid than the data's);
- "tiles": XYZ tiles saved as PNG ({"z", "x", "y", "path"}): each compared with the reference warped (nearest
  neighbour, exact transformation) onto the tile's Web Mercator grid;
- "wmts": {"url": a GDAL WMTS dataset name (WMTS:url), "rescale": as above or null}: the whole layer read at its
  deepest zoom, compared likewise (grey levels when it has a rescale, else only where there is data);
- "wcs": {"url": a GDAL WCS dataset name, "window": [col, row, width, height] of the coverage, or null: all of it}: the window read
  (GDAL asks GetCoverage for it), compared value for value with the reference on the same cells.

Prints JSON: per part the pixels with data, mismatched masks, mismatched values (or the largest difference)."""
import json
import os
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()

REDUCERS = {
    "max": lambda s: np.nanmax(s, axis=0),
    "min": lambda s: np.nanmin(s, axis=0),
    "mean": lambda s: np.nanmean(s, axis=0),
}

HALF_WORLD = 20037508.342789244


def reference(request, work):
    """The reference as a GeoTIFF (float32, NaN nodata) and as an array with its geotransform."""
    if request.get("stored"):
        ds = gdal.Open(request["stored"])
        values = ds.GetRasterBand(1).ReadAsArray().astype(np.float32)
        gt, wkt = ds.GetGeoTransform(), ds.GetProjection()
    else:
        series = []
        for date in request["dates"]:
            red_ds, nir_ds = gdal.Open(date["red"]), gdal.Open(date["nir"])
            red = red_ds.GetRasterBand(1).ReadAsArray().astype(np.float32)
            nir = nir_ds.GetRasterBand(1).ReadAsArray().astype(np.float32)
            with np.errstate(divide="ignore", invalid="ignore"):
                ndvi = (nir - red) / (nir + red)
            ndvi[~np.isfinite(ndvi)] = np.nan
            series.append(ndvi)
            gt, wkt = red_ds.GetGeoTransform(), red_ds.GetProjection()
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = REDUCERS[request["reducer"]](np.stack(series)).astype(np.float32)
    path = os.path.join(work, "reference.tif")
    out = gdal.GetDriverByName("GTiff").Create(path, values.shape[1], values.shape[0], 1, gdal.GDT_Float32)
    out.SetGeoTransform(gt)
    out.SetProjection(wkt)
    out.GetRasterBand(1).SetNoDataValue(float("nan"))
    out.GetRasterBand(1).WriteArray(values)
    out = None
    return path, values, gt


def warped(path, bounds, width, height):
    """The reference on a Web Mercator grid, nearest neighbour, exact transformation, NaN where it has no data."""
    ds = gdal.Warp("", path, format="MEM", dstSRS="EPSG:3857", outputBounds=bounds, width=width, height=height,
                   resampleAlg="near", errorThreshold=0, dstNodata=float("nan"))
    return ds.GetRasterBand(1).ReadAsArray().astype(np.float32)


def compare_rgba(expected, rgba, rescale):
    alpha = rgba[3]
    valid = np.isfinite(expected)
    drawn = alpha == 255
    result = {
        "valid": int(valid.sum()),
        "maskMismatch": int((valid != drawn).sum()),
        "partialAlpha": int(((alpha != 0) & (alpha != 255)).sum()),
    }
    if rescale is not None:
        low, high = rescale
        with np.errstate(invalid="ignore"):
            grey = np.round(np.clip((expected.astype(np.float64) - low) / (high - low), 0, 1) * 255)
        both = valid & drawn
        result["valueMismatch"] = int(((grey[both] != rgba[0][both]) | (rgba[0][both] != rgba[1][both]) | (rgba[1][both] != rgba[2][both])).sum())
        result["meanGreyDiff"] = float(np.mean(np.abs(grey[both] - rgba[0][both]))) if both.any() else 0.0
    return result


def tile_bounds(z, x, y):
    size = 2 * HALF_WORLD / (1 << z)
    min_x = -HALF_WORLD + x * size
    max_y = HALF_WORLD - y * size
    return (min_x, max_y - size, min_x + size, max_y)


def main():
    request = json.load(sys.stdin)
    work = request["work"]
    os.makedirs(work, exist_ok=True)
    path, values, gt = reference(request, work)
    rescale = request.get("rescale")
    answer = {"referenceValid": int(np.isfinite(values).sum())}

    tiles = []
    for tile in request.get("tiles", []):
        expected = warped(path, tile_bounds(tile["z"], tile["x"], tile["y"]), 256, 256)
        png = gdal.Open(tile["path"])
        rgba = [png.GetRasterBand(b).ReadAsArray() for b in range(1, png.RasterCount + 1)]
        tiles.append(compare_rgba(expected, rgba, rescale) | {"bands": png.RasterCount})
    answer["tiles"] = tiles

    if request.get("wmts"):
        ds = gdal.Open(request["wmts"]["url"])
        wgt = ds.GetGeoTransform()
        srs = osr.SpatialReference(wkt=ds.GetProjection())
        srs.AutoIdentifyEPSG()
        bounds = (wgt[0], wgt[3] + ds.RasterYSize * wgt[5], wgt[0] + ds.RasterXSize * wgt[1], wgt[3])
        expected = warped(path, bounds, ds.RasterXSize, ds.RasterYSize)
        rgba = [ds.GetRasterBand(b).ReadAsArray() for b in range(1, ds.RasterCount + 1)]
        answer["wmts"] = compare_rgba(expected, rgba, request["wmts"].get("rescale")) | {
            "bands": ds.RasterCount, "width": ds.RasterXSize, "height": ds.RasterYSize, "pixel": wgt[1], "epsg": srs.GetAuthorityCode(None),
        }

    if request.get("wcs"):
        wcs = request["wcs"]
        ds = gdal.OpenEx(wcs["url"], open_options=["CACHE=" + os.path.join(work, "wcs_cache")])
        cgt = ds.GetGeoTransform()
        col, row, width, height = wcs.get("window") or [0, 0, ds.RasterXSize, ds.RasterYSize]
        got = ds.GetRasterBand(1).ReadAsArray(col, row, width, height).astype(np.float32)
        # The same cells of the reference, found on its lattice from the geotransforms.
        ref_col = int(round((cgt[0] + col * cgt[1] - gt[0]) / gt[1]))
        ref_row = int(round((cgt[3] + row * cgt[5] - gt[3]) / gt[5]))
        expected = np.full((height, width), np.nan, dtype=np.float32)
        c0, r0 = max(ref_col, 0), max(ref_row, 0)
        c1, r1 = min(ref_col + width, values.shape[1]), min(ref_row + height, values.shape[0])
        if c1 > c0 and r1 > r0:
            expected[r0 - ref_row:r1 - ref_row, c0 - ref_col:c1 - ref_col] = values[r0:r1, c0:c1]
        both = np.isfinite(expected) & np.isfinite(got)
        answer["wcs"] = {
            "width": ds.RasterXSize, "height": ds.RasterYSize, "geoTransform": list(cgt), "bands": ds.RasterCount,
            "valid": int(both.sum()),
            "maskEqual": bool(np.array_equal(np.isnan(expected), np.isnan(got))),
            "maxAbsDiff": float(np.max(np.abs(expected[both] - got[both]))) if both.any() else 0.0,
            "onLattice": abs((cgt[0] - gt[0]) / gt[1] - round((cgt[0] - gt[0]) / gt[1])) < 1e-6 and abs(cgt[1] - gt[1]) < 1e-9,
        }
    json.dump(answer, sys.stdout)


main()
