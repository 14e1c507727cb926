#!/usr/bin/env python3
"""Independent check of the GeoPackage `spaceplan spacemap` writes (OUT/space-map.gpkg).

    python3 scripts/reference/check_geopackage.py OUT [--data DATA_DIR]

Reads OUT/space-map.gpkg with pyogrio / GeoPandas (GDAL as pyogrio bundles it, not the GDAL
spaceplan links) and checks it against the rest of OUT (space-map.geojson, summary.json) and
the input district (DATA_DIR, default GIS/sample):

  layers     buildings, parcels, zones, carriers (MultiPolygon) and enterprises (Point)
  CRS        every layer in EPSG:4547
  index      a gpkg_rtree_index extension per layer, its R-tree holding one entry per geometry
  buildings  the same ids, in the same order, and every property equal (by name and value,
             numbers to 1e-9 relative) to space-map.geojson; shapely area (EPSG:4547) equal to
             footprint_m2 to 0.01 m2; reprojected to WGS84 with pyproj, within 1e-6 degrees
             (Hausdorff distance) of the GeoJSON geometry
  zones      id, name, kind, code and every scalar figure equal to summary.json's zone
  parcels    count and sum of land_area_m2 equal to summary.json's district total; each
             parcel's shapely area equal to its land_area_m2 to 0.01 m2
  carriers   count equal to the input's carrier records
  enterprises count equal to the input's firm records

Prints one line per check and exits 1 on any mismatch (2 on a usage error).
"""

import argparse
import json
import math
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Transformer

REPO = Path(__file__).resolve().parents[2]
WORKING_CRS = "EPSG:4547"
LAYERS = {"buildings": "MultiPolygon", "parcels": "MultiPolygon", "zones": "MultiPolygon",
          "carriers": "MultiPolygon", "enterprises": "Point"}
REL = 1e-9            # numbers compared to this relative tolerance
AREA_M2 = 0.01        # shapely area vs the stated area
HAUSDORFF_DEG = 1e-6  # GeoPackage (reprojected) vs GeoJSON geometry

failures = []


def check(ok, what, detail="", note=""):
    """One line: `what`, with `note` always and `detail` only when the check fails."""
    extra = note if ok else "; ".join(x for x in (detail, note) if x)
    print(f"  {'ok  ' if ok else 'FAIL'} {what}" + (f" ({extra})" if extra else ""))
    if not ok:
        failures.append(what)
    return ok


def is_missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def same_value(a, b):
    """Equal as values: both missing, both numbers within REL, or equal text."""
    if is_missing(a) or is_missing(b):
        return is_missing(a) and is_missing(b)
    numbers = (int, float, np.integer, np.floating)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        a, b = float(a), float(b)
        return a == b or abs(a - b) <= REL * max(abs(a), abs(b))
    return type(a) is type(b) and a == b


def shown(v):
    """A value as it reads in a report (numpy scalars as plain numbers)."""
    return repr(v.item() if isinstance(v, np.generic) else v)


def layer_entries(spec):
    """A manifest layer is one file entry or a list of them (GIS/README.md)."""
    return [] if spec is None else spec if isinstance(spec, list) else [spec]


def input_records(data_dir, spec):
    """How many records a manifest layer holds: CSV rows, or features of a GDAL file."""
    total = 0
    for entry in layer_entries(spec):
        path = data_dir / entry["file"]
        if path.suffix.lower() in (".csv", ".txt"):
            total += len(pd.read_csv(path, dtype=str, keep_default_na=False, encoding=entry.get("encoding", "utf-8")))
        else:
            total += pyogrio.read_info(path, layer=entry.get("layer"))["features"]
    return total


def check_layers(gpkg):
    print("layers, CRS and spatial index")
    found = {str(name): str(kind) for name, kind in pyogrio.list_layers(gpkg)}
    wrong = [f"{name}: {found.get(name, 'missing')}" for name, kind in LAYERS.items() if found.get(name) != kind]
    check(not wrong, "layers " + ", ".join(f"{n} ({k})" for n, k in LAYERS.items()), ", ".join(wrong))
    crs = {name: pyogrio.read_info(gpkg, layer=name)["crs"] for name in LAYERS if name in found}
    wrong = [f"{name}: {c}" for name, c in crs.items() if c != WORKING_CRS]
    check(not wrong, f"every layer in {WORKING_CRS}", ", ".join(wrong))
    with sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True) as db:
        indexed = dict(db.execute("SELECT table_name, column_name FROM gpkg_extensions "
                                  "WHERE extension_name = 'gpkg_rtree_index'").fetchall())
        missing = [name for name in LAYERS if name in found and name not in indexed]
        check(not missing, "every layer has a gpkg_rtree_index extension", f"none for {', '.join(missing)}")
        short = []
        for name, column in indexed.items():
            geometries, entries = (db.execute(q).fetchone()[0] for q in (
                f'SELECT count(*) FROM "{name}" WHERE "{column}" IS NOT NULL',
                f'SELECT count(*) FROM "rtree_{name}_{column}"'))
            if geometries != entries:
                short.append(f"rtree_{name}_{column}: {entries} entries for {geometries} geometries")
        check(not short, "each R-tree holds one entry per geometry", ", ".join(short))


def check_buildings(gpkg, geojson):
    print("buildings vs space-map.geojson")
    g = pyogrio.read_dataframe(gpkg, layer="buildings")
    j = pyogrio.read_dataframe(geojson)
    check(len(g) == len(j), f"{len(g)} buildings", f"space-map.geojson has {len(j)}")
    check(g["id"].is_unique, "building ids are unique")
    same_ids = check(list(g["id"]) == list(j["id"]), "the same ids in the same order",
                     "same set, different order" if set(g["id"]) == set(j["id"]) else
                     f"{len(set(g['id']) - set(j['id']))} only in the GeoPackage, {len(set(j['id']) - set(g['id']))} only in the GeoJSON")
    columns_g, columns_j = set(g.columns) - {"geometry"}, set(j.columns) - {"geometry"}
    check(columns_g == columns_j, f"the same {len(columns_g)} properties",
          f"only in the GeoPackage: {sorted(columns_g - columns_j)}, only in the GeoJSON: {sorted(columns_j - columns_g)}")
    if not same_ids:  # compare the ids both have
        j = j.drop_duplicates("id").set_index("id").reindex(g["id"]).reset_index()
    differ = []
    for column in sorted(columns_g & columns_j):
        bad = [k for k, (a, b) in enumerate(zip(g[column].tolist(), j[column].tolist())) if not same_value(a, b)]
        if bad:
            differ.append(f"{column} in {len(bad)}, first {g['id'][bad[0]]}: {shown(g[column][bad[0]])} vs {shown(j[column][bad[0]])}")
    check(not differ, f"{len(columns_g & columns_j)} properties equal by name and value in every building",
          "; ".join(differ))

    area = shapely.area(g.geometry.values)
    off = np.abs(area - g["footprint_m2"].to_numpy(float))
    worst = int(np.nanargmax(off)) if len(off) else 0
    check(len(off) == 0 or off[worst] <= AREA_M2, f"shapely area = footprint_m2 to {AREA_M2} m2",
          note=f"largest difference {off[worst]:.2e} m2, {g['id'][worst]}" if len(off) else "")

    to_wgs84 = Transformer.from_crs(WORKING_CRS, "EPSG:4326", always_xy=True)
    wgs84 = shapely.transform(g.geometry.values, lambda xy: np.column_stack(to_wgs84.transform(xy[:, 0], xy[:, 1])))
    distance = shapely.hausdorff_distance(wgs84, j.geometry.values)
    worst = int(np.nanargmax(distance)) if len(distance) else 0
    check(len(distance) == 0 or distance[worst] < HAUSDORFF_DEG,
          f"reprojected to WGS84, within {HAUSDORFF_DEG} deg of the GeoJSON geometry (Hausdorff)",
          note=f"largest {distance[worst]:.2e} deg, {g['id'][worst]}" if len(distance) else "")


def check_zones(gpkg, summary):
    print("zones vs summary.json")
    z = pyogrio.read_dataframe(gpkg, layer="zones", read_geometry=False)
    expected = summary["zones"]
    check(len(z) == len(expected), f"{len(z)} zones", f"summary.json has {len(expected)}")
    by_id = {e["id"]: e for e in expected}
    scalars = [k for k, v in expected[0].items() if not isinstance(v, (dict, list))] if expected else []
    missing = [k for k in scalars if k not in z.columns]
    check(not missing, f"every scalar figure of summary.json is a field ({len(scalars) - 4} figures)",
          f"missing {missing}")
    figures = [k for k in scalars if k in z.columns]
    differ = []
    for row in z.to_dict("records"):
        zone = by_id.get(row["id"])
        if zone is None:
            differ.append(f"{row['id']}: not in summary.json")
            continue
        differ += [f"{row['id']} {k}: {shown(row[k])} vs {shown(zone[k])}" for k in figures if not same_value(row[k], zone[k])]
    check(not differ, f"id, name, kind, code and {len(figures) - 4} figures equal summary.json's in every zone",
          f"{len(differ)} differ, first {differ[0]}" if differ else "")


def check_parcels(gpkg, summary):
    print("parcels vs summary.json's district total")
    p = pyogrio.read_dataframe(gpkg, layer="parcels")
    total = summary["total"]
    check(len(p) == total["parcels"], f"{len(p)} parcels", f"summary.json's total says {total['parcels']}")
    land = p["land_area_m2"].to_numpy(float)
    # Each parcel's area is rounded to 0.01 m2 in the layer, the total once: allow n * 0.005.
    slack = 0.005 * len(p) + 0.005
    check(abs(land.sum() - total["land_area_m2"]) <= slack,
          f"land_area_m2 sums to the total's {total['land_area_m2']:,.2f} m2 (to {slack:.2f})",
          note=f"sum {land.sum():,.2f} m2")
    off = np.abs(shapely.area(p.geometry.values) - land)
    worst = int(np.argmax(off)) if len(off) else 0
    check(len(off) == 0 or off[worst] <= AREA_M2, f"shapely area = land_area_m2 to {AREA_M2} m2",
          note=f"largest difference {off[worst]:.2e} m2, {p['id'][worst]}" if len(off) else "")


def check_counts(gpkg, data_dir):
    print(f"carriers and enterprises vs the input ({data_dir})")
    layers = json.loads((data_dir / "layers.json").read_text())["layers"]
    for name in ("carriers", "enterprises"):
        n = pyogrio.read_info(gpkg, layer=name)["features"]
        expected = input_records(data_dir, layers.get(name))
        check(n == expected, f"{n} {name}", f"the input has {expected}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="a spacemap output folder")
    parser.add_argument("--data", type=Path, default=REPO / "GIS" / "sample", help="the district it was run on")
    args = parser.parse_args()
    gpkg = args.out / "space-map.gpkg"
    for path in (gpkg, args.out / "space-map.geojson", args.out / "summary.json", args.data / "layers.json"):
        if not path.is_file():
            print(f"check_geopackage: {path} is missing", file=sys.stderr)
            sys.exit(2)
    print(f"{gpkg} (pyogrio {pyogrio.__version__}, GDAL {pyogrio.__gdal_version_string__})")
    summary = json.loads((args.out / "summary.json").read_text())
    check_layers(gpkg)
    check_buildings(gpkg, args.out / "space-map.geojson")
    check_zones(gpkg, summary)
    check_parcels(gpkg, summary)
    check_counts(gpkg, args.data)
    if failures:
        print(f"FAIL: {len(failures)} check(s) failed: " + "; ".join(failures))
        sys.exit(1)
    print("PASS: space-map.gpkg agrees with space-map.geojson, summary.json and the input")


if __name__ == "__main__":
    main()
