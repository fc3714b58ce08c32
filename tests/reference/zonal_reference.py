"""Independent reference for zonal statistics: each zone (feature) is transformed into the raster's CRS with
OGR and burnt alone on the raster's whole grid with gdal.RasterizeLayer; numpy computes count, valid, mean,
min, max, std (population), median and sum of every band over it. Compares with the table Tessera wrote
(CSV, or a GeoPackage / GeoJSON).
Request: {"zones", "raster", "csv", "allTouched": false}. Prints the rows compared, the rows that differ
(with both versions) and the largest relative difference."""
import csv
import json
import math
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
req = json.load(sys.stdin)
raster = gdal.Open(req["raster"])
target = osr.SpatialReference(wkt=raster.GetProjection())
target.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
zones = ogr.Open(req["zones"])
layer = zones.GetLayer(0)
source = layer.GetSpatialRef()
source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
transform = osr.CoordinateTransformation(source, target)
bands = [raster.GetRasterBand(b + 1) for b in range(raster.RasterCount)]
data = [b.ReadAsArray().astype(np.float64) for b in bands]
expected = {}
for index, feature in enumerate(layer):
    zone = feature.GetField("id") if feature.GetFieldIndex("id") >= 0 and feature.IsFieldSetAndNotNull("id") else str(index)
    geometry = feature.GetGeometryRef().Clone()
    geometry.Transform(transform)
    memory = ogr.GetDriverByName("Memory").CreateDataSource("")
    one = memory.CreateLayer("zone", srs=target)
    f = ogr.Feature(one.GetLayerDefn())
    f.SetGeometry(geometry)
    one.CreateFeature(f)
    mask_ds = gdal.GetDriverByName("MEM").Create("", raster.RasterXSize, raster.RasterYSize, 1, gdal.GDT_Byte)
    mask_ds.SetGeoTransform(raster.GetGeoTransform())
    mask_ds.SetProjection(raster.GetProjection())
    options = ["ALL_TOUCHED=TRUE"] if req.get("allTouched") else []
    gdal.RasterizeLayer(mask_ds, [1], one, burn_values=[1], options=options)
    mask = mask_ds.GetRasterBand(1).ReadAsArray().astype(bool)
    for b, (band, values) in enumerate(zip(bands, data), start=1):
        inside = values[mask]
        nodata = band.GetNoDataValue()
        valid = inside[~np.isnan(inside)]
        if nodata is not None and not math.isnan(nodata):
            valid = valid[valid != nodata]
        row = {"count": int(mask.sum()), "valid": int(valid.size)}
        if valid.size:
            row.update(mean=float(valid.mean()), min=float(valid.min()), max=float(valid.max()), std=float(valid.std()),
                       median=float(np.median(valid)), sum=float(valid.sum()))
        expected[(str(zone), b)] = row

def rows_of(path):
    """The rows Tessera wrote: a CSV, or the features of a GeoPackage / GeoJSON table (null = empty)."""
    if path.lower().endswith(".csv"):
        with open(path, newline="") as handle:
            yield from csv.DictReader(handle)
        return
    table = ogr.Open(path)
    for feature in table.GetLayer(0):
        yield {k: ("" if v is None else str(v)) for k, v in feature.items().items()}


compared, differing, worst = 0, [], 0.0
for row in rows_of(req["csv"]):
    key = (row["zone"], int(row["band"]))
    want = expected.pop(key, None)
    compared += 1
    if want is None:
        differing.append({"row": row, "expected": None})
        continue
    ok = int(row["count"]) == want["count"] and int(row["valid"]) == want["valid"]
    for name in ("mean", "min", "max", "std", "median", "sum"):
        if name in want:
            got = float(row[name])
            rel = abs(got - want[name]) / max(1e-12, abs(want[name]))
            worst = max(worst, rel)
            ok = ok and rel <= 1e-9
        else:
            ok = ok and row[name] == ""
    if not ok:
        differing.append({"row": row, "expected": want})
print(json.dumps({"compared": compared, "missing": len(expected), "differing": len(differing), "examples": differing[:3],
                  "maxRelDiff": worst}))
