// How long GDAL (the one spaceplan links) takes to write N points to a GeoPackage the way
// VectorFileWriter did before GeoPackageWriter replaced it: one transaction, SPATIAL_INDEX=YES or
// NO, into /vsimem or a file; the spatial index is built when the dataset is closed.
//
//   cc -O2 -o bench/out/gpkg_write_points bench/gpkg_write_points.c $(pkg-config --cflags --libs gdal)
//   bench/out/gpkg_write_points /vsimem/x.gpkg 1500000 YES
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
  const char *path = argv[1]; int n = atoi(argv[2]); const char *index = argv[3];
  GDALAllRegister();
  double t0 = now();
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GPKG"), path, 0, 0, 0, GDT_Unknown, NULL);
  OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL); OSRImportFromEPSG(srs, 4547);
  char **opts = CSLSetNameValue(NULL, "SPATIAL_INDEX", index);
  OGRLayerH l = GDALDatasetCreateLayer(ds, "enterprises", srs, wkbPoint, opts);
  const char *names[] = {"id", "name", "sector", "building_id", "match"};
  for (int i = 0; i < 5; i++) { OGRFieldDefnH f = OGR_Fld_Create(names[i], OFTString); OGR_L_CreateField(l, f, 1); OGR_Fld_Destroy(f); }
  OGRFieldDefnH f = OGR_Fld_Create("distance_m", OFTReal); OGR_L_CreateField(l, f, 1); OGR_Fld_Destroy(f);
  GDALDatasetStartTransaction(ds, 0);
  char buf[64];
  unsigned s = 7;
  for (int k = 0; k < n; k++) {
    OGRFeatureH ft = OGR_F_Create(OGR_L_GetLayerDefn(l));
    snprintf(buf, sizeof buf, "E%08d", k); OGR_F_SetFieldString(ft, 0, buf);
    OGR_F_SetFieldString(ft, 1, "\xe6\x98\x9f\xe6\xb2\xb3\xe7\xa7\x91\xe6\x8a\x80\xe6\x9c\x89\xe9\x99\x90\xe5\x85\xac\xe5\x8f\xb8 1");
    OGR_F_SetFieldString(ft, 2, "ai"); snprintf(buf, sizeof buf, "B%07d", k / 3); OGR_F_SetFieldString(ft, 3, buf);
    OGR_F_SetFieldString(ft, 4, "inside"); OGR_F_SetFieldDouble(ft, 5, 0);
    s = s * 1103515245u + 12345u; double x = 497500 + (s % 57000); s = s * 1103515245u + 12345u; double y = 2489500 + (s % 32000);
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint); OGR_G_SetPoint_2D(g, 0, x + k * 1e-6, y);
    OGR_F_SetGeometryDirectly(ft, g);
    if (OGR_L_CreateFeature(l, ft) != OGRERR_NONE) { fprintf(stderr, "feature %d not written\n", k); return 1; }
    OGR_F_Destroy(ft);
  }
  GDALDatasetCommitTransaction(ds);
  double t1 = now();
  GDALClose(ds);
  double t2 = now();
  printf("%s index=%s n=%d: features %.1f s, close (index) %.1f s, total %.1f s\n", path, index, n, t1 - t0, t2 - t1, t2 - t0);
  return 0;
}
