"""Independent reference for a one-band result rendered as colour: the expected red, green and blue of every valid
value of the Float32 result ("values") are np.interp of its place between min and max (clamped) over the ramp's
published stops (ColorBrewer's RdYlGn, 11 classes, evenly spaced); the image ("image", read by GDAL as RGB) is compared
over pixels valid in the values. Prints the mean and largest absolute difference over the three channels and the count
of pixels compared."""
import json
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
RAMPS = {
    "rdylgn": ["#a50026", "#d73027", "#f46d43", "#fdae61", "#fee08b", "#ffffbf", "#d9ef8b", "#a6d96a", "#66bd63", "#1a9850", "#006837"],
}
req = json.load(sys.stdin)
values_ds = gdal.Open(req["values"])  # kept: a band outliving its dataset crashes GDAL's bindings
values = values_ds.GetRasterBand(1).ReadAsArray().astype(np.float64)
image = gdal.Open(req["image"])
rgb = np.stack([image.GetRasterBand(b).ReadAsArray().astype(np.float64) for b in (1, 2, 3)])
colours = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in RAMPS[req["ramp"]]]
stops = np.linspace(0, 1, len(colours))
valid = ~np.isnan(values)
place = np.clip((values[valid] - req["min"]) / (req["max"] - req["min"]), 0, 1)
diffs = []
for channel in range(3):
    expected = np.interp(place, stops, [c[channel] for c in colours])
    diffs.append(np.abs(rgb[channel][valid] - expected))
diffs = np.concatenate(diffs)
print(json.dumps({"meanAbsDiff": float(diffs.mean()), "maxAbsDiff": float(diffs.max()), "valid": int(valid.sum()),
                  "size": [image.RasterXSize, image.RasterYSize], "valuesSize": [values.shape[1], values.shape[0]]}))
