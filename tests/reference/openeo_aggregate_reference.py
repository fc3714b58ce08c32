"""Independent reference for openEO's aggregate_spatial over load_collection (-> ndvi): per date, the value is NDVI
(nir - red) / (nir + red) in float32, or one band as read; each geometry (lon/lat GeoJSON) is transformed into the
scene's CRS with OGR and burnt alone with gdal.RasterizeLayer on the scene's whole grid (pixel centres for polygons);
numpy reduces the valid values (NaN and the band's nodata left out) with the statistic (sd with ddof=1).
Request on stdin: {"result", "features", "dates": [{"t", "nir", "red"} or {"t", "band"}], "statistic",
"counts": false}. The result is read with OGR (GeoPackage, GeoJSON) or csv; rows are matched by geometry_index and
the date of t; the value column is "value" (or the band's label given as "column"). Prints rows compared, rows that
differ, the largest absolute difference, and geometries/dates missing."""
import csv
import json
import math
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
req = json.load(sys.stdin)
column = req.get("column", "value")


def read(path):
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    data = band.ReadAsArray().astype(np.float32)
    nodata = band.GetNoDataValue()
    if nodata is not None and not math.isnan(nodata):
        data[data == np.float32(nodata)] = np.nan
    return ds, data


def statistic(name, v):
    if name == "count":
        return float(v.size)
    if v.size == 0:
        return None
    if name == "sum":
        return float(np.sum(v, dtype=np.float64))
    if name == "sd":
        return float(np.std(v.astype(np.float64), ddof=1)) if v.size > 1 else None
    return float({"mean": np.mean, "min": np.min, "max": np.max, "median": np.median}[name](v.astype(np.float64)))


expected = {}
for d in req["dates"]:
    if "band" in d:
        ds, values = read(d["band"])
    else:
        ds, nir = read(d["nir"])
        _, red = read(d["red"])
        with np.errstate(divide="ignore", invalid="ignore"):
            values = ((nir - red) / (nir + red)).astype(np.float32)
    target = osr.SpatialReference(wkt=ds.GetProjection())
    target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    wgs84 = osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(wgs84, target)
    for g, feature in enumerate(req["features"]):
        geometry = ogr.CreateGeometryFromJson(json.dumps(feature["geometry"]))
        geometry.Transform(transform)
        memory = ogr.GetDriverByName("Memory").CreateDataSource("")
        layer = memory.CreateLayer("g", srs=target)
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetGeometry(geometry)
        layer.CreateFeature(f)
        mask_ds = gdal.GetDriverByName("MEM").Create("", ds.RasterXSize, ds.RasterYSize, 1, gdal.GDT_Byte)
        mask_ds.SetGeoTransform(ds.GetGeoTransform())
        mask_ds.SetProjection(ds.GetProjection())
        gdal.RasterizeLayer(mask_ds, [1], layer, burn_values=[1])
        mask = mask_ds.GetRasterBand(1).ReadAsArray().astype(bool)
        inside = values[mask]
        valid = inside[~np.isnan(inside)]
        expected[(g, d["t"])] = {"value": statistic(req["statistic"], valid), "total": int(mask.sum()), "valid": int(valid.size)}


def rows(path):
    if path.lower().endswith(".csv"):
        with open(path, newline="") as handle:
            for row in csv.DictReader(handle):
                yield {k: (None if v == "" else v) for k, v in row.items()}
        return
    table = ogr.Open(path)
    for feature in table.GetLayer(0):
        yield feature.items()


compared, differing, worst, seen = 0, [], 0.0, set()
for row in rows(req["result"]):
    key = (int(row["geometry_index"]), str(row["t"])[:10].replace("/", "-"))  # OGR reads the labels as dates
    seen.add(key)
    want = expected.get(key)
    compared += 1
    got = row.get(column)
    got = None if got is None else float(got)
    if want is None:
        differing.append({"row": {k: str(v) for k, v in row.items()}, "expected": None})
        continue
    ok = (got is None) == (want["value"] is None)
    if ok and got is not None:
        worst = max(worst, abs(got - want["value"]))
        ok = abs(got - want["value"]) <= 1e-5 * max(1.0, abs(want["value"]))
    if req.get("counts"):
        prefix = column[:-len("value")] if column.endswith("value") else column + "_"
        ok = ok and int(row[prefix + "total_count"]) == want["total"] and int(row[prefix + "valid_count"]) == want["valid"]
    if not ok:
        differing.append({"row": {k: str(v) for k, v in row.items()}, "expected": want})
missing = sorted(str(k) for k in expected if k not in seen)
print(json.dumps({"compared": compared, "differing": differing[:5], "maxAbsDiff": worst, "missing": missing[:5],
                  "nonEmpty": sum(1 for v in expected.values() if v["valid"] > 0)}))
