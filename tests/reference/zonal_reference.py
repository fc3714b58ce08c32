"""Independent reference for zonal statistics: each zone (feature) is transformed into the raster's CRS with
OGR and burnt alone on the raster's whole grid with gdal.RasterizeLayer; numpy computes count, valid, mean,
min, max, std (population), median and sum of every band over it. Compares with the table Tessera wrote
(CSV, or a GeoPackage / GeoJSON): the statistics, the zone's attributes as OGR reads them (a name that is also a
statistics column prefixed zone_), and the band's label (its description as GDAL reads it, else "band N").
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
STATS = ["zone", "raster", "band", "label", "count", "valid", "mean", "min", "max", "std", "median", "sum"]


def label(b, band):
    """What GDAL says the band is (its description), else its number."""
    description = (band.GetDescription() or "").strip()
    return description if description else f"band {b}"


labels = {b: label(b, band) for b, band in enumerate(bands, start=1)}
# The zones' attributes as written in the file (a GeoJSON file read as JSON: no type guessing); other formats through OGR.
if req["zones"].lower().endswith((".geojson", ".json")):
    with open(req["zones"]) as handle:
        raw = [f.get("properties") or {} for f in json.load(handle)["features"]]
else:
    raw = None
expected = {}
for index, feature in enumerate(layer):
    properties = raw[index] if raw is not None else feature.items()
    attributes = {("zone_" + k if k.lower() in STATS else k): v for k, v in properties.items()}
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
        row = {"count": int(mask.sum()), "valid": int(valid.size), "attributes": attributes, "label": labels[b]}
        if valid.size:
            row.update(mean=float(valid.mean()), min=float(valid.min()), max=float(valid.max()), std=float(valid.std()),
                       median=float(np.median(valid)), sum=float(valid.sum()))
        expected[(str(zone), b)] = row

def iso(feature, i, kind):
    """An OGR date, time or date-time field in ISO 8601, as the zones' GeoJSON spells them."""
    year, month, day, hour, minute, second, tz = feature.GetFieldAsDateTime(i)
    date = "%04d-%02d-%02d" % (year, month, day)
    time = "%02d:%02d:%02d" % (hour, minute, int(second)) if second == int(second) else "%02d:%02d:%06.3f" % (hour, minute, second)
    minutes = (tz - 100) * 15
    zone = "Z" if tz == 100 else ("%s%02d:%02d" % ("-" if minutes < 0 else "+", abs(minutes) // 60, abs(minutes) % 60)) if tz > 1 else ""
    return date if kind == ogr.OFTDate else time + zone if kind == ogr.OFTTime else f"{date}T{time}{zone}"


def rows_of(path):
    """The rows Tessera wrote: a CSV or GeoJSON as written, or the features of a GeoPackage through OGR (null = empty)."""
    if path.lower().endswith(".csv"):
        with open(path, newline="") as handle:
            yield from csv.DictReader(handle)
        return
    if path.lower().endswith((".geojson", ".json")):
        with open(path) as handle:
            for f in json.load(handle)["features"]:
                yield {k: ("" if v is None else str(v)) for k, v in f["properties"].items()}
        return
    table = ogr.Open(path)
    layer_defn = table.GetLayer(0).GetLayerDefn()
    kinds = [layer_defn.GetFieldDefn(i).GetType() for i in range(layer_defn.GetFieldCount())]
    for feature in table.GetLayer(0):
        row = {}
        for i, name in enumerate(feature.keys()):
            if not feature.IsFieldSetAndNotNull(i):
                row[name] = ""
            elif kinds[i] in (ogr.OFTDate, ogr.OFTTime, ogr.OFTDateTime):
                row[name] = iso(feature, i, kinds[i])
            else:
                row[name] = str(feature.GetField(i))
        yield row


compared, differing, worst = 0, [], 0.0
for row in rows_of(req["csv"]):
    key = (row["zone"], int(row["band"]))
    want = expected.pop(key, None)
    compared += 1
    if want is None:
        differing.append({"row": row, "expected": None})
        continue
    ok = int(row["count"]) == want["count"] and int(row["valid"]) == want["valid"] and row["label"] == want["label"]
    for name, value in want["attributes"].items():
        got = row.get(name)
        if value is None:
            ok = ok and got in ("", None)
        elif isinstance(value, (int, float)):
            ok = ok and got not in ("", None) and float(got) == float(value)
        else:
            ok = ok and got == str(value)
    ok = ok and [k for k in row if k not in STATS] == list(want["attributes"])
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
