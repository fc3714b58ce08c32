"""Independent reference for Tessera's spectral indices and band alignment, written with GDAL's Python
bindings and numpy. Reads a JSON request on stdin, computes the index and compares it with the raster
Tessera wrote. Prints JSON: maxAbsDiff over pixels valid in both, whether the nodata masks are identical,
and counts.

"precision": "float32" (the default) computes as numpy does on float32 arrays: reflectance and formula in
single precision, Tessera's documented arithmetic. "float64" computes in double precision and rounds the
result to float32, the output type."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()

def clip(x):
    """Normalised indices are clamped to [-1, 1] (NaN stays NaN; +-inf from a zero denominator becomes +-1)."""
    return np.clip(x, -1.0, 1.0)


FORMULAS = {
    "ndvi": lambda b, c: clip((b["nir"] - b["red"]) / (b["nir"] + b["red"])),
    "evi": lambda b, c: 2.5 * (b["nir"] - b["red"]) / (b["nir"] + 6.0 * b["red"] - 7.5 * b["blue"] + 1.0),
    "ndwi": lambda b, c: clip((b["green"] - b["nir"]) / (b["green"] + b["nir"])),
    "ndbi": lambda b, c: clip((b["swir"] - b["nir"]) / (b["swir"] + b["nir"])),
    "bai": lambda b, c: 1.0 / ((0.1 - b["red"]) ** 2 + (0.06 - b["nir"]) ** 2),
    # USGS Landsat surface reflectance-derived spectral indices (Landsat 8/9 bands: red B4, nir B5, swir1 B6, swir2 B7).
    "savi": lambda b, c: clip((1.0 + c.get("L", 0.5)) * (b["nir"] - b["red"]) / (b["nir"] + b["red"] + c.get("L", 0.5))),
    "msavi": lambda b, c: clip((2.0 * b["nir"] + 1.0 - np.sqrt((2.0 * b["nir"] + 1.0) ** 2 - 8.0 * (b["nir"] - b["red"]))) / 2.0),
    "nbr": lambda b, c: clip((b["nir"] - b["swir2"]) / (b["nir"] + b["swir2"])),
    "nbr2": lambda b, c: clip((b["swir1"] - b["swir2"]) / (b["swir1"] + b["swir2"])),
    "ndmi": lambda b, c: clip((b["nir"] - b["swir1"]) / (b["nir"] + b["swir1"])),
}

RESAMPLING = {"nearest": "near", "bilinear": "bilinear", "cubic": "cubic", "average": "average"}


def same_grid(ds, like):
    return (ds.RasterXSize == like.RasterXSize and ds.RasterYSize == like.RasterYSize
            and np.allclose(ds.GetGeoTransform(), like.GetGeoTransform(), rtol=0, atol=1e-9))


def read_role(spec, like, resampling, precision):
    ds = gdal.Open(spec["path"])
    band = ds.GetRasterBand(spec.get("band", 1))
    nodata = spec.get("nodata")
    if nodata is None:
        nodata = band.GetNoDataValue()
    scale = spec.get("scale")
    if scale is None:
        scale = band.GetScale() or 1.0
    offset = spec.get("offset")
    if offset is None:
        offset = band.GetOffset() or 0.0
    if like is not None and not same_grid(ds, like):
        gt = like.GetGeoTransform()
        bounds = (gt[0], gt[3] + gt[5] * like.RasterYSize, gt[0] + gt[1] * like.RasterXSize, gt[3])
        options = dict(format="MEM", outputBounds=bounds, width=like.RasterXSize, height=like.RasterYSize,
                       dstSRS=like.GetProjection(), resampleAlg=RESAMPLING[resampling],
                       outputType=gdal.GDT_Float32, dstNodata=float("nan"))
        if spec.get("nodata") is not None:
            options["srcNodata"] = spec["nodata"]
        warped = gdal.Warp("", ds, **options)
        raw = warped.GetRasterBand(spec.get("band", 1)).ReadAsArray().astype(np.float64)
    else:
        raw = band.ReadAsArray().astype(np.float64)
        if nodata is not None and not np.isnan(nodata):
            raw[raw == nodata] = np.nan
    if precision == "float32":
        return raw.astype(np.float32) * np.float32(scale) + np.float32(offset)
    return raw * scale + offset


def main():
    req = json.load(sys.stdin)
    like = gdal.Open(req["like"]) if req.get("like") else None
    precision = req.get("precision", "float32")
    bands = {role: read_role(spec, like, req.get("resampling", "nearest"), precision)
             for role, spec in req["inputs"].items()}
    with np.errstate(all="ignore"):
        expected = FORMULAS[req["index"]](bands, req.get("constants", {})).astype(np.float32).astype(np.float64)
    expected[~np.isfinite(expected)] = np.nan

    out = gdal.Open(req["output"])
    actual = out.GetRasterBand(1).ReadAsArray().astype(np.float64)
    out_nodata = out.GetRasterBand(1).GetNoDataValue()
    if out_nodata is not None and not np.isnan(out_nodata):
        actual[actual == out_nodata] = np.nan
    if actual.shape != expected.shape:
        print(json.dumps({"shapeEqual": False, "actualShape": list(actual.shape), "expectedShape": list(expected.shape)}))
        return
    both = ~np.isnan(actual) & ~np.isnan(expected)
    diff = float(np.max(np.abs(actual[both] - expected[both]))) if both.any() else 0.0
    ref_ds = like if like is not None else gdal.Open(next(iter(req["inputs"].values()))["path"])
    print(json.dumps({
        "shapeEqual": True,
        "maxAbsDiff": diff,
        "maxRelDiff": float(np.max(np.abs(actual[both] - expected[both]) / np.maximum(np.abs(expected[both]), 1.0))) if both.any() else 0.0,
        "maskEqual": bool(np.array_equal(np.isnan(actual), np.isnan(expected))),
        "validCount": int(both.sum()),
        "nodataCount": int(np.isnan(expected).sum()),
        "geoTransformEqual": bool(np.allclose(out.GetGeoTransform(), ref_ds.GetGeoTransform(), rtol=0, atol=1e-6)),
        "crsEqual": out.GetSpatialRef().IsSame(ref_ds.GetSpatialRef()) == 1,
        "description": out.GetRasterBand(1).GetDescription(),
    }))


if __name__ == "__main__":
    main()
