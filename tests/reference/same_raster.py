"""Whether two rasters hold the same thing, with GDAL's Python bindings and numpy: size, bands, data types,
geotransform, CRS, nodata, descriptions, scale and offset, metadata (the STATISTICS_* values to 1e-9 relative: they
are sums taken in parallel, in any order), overviews, and every pixel of every band and overview bit for bit (NaN
equal to NaN). The bytes of the files may differ (tiles written in parallel land in any order).
Request on stdin: {"a": path, "b": path}. Prints {"differences": [text, ...]}, empty when they are the same."""
import json
import math
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
req = json.load(sys.stdin)
a, b = gdal.Open(req["a"]), gdal.Open(req["b"])
differences = []


def equal(x, y):
    if isinstance(x, float) and isinstance(y, float):
        return x == y or (math.isnan(x) and math.isnan(y))
    if isinstance(x, (tuple, list)) and isinstance(y, (tuple, list)):
        return len(x) == len(y) and all(equal(u, v) for u, v in zip(x, y))
    return x == y


def same(what, x, y):
    if not equal(x, y):
        differences.append(f"{what}: {x!r} against {y!r}")


def same_metadata(what, x, y):
    same(f"{what} metadata keys", sorted(x), sorted(y))
    for key in set(x) & set(y):
        if key.startswith("STATISTICS_"):
            u, v = float(x[key]), float(y[key])
            if not (u == v or (math.isnan(u) and math.isnan(v)) or abs(u - v) <= 1e-9 * max(abs(u), abs(v))):
                differences.append(f"{what} {key}: {x[key]} against {y[key]}")
        else:
            same(f"{what} {key}", x[key], y[key])


def same_pixels(what, x, y):
    u, v = x.ReadAsArray(), y.ReadAsArray()
    if u.shape != v.shape or u.dtype != v.dtype:
        differences.append(f"{what}: {u.shape} {u.dtype} against {v.shape} {v.dtype}")
    elif not np.array_equal(u, v, equal_nan=u.dtype.kind == "f"):
        differences.append(f"{what}: {int(np.sum(u != v))} pixels differ")


same("size", (a.RasterXSize, a.RasterYSize, a.RasterCount), (b.RasterXSize, b.RasterYSize, b.RasterCount))
same("geotransform", a.GetGeoTransform(), b.GetGeoTransform())
same("CRS", a.GetProjection(), b.GetProjection())
for domain in ("", "IMAGE_STRUCTURE"):
    same_metadata(f"dataset {domain or 'default'}", a.GetMetadata(domain) or {}, b.GetMetadata(domain) or {})
if not differences:
    for i in range(1, a.RasterCount + 1):
        x, y = a.GetRasterBand(i), b.GetRasterBand(i)
        same(f"band {i} type", x.DataType, y.DataType)
        same(f"band {i} nodata", x.GetNoDataValue(), y.GetNoDataValue())
        same(f"band {i} description", x.GetDescription(), y.GetDescription())
        same(f"band {i} scale, offset", (x.GetScale(), x.GetOffset()), (y.GetScale(), y.GetOffset()))
        same_metadata(f"band {i}", x.GetMetadata() or {}, y.GetMetadata() or {})
        same(f"band {i} overviews", x.GetOverviewCount(), y.GetOverviewCount())
        same_pixels(f"band {i}", x, y)
        for o in range(min(x.GetOverviewCount(), y.GetOverviewCount())):
            same_pixels(f"band {i} overview {o + 1}", x.GetOverview(o), y.GetOverview(o))
print(json.dumps({"differences": differences}))
