"""Independent reference for pan-sharpening quality: ERGAS, SAM and Q of fused bands against reference bands on
the same grid, with numpy. Pixels count where every band of both has data; Q (Wang and Bovik, sample
(co)variances) is averaged over the 32 x 32 blocks at multiples of 32 that lie inside the image with data
everywhere. Request: {"fused": path, "reference": [paths], "ratio": l/h}. Prints ergas, sam (degrees), q, rmse."""
import json
import sys

import numpy as np
from raster_values import read_band as read

req = json.load(sys.stdin)
ref = np.stack([read(p, 1) for p in req["reference"]])
fused = np.stack([read(req["fused"], k + 1) for k in range(len(req["reference"]))])
valid = np.all(~np.isnan(ref), axis=0) & np.all(~np.isnan(fused), axis=0)
f, r = fused[:, valid], ref[:, valid]
rmse = np.sqrt(np.mean((f - r) ** 2, axis=1))
ergas = 100 / req["ratio"] * np.sqrt(np.mean((rmse / r.mean(axis=1)) ** 2))
dot, nf, nr = (f * r).sum(axis=0), (f * f).sum(axis=0), (r * r).sum(axis=0)
ok = (nf > 0) & (nr > 0)
sam = np.degrees(np.mean(np.arccos(np.clip(dot[ok] / np.sqrt(nf[ok] * nr[ok]), -1, 1))))

q_sum, blocks = np.zeros(len(ref)), 0
height, width = valid.shape
for y in range(0, height - 31, 32):
    for x in range(0, width - 31, 32):
        if not valid[y:y + 32, x:x + 32].all():
            continue
        qs = []
        for k in range(len(ref)):
            a = ref[k, y:y + 32, x:x + 32].ravel()
            b = fused[k, y:y + 32, x:x + 32].ravel()
            cov = np.cov(a, b)
            denominator = (cov[0, 0] + cov[1, 1]) * (a.mean() ** 2 + b.mean() ** 2)
            qs.append(4 * cov[0, 1] * a.mean() * b.mean() / denominator if denominator > 0 else np.nan)
        if not np.any(np.isnan(qs)):
            q_sum += qs
            blocks += 1
print(json.dumps({"ergas": float(ergas), "sam": float(sam), "q": float(np.mean(q_sum / blocks)), "rmse": rmse.tolist(),
                  "pixels": int(valid.sum())}))
