/* The floor: what libgdal alone costs for NDVI on this machine. Two threads, one dataset handle per thread
 * per input, 512 x 512 blocks read as Float32, NDVI with nodata 0 -> NaN, written as Float32 to a tiled
 * GeoTIFF created by the main thread and written under a mutex (GDAL datasets are not thread-safe).
 * Usage: ndvi_floor NIR RED OUT. Prototypes are declared here so that no GDAL headers are needed. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef void *H;
extern void GDALAllRegister(void);
extern H GDALOpen(const char *, int);
extern void GDALClose(H);
extern int GDALGetRasterXSize(H), GDALGetRasterYSize(H);
extern H GDALGetRasterBand(H, int);
extern int GDALRasterIO(H, int, int, int, int, int, void *, int, int, int, int, int);
extern H GDALGetDriverByName(const char *);
extern H GDALCreate(H, const char *, int, int, int, int, char **);
extern int GDALGetGeoTransform(H, double *), GDALSetGeoTransform(H, double *);
extern const char *GDALGetProjectionRef(H);
extern int GDALSetProjection(H, const char *);
extern void GDALSetCacheMax64(long long);

enum { BLOCK = 512, FLOAT32 = 6 };
static const char *nir_path, *red_path;
static H out_band;
static int width, height, cols, rows, next_block;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *arg) {
    (void)arg;
    H nir = GDALOpen(nir_path, 0), red = GDALOpen(red_path, 0);
    H nb = GDALGetRasterBand(nir, 1), rb = GDALGetRasterBand(red, 1);
    float *n = malloc(sizeof(float) * BLOCK * BLOCK), *r = malloc(sizeof(float) * BLOCK * BLOCK);
    for (;;) {
        int i = __sync_fetch_and_add(&next_block, 1);
        if (i >= cols * rows) break;
        int x = i % cols * BLOCK, y = i / cols * BLOCK;
        int w = width - x < BLOCK ? width - x : BLOCK, h = height - y < BLOCK ? height - y : BLOCK;
        GDALRasterIO(nb, 0, x, y, w, h, n, w, h, FLOAT32, 0, 0);
        GDALRasterIO(rb, 0, x, y, w, h, r, w, h, FLOAT32, 0, 0);
        for (int k = 0; k < w * h; k++) {
            float s = n[k] + r[k];
            n[k] = (n[k] == 0 || r[k] == 0 || s == 0) ? NAN : (n[k] - r[k]) / s;
        }
        pthread_mutex_lock(&lock);
        GDALRasterIO(out_band, 1, x, y, w, h, n, w, h, FLOAT32, 0, 0);
        pthread_mutex_unlock(&lock);
    }
    free(n); free(r); GDALClose(nir); GDALClose(red);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: ndvi_floor NIR RED OUT\n"); return 2; }
    nir_path = argv[1]; red_path = argv[2];
    GDALAllRegister();
    if (!getenv("GDAL_CACHEMAX")) GDALSetCacheMax64(64LL << 20);
    H nir = GDALOpen(nir_path, 0);
    if (!nir) return 1;
    width = GDALGetRasterXSize(nir); height = GDALGetRasterYSize(nir);
    cols = (width + BLOCK - 1) / BLOCK; rows = (height + BLOCK - 1) / BLOCK;
    char *options[] = {"TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512", "BIGTIFF=IF_SAFER", NULL};
    H out = GDALCreate(GDALGetDriverByName("GTiff"), argv[3], width, height, 1, FLOAT32, options);
    double gt[6];
    GDALGetGeoTransform(nir, gt); GDALSetGeoTransform(out, gt);
    GDALSetProjection(out, GDALGetProjectionRef(nir));
    GDALClose(nir);
    out_band = GDALGetRasterBand(out, 1);
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    GDALClose(out);
    return 0;
}
