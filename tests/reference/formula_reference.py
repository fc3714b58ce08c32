"""Independent reference for band-math formulas (the BAND_MATH task type and an index's own formula): reads the named
input bands with GDAL, applies scale and offset in float32, evaluates the formula with numpy ('^' is a power) and compares
with the raster Tessera wrote. Request (JSON on stdin): formula, output, inputs {name: {path, band, scale, offset}}.
Prints JSON: maxAbsDiff over pixels valid in both, maskEqual, validCount."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()


def read(spec):
    ds = gdal.Open(spec["path"])
    band = ds.GetRasterBand(spec.get("band", 1))
    raw = band.ReadAsArray().astype(np.float32)
    nodata = band.GetNoDataValue()
    if nodata is not None and not np.isnan(nodata):
        raw[raw == np.float32(nodata)] = np.nan
    scale = spec.get("scale") or band.GetScale() or 1.0
    offset = spec.get("offset")
    if offset is None:
        offset = band.GetOffset() or 0.0
    return raw * np.float32(scale) + np.float32(offset)


def main():
    req = json.load(sys.stdin)
    names = {name: read(spec) for name, spec in req["inputs"].items()}
    names.update({"sqrt": np.sqrt, "abs": np.abs, "clamp": lambda x, lo, hi: np.clip(x, lo, hi)})
    with np.errstate(all="ignore"):
        expected = np.asarray(eval(req["formula"].replace("^", "**"), {"__builtins__": {}}, names), dtype=np.float32).astype(np.float64)
    expected[~np.isfinite(expected)] = np.nan
    out_ds = gdal.Open(req["output"])
    out = out_ds.GetRasterBand(1)
    actual = out.ReadAsArray().astype(np.float64)
    if out.GetNoDataValue() is not None and not np.isnan(out.GetNoDataValue()):
        actual[actual == out.GetNoDataValue()] = np.nan
    both = ~np.isnan(actual) & ~np.isnan(expected)
    print(json.dumps({
        "maxAbsDiff": float(np.max(np.abs(actual[both] - expected[both]))) if both.any() else 0.0,
        "maskEqual": bool(np.array_equal(np.isnan(actual), np.isnan(expected))),
        "validCount": int(both.sum()),
        "description": out.GetDescription(),
    }))


if __name__ == "__main__":
    main()
