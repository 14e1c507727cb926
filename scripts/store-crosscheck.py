#!/usr/bin/env python3
"""Independent check of a district store (`spaceplan store import`) against the data folder it came from.

    python3 scripts/store-crosscheck.py STORE.gpkg DATA_DIR
    python3 scripts/store-crosscheck.py 'postgresql://user@/db?host=/var/run/postgresql&schema=NAME' DATA_DIR

Reads the store's layers with GeoPandas (pyogrio, with the GDAL pyogrio bundles, not the
GDAL or SQLite spaceplan links) and the source files named by DATA_DIR/layers.json with
GeoPandas and pandas, reprojects with pyproj and measures with shapely, and checks:

  layers      zones, parcels, buildings (MultiPolygon), enterprises (Point), roads (any
              geometry), carriers (an attribute table); every feature layer in EPSG:4547;
              each layer's columns: id, its fields, source_index, version, in that order
  records     per layer, the same count and the same ids in the same order as the source;
              source_index = the record's place in its file; version 1 everywhere
  attributes  every field equal to the source's exactly (numbers as IEEE doubles, no
              tolerance), with the reading rules of GIS/README.md: a building without gfa_m2
              gets floors x footprint_m2 and gfa_derived 1, vacant_m2 0 when missing; a
              parcel's land_area_m2 in the file is its recorded_land_area_m2; a carrier's
              level "none" and operator "" when missing, vacant_m2 = floor_area_m2 -
              occupied_m2, status "open"; lists (building_ids, flags) joined by ";"
  areas       footprint_m2 (buildings) and land_area_m2 (parcels) = shapely area of the stored
              geometry to AREA_STORED_M2; and = shapely area of the source geometry reprojected
              EPSG:4326 -> EPSG:4547 with pyproj (GeoPandas to_crs) to AREA_SOURCE_REL
              relative; an invalid source polygon (a bow-tie) is compared after shapely's
              make_valid, as the loader repairs it (the count of such polygons is printed)
  vertices    zones, parcels, buildings: every stored vertex = the reprojected source vertex
              (valid polygons), to VERTEX_M
  points      enterprises: NULL exactly where the source has no lon/lat (placed by
              building_id); otherwise the GCJ-02 lon/lat taken to WGS84 with the independent
              inverse in scripts/reference/chinese_offsets.py, then to EPSG:4547 with pyproj,
              within POINT_M of the stored point
  ogrinfo     `ogrinfo -so -al STORE` (gdal-bin: the system GDAL) reports the same feature
              counts; any warning GDAL prints on opening the store is shown as a note
  validate    GDAL's validate_gpkg.py -k --extra passes, when python3-gdal's copy is found
              (skipped with the reason otherwise); its messages are printed as they are
  read_postgis  (a PostGIS store) GeoPandas read_postgis over psycopg gives the buildings with the
              same ids in the same order, and footprint_m2 = shapely's area to AREA_STORED_M2

A PostGIS store is read by pyogrio and ogrinfo through GDAL's PostgreSQL driver
(PG:dbname=… schemas=NAME, with PG_LIST_ALL_TABLES for the attribute table); validate_gpkg.py is for GeoPackages only.

Tolerances (each check prints the largest difference it found):
  AREA_STORED_M2 = 1e-6 m2: spaceplan computes the area with GEOS on the very coordinates
      it stores, and shapely's GEOS uses the same shoelace sum relative to the first vertex;
      the two agree to the last bits (0 observed), so 1e-6 m2 only absorbs summation order.
  AREA_SOURCE_REL = 1e-9 relative: both sides project with PROJ's transverse Mercator
      (EPSG:4547 = tmerc lon_0=114, GRS80, ballpark WGS84 -> CGCS2000) in double precision,
      so vertices agree to ~1 ulp (~5e-10 m at 2.5e6 m; 0 observed) and a footprint's area
      to ~1e-12 relative. Real errors are far larger: a wrong scale factor or projection
      (UTM's k = 0.9996 moves areas by 8e-4), a lost hole or part, an unrepaired bow-tie.
  VERTEX_M = 1e-6 m, for the same reason (a micrometre, three orders above the ulp).
  POINT_M = 5e-5 m: spaceplan's GCJ-02 inverse stops once its forward image is within 1e-10
      degree per axis (<= 1.1e-5 m per axis, 1.6e-5 m combined); the reference iterates to
      1e-12 degree. A one-step (published approximate) inverse would be off by ~1 m, a
      forgotten GCJ-02 offset by ~500 m.

Reads plain manifests only: one file per layer, GeoJSON (or any file GeoPandas reads) for
zones, parcels and buildings, CSV for carriers and enterprises, no "fields"/"defaults".
Prints one line per check and exits 1 on any mismatch (2 on a usage error).
"""

import importlib.util
import json
import math
import re
import shutil
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely
from pyproj import Transformer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts" / "reference"))
import chinese_offsets  # noqa: E402  (the independent GCJ-02 formulas of the reference fixtures)

WORKING_CRS = "EPSG:4547"
AREA_STORED_M2 = 1e-6
AREA_SOURCE_REL = 1e-9
VERTEX_M = 1e-6
POINT_M = 5e-5

# Each layer's columns in table order (without fid and geom), and its geometry type as pyogrio names it.
COLUMNS = {
    "zones": ["name", "kind", "code"],
    "parcels": ["land_use", "recorded_land_area_m2", "far_cap", "height_cap_m", "tenure_start", "tenure_end",
                "supply_mode", "land_area_m2"],
    "buildings": ["floors", "height_m", "gfa_m2", "gfa_derived", "use", "year_built", "condition", "vacant_m2",
                  "footprint_m2"],
    "carriers": ["name", "type", "level", "operator", "floor_area_m2", "occupied_m2", "vacant_m2", "building_ids",
                 "unit_m2", "rent_yuan_m2_month", "status"],
    "enterprises": ["name", "sector", "flags", "employees", "floor_area_m2", "building_id", "carrier_id"],
    "roads": [],
}
GEOMETRY = {"zones": "MultiPolygon", "parcels": "MultiPolygon", "buildings": "MultiPolygon",
            "enterprises": "Point", "roads": "Unknown", "carriers": None}
POLYGON_LAYERS = ["zones", "parcels", "buildings"]
TABLE_LAYERS = ["carriers", "enterprises"]

failures = []
gdal_warnings = []  # what GDAL said while pyogrio read the store, shown once


def check(ok, what, detail="", note=""):
    """One line: `what`, with `note` always and `detail` only when the check fails."""
    extra = note if ok else "; ".join(x for x in (detail, note) if x)
    print(f"  {'ok  ' if ok else 'FAIL'} {what}" + (f" ({extra})" if extra else ""))
    if not ok:
        failures.append(what)
    return ok


def skip(what, reason):
    print(f"  skip {what} ({reason})")


def info(text):
    print(f"  note {text}")


def usage_error(text):
    print(f"store-crosscheck: {text}", file=sys.stderr)
    sys.exit(2)


# MARK: - Values

def is_missing(v):
    return v is None or (isinstance(v, (float, np.floating)) and math.isnan(v)) or v is pd.NA


def plain(v):
    """A value as Python holds it: None, a float (every number: the store's REAL and INTEGER
    columns come back from pyogrio as int64 or, with NULLs, as float64), or text."""
    if is_missing(v):
        return None
    if isinstance(v, (bool, np.bool_)):
        return float(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    return v


def number(text):
    """A number of a CSV or GeoJSON field as the source holds it (text, int, float or nothing)."""
    if is_missing(text):
        return None
    if isinstance(text, str):
        text = text.strip()
        return float(text) if text else None
    return float(text)


def text_or_none(v):
    if is_missing(v):
        return None
    v = str(v).strip()
    return v or None


def joined(v):
    """A ";"-separated list as the store writes it: trimmed items, empty ones dropped."""
    return ";".join(x.strip() for x in ("" if is_missing(v) else str(v)).split(";") if x.strip())


def shown(v):
    return repr(v.item() if isinstance(v, np.generic) else v)


def compare_fields(layer, ids, stored, expected):
    """Each field in `expected` (name -> list) equal to the stored column, value for value."""
    differ = []
    for field, want in expected.items():
        got = [plain(v) for v in stored[field].tolist()]
        want = [plain(v) for v in want]
        bad = [k for k, (a, b) in enumerate(zip(got, want)) if not (a == b and type(a) is type(b))]
        if bad:
            k = bad[0]
            differ.append(f"{field} in {len(bad)}, first {ids[k]}: stored {shown(got[k])}, source {shown(want[k])}")
    check(not differ, f"{layer}: {len(expected)} fields equal the source's exactly in all {len(ids)} records "
                      f"({', '.join(expected)})", "; ".join(differ))


# MARK: - Reading

def quietly(read, *args, **kwargs):
    """Calls a pyogrio reader, keeping the warnings GDAL gives (printed once, at the end)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read(*args, **kwargs)
    for w in caught:
        if str(w.message) not in gdal_warnings:
            gdal_warnings.append(str(w.message))
    return result


POSTGIS = None  # (connection URL without schema=, schema) when the store is in PostGIS


def read_store(store, layer):
    """A store layer: through pyogrio for a GeoPackage; read_postgis (psycopg) for PostGIS, whose
    driver pyogrio's wheels lack."""
    if POSTGIS is None:
        return quietly(gpd.read_file, store, layer=layer, engine="pyogrio")
    import psycopg
    connection, schema = POSTGIS
    columns = ["id"] + COLUMNS.get(layer, []) + ["source_index", "version"]
    select = ", ".join(f'"{c}"' for c in columns)
    with psycopg.connect(connection) as db:
        if GEOMETRY[layer] is None:
            rows = db.execute(f'SELECT {select} FROM "{schema}"."{layer}" ORDER BY fid').fetchall()
            return pd.DataFrame(rows, columns=columns)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="pandas only supports SQLAlchemy")  # psycopg's connection works
            return gpd.read_postgis(f'SELECT {select}, geom FROM "{schema}"."{layer}" ORDER BY fid', db, geom_col="geom")


def store_info(store, layer):
    """A store layer's CRS, fields (without fid and geom) and feature count."""
    if POSTGIS is None:
        return quietly(pyogrio.read_info, store, layer=layer)
    import psycopg
    connection, schema = POSTGIS
    with psycopg.connect(connection) as db:
        fields = [r[0] for r in db.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND "
                                            "table_name = %s AND column_name NOT IN ('fid', 'geom') ORDER BY ordinal_position",
                                            (schema, layer))]
        srid = db.execute("SELECT srid FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = %s", (schema, layer)).fetchone()
        count = db.execute(f'SELECT count(*) FROM "{schema}"."{layer}"').fetchone()[0]
    return {"crs": f"EPSG:{srid[0]}" if srid else None, "fields": fields, "features": count}


def store_layers(store):
    """(name, geometry type) of every layer pyogrio (or PostGIS's geometry_columns) lists."""
    if POSTGIS is None:
        return quietly(pyogrio.list_layers, store)
    import psycopg
    connection, schema = POSTGIS
    kinds = {"MULTIPOLYGON": "MultiPolygon", "POINT": "Point", "GEOMETRY": "Unknown"}
    with psycopg.connect(connection) as db:
        tables = [r[0] for r in db.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,))]
        typed = dict(db.execute("SELECT f_table_name, type FROM geometry_columns WHERE f_table_schema = %s", (schema,)).fetchall())
    return [(t, kinds.get(typed[t], typed[t]) if t in typed else None) for t in tables]


def manifest_entry(data_dir, layers, name):
    spec = layers.get(name)
    if spec is None:
        return None
    if isinstance(spec, list):
        usage_error(f"layers.json names several files for {name}: this check reads one file per layer")
    if "fields" in spec or "defaults" in spec:
        usage_error(f"layers.json maps fields or gives defaults for {name}: this check reads plain manifests")
    return spec


def source_crs(spec, default):
    text = (spec.get("crs") or default).strip().upper().replace("-", "").replace("_", "")
    if text in ("WGS84", "CRS84", "EPSG:4326"):
        return "EPSG:4326"
    if text in ("GCJ02", "GCJ", "AMAP", "TENCENT"):
        return "GCJ-02"
    if text.startswith("EPSG:"):
        return text
    usage_error(f"crs {spec.get('crs')!r}: this check reads WGS84, GCJ-02 or EPSG:n")


def read_polygons(data_dir, spec):
    frame = gpd.read_file(data_dir / spec["file"], layer=spec.get("layer"), engine="pyogrio")
    crs = source_crs(spec, frame.crs.to_string() if frame.crs is not None else "WGS84")
    if crs == "GCJ-02":
        usage_error(f"{spec['file']}: polygons in GCJ-02 are not read by this check")
    return frame.set_crs(crs, allow_override=True)


def read_csv(data_dir, spec):
    return pd.read_csv(data_dir / spec["file"], dtype=str, keep_default_na=False, encoding=spec.get("encoding", "utf-8"))


# MARK: - Checks

def check_layers(store):
    print(f"layers, CRS and columns ({store})")
    found = {str(name): str(kind) for name, kind in store_layers(store)}
    wrong = [f"{name}: {found.get(name, 'missing')}" for name, kind in GEOMETRY.items()
             if found.get(name, "missing") != str(kind)]
    check(not wrong, "layers " + ", ".join(f"{n} ({k or 'attributes'})" for n, k in GEOMETRY.items()), ", ".join(wrong))
    wrong = []
    for name, kind in GEOMETRY.items():
        if kind is None or name not in found:
            continue
        crs = store_info(store, name)["crs"]
        if crs != WORKING_CRS:
            wrong.append(f"{name}: {crs}")
    check(not wrong, f"every feature layer in {WORKING_CRS}", ", ".join(wrong))
    wrong = []
    for name, fields in COLUMNS.items():
        if name not in found:
            continue
        have = list(store_info(store, name)["fields"])
        want = ["id"] + fields + ["source_index", "version"]
        if have != want:
            wrong.append(f"{name}: {have}")
    check(not wrong, "each layer's columns: id, its fields, source_index, version",
          "; ".join(wrong), note=f"{sum(len(f) + 3 for f in COLUMNS.values())} columns in {len(COLUMNS)} layers")


def check_records(layer, stored, source_ids):
    """Count, ids in order, source_index = place in the file, version 1."""
    ids = [str(x) for x in stored["id"]]
    want = [str(x) for x in source_ids]
    check(len(ids) == len(want), f"{layer}: {len(ids)} records", f"the source has {len(want)}")
    if ids != want:
        only_store, only_source = set(ids) - set(want), set(want) - set(ids)
        first = next((k for k, (a, b) in enumerate(zip(ids, want)) if a != b), min(len(ids), len(want)))
        check(False, f"{layer}: the same ids in the same order",
              "same ids, another order" if not only_store and not only_source else
              f"{len(only_store)} only in the store, {len(only_source)} only in the source",
              f"first difference at record {first}")
        return False
    check(True, f"{layer}: the same ids in the same order")
    index = stored["source_index"].to_numpy()
    check(np.array_equal(index, np.arange(len(ids))), f"{layer}: source_index = the record's place in its file",
          f"{int(np.sum(index != np.arange(len(ids))))} differ")
    versions = stored["version"].to_numpy()
    check(bool(np.all(versions == 1)), f"{layer}: version 1 in every record", f"{int(np.sum(versions != 1))} are not")
    return True


def vertex_difference(stored, reference):
    """Largest coordinate difference between two geometries with the same vertices, or None
    when their vertex counts differ."""
    a, b = shapely.get_coordinates(stored), shapely.get_coordinates(reference)
    return None if len(a) != len(b) else (float(np.abs(a - b).max()) if len(a) else 0.0)


def check_polygons(layer, stored, source, area_field):
    """Areas against the stored geometry and the reprojected source; vertices against the source."""
    geoms = stored.geometry.values
    projected = source.to_crs(WORKING_CRS).geometry.values
    invalid = ~shapely.is_valid(projected)
    # An invalid source polygon is repaired by the loader (make-valid, its polygonal part):
    # the reference is shapely's make_valid of the same projected polygon.
    reference = projected.copy()
    for k in np.flatnonzero(invalid):
        repaired = shapely.make_valid(projected[k])
        parts = [g for g in getattr(repaired, "geoms", [repaired]) if g.geom_type in ("Polygon", "MultiPolygon")]
        reference[k] = shapely.union_all(parts) if parts else repaired
    if area_field:
        stated = stored[area_field].to_numpy(float)
        off = np.abs(shapely.area(geoms) - stated)
        worst = int(np.argmax(off))
        check(off[worst] <= AREA_STORED_M2, f"{layer}: {area_field} = shapely area of the stored geometry to {AREA_STORED_M2:g} m2",
              note=f"largest difference {off[worst]:.3g} m2, {stored['id'][worst]}")
        source_area = shapely.area(reference)
        rel = np.abs(source_area - stated) / np.maximum(np.abs(stated), 1e-300)
        worst = int(np.argmax(rel))
        check(rel[worst] <= AREA_SOURCE_REL,
              f"{layer}: {area_field} = area of the source reprojected EPSG:4326 -> {WORKING_CRS} (pyproj) "
              f"to {AREA_SOURCE_REL:g} relative",
              note=f"largest difference {rel[worst]:.3g} relative, {abs(source_area[worst] - stated[worst]):.3g} m2, "
                   f"{stored['id'][worst]}; {int(invalid.sum())} invalid source polygon(s) compared after make_valid")
    worst_vertex, worst_id, unlike = 0.0, None, []
    for k in range(len(geoms)):
        if invalid[k]:
            # Two make-valids may order parts and start rings differently: compare normalized
            # shapes, or by Hausdorff distance if their vertex counts differ.
            d = vertex_difference(shapely.normalize(geoms[k]), shapely.normalize(reference[k]))
            if d is None:
                d = shapely.hausdorff_distance(geoms[k], reference[k])
        else:
            d = vertex_difference(geoms[k], reference[k])
            if d is None:
                d = math.inf
                unlike.append(str(stored["id"][k]))
        if d > worst_vertex:
            worst_vertex, worst_id = d, stored["id"][k]
    check(worst_vertex <= VERTEX_M and not unlike,
          f"{layer}: every stored vertex = the reprojected source vertex to {VERTEX_M:g} m "
          f"(repaired ones: normalized)",
          f"{len(unlike)} valid polygon(s) with other vertices, first {unlike[0]}" if unlike else "",
          note=f"largest {worst_vertex:.3g} m" + (f", {worst_id}" if worst_id is not None else ""))


def check_zones(store, data_dir, layers):
    spec = manifest_entry(data_dir, layers, "zones")
    print(f"zones vs {spec['file']}")
    stored, source = read_store(store, "zones"), read_polygons(data_dir, spec)
    if not check_records("zones", stored, source["id"]):
        return
    ids = list(stored["id"])
    compare_fields("zones", ids, stored, {
        "name": [text_or_none(v) for v in source["name"]],
        "kind": [text_or_none(v) for v in source["kind"]],
        "code": [text_or_none(v) for v in source["code"]] if "code" in source else [None] * len(source),
    })
    check_polygons("zones", stored, source, None)


def check_parcels(store, data_dir, layers):
    spec = manifest_entry(data_dir, layers, "parcels")
    print(f"parcels vs {spec['file']}")
    stored, source = read_store(store, "parcels"), read_polygons(data_dir, spec)
    if not check_records("parcels", stored, source["id"]):
        return
    column = lambda name, f: [f(v) for v in source[name]] if name in source else [None] * len(source)  # noqa: E731
    compare_fields("parcels", list(stored["id"]), stored, {
        "land_use": column("land_use", text_or_none),
        "recorded_land_area_m2": column("land_area_m2", number),
        "far_cap": column("far_cap", number),
        "height_cap_m": column("height_cap_m", number),
        "tenure_start": column("tenure_start", number),
        "tenure_end": column("tenure_end", number),
        "supply_mode": column("supply_mode", text_or_none),
    })
    check_polygons("parcels", stored, source, "land_area_m2")


def check_buildings(store, data_dir, layers):
    spec = manifest_entry(data_dir, layers, "buildings")
    print(f"buildings vs {spec['file']}")
    stored, source = read_store(store, "buildings"), read_polygons(data_dir, spec)
    if not check_records("buildings", stored, source["id"]):
        return
    n = len(source)
    column = lambda name, f: [f(v) for v in source[name]] if name in source else [None] * n  # noqa: E731
    floors = column("floors", number)
    recorded = column("gfa_m2", number)
    footprint = stored["footprint_m2"].to_numpy(float)  # checked against the geometry below
    # Without a recorded GFA: floors x footprint, the same IEEE product as spaceplan's.
    gfa = [g if g is not None else f * float(a) for g, f, a in zip(recorded, floors, footprint)]
    compare_fields("buildings", list(stored["id"]), stored, {
        "floors": floors,
        "height_m": column("height_m", number),
        "gfa_m2": gfa,
        "gfa_derived": [0.0 if g is not None else 1.0 for g in recorded],
        "use": column("use", text_or_none),
        "year_built": column("year_built", number),
        "condition": column("condition", text_or_none),
        "vacant_m2": [v if v is not None else 0.0 for v in column("vacant_m2", number)],
    })
    info(f"buildings: {sum(g is None for g in recorded)} without a recorded gfa_m2 (gfa_m2 = floors x footprint_m2, gfa_derived 1)")
    check_polygons("buildings", stored, source, "footprint_m2")


def check_carriers(store, data_dir, layers):
    spec = manifest_entry(data_dir, layers, "carriers")
    print(f"carriers vs {spec['file']}")
    stored, source = read_store(store, "carriers"), read_csv(data_dir, spec)
    if not check_records("carriers", stored, [v.strip() for v in source["id"]]):
        return
    n = len(source)
    column = lambda name, f: [f(v) for v in source[name]] if name in source else [f(None)] * n  # noqa: E731
    area, occupied = column("floor_area_m2", number), column("occupied_m2", number)
    compare_fields("carriers", list(stored["id"]), stored, {
        "name": column("name", text_or_none),
        "type": column("type", text_or_none),
        "level": [v or "none" for v in column("level", text_or_none)],
        "operator": [v or "" for v in column("operator", text_or_none)],
        "floor_area_m2": area,
        "occupied_m2": occupied,
        "vacant_m2": [a - o for a, o in zip(area, occupied)],
        "building_ids": column("building_ids", joined),
        "unit_m2": column("unit_m2", number),
        "rent_yuan_m2_month": column("rent_yuan_m2_month", number),
        "status": ["open"] * n,
    })
    info(f"carriers: {sum(area):,.0f} m2 of floor area, {sum(occupied):,.0f} m2 occupied in the source; "
         f"{stored['floor_area_m2'].sum():,.0f} and {stored['occupied_m2'].sum():,.0f} m2 in the store")


def check_enterprises(store, data_dir, layers):
    spec = manifest_entry(data_dir, layers, "enterprises")
    print(f"enterprises vs {spec['file']}")
    stored, source = read_store(store, "enterprises"), read_csv(data_dir, spec)
    if not check_records("enterprises", stored, [v.strip() for v in source["id"]]):
        return
    n = len(source)
    column = lambda name, f: [f(v) for v in source[name]] if name in source else [f(None)] * n  # noqa: E731
    compare_fields("enterprises", list(stored["id"]), stored, {
        "name": [v or "" for v in column("name", text_or_none)],
        "sector": [v or "" for v in column("sector", text_or_none)],
        "flags": column("flags", joined),
        "employees": [v if v is not None else 0.0 for v in column("employees", number)],
        "floor_area_m2": column("floor_area_m2", number),
        "building_id": column("building_id", text_or_none),
        "carrier_id": [None] * n,
    })

    lon, lat = column("lon", number), column("lat", number)
    placed = np.array([x is not None and y is not None for x, y in zip(lon, lat)])
    null = stored.geometry.isna().to_numpy() | stored.geometry.is_empty.to_numpy()
    check(np.array_equal(null, ~placed),
          f"enterprises: a NULL point exactly where the source has no lon/lat ({int((~placed).sum())} placed by building_id)",
          f"{int((null & placed).sum())} NULL with lon/lat, {int((~null & ~placed).sum())} with a point and no lon/lat")
    crs = source_crs(spec, "WGS84")
    x = np.array([v for v, p in zip(lon, placed) if p], float)
    y = np.array([v for v, p in zip(lat, placed) if p], float)
    if crs == "GCJ-02":
        x, y = chinese_offsets.gcj02_to_wgs84_exact_array(x, y)
        crs = "EPSG:4326"
    ex, ey = Transformer.from_crs(crs, WORKING_CRS, always_xy=True).transform(x, y)
    points = stored.geometry.values[placed & ~null]
    if len(points) != len(ex):
        check(False, "enterprises: each point = the source's lon/lat in EPSG:4547", "NULL points differ, see above")
        return
    d = np.hypot(shapely.get_x(points) - ex, shapely.get_y(points) - ey)
    worst = int(np.argmax(d)) if len(d) else 0
    ids = np.asarray(stored["id"])[placed & ~null]
    check(len(d) == 0 or d[worst] <= POINT_M,
          f"enterprises: each point = the source's {source_crs(spec, 'WGS84')} lon/lat -> WGS84 (chinese_offsets.py) "
          f"-> {WORKING_CRS} (pyproj) to {POINT_M:g} m",
          note=f"{len(d)} points, largest distance {d[worst]:.3g} m, {ids[worst]}" if len(d) else "no points")


def check_roads(store, data_dir, layers):
    print("roads")
    stored = read_store(store, "roads")
    if layers.get("roads") is None:
        check(len(stored) == 0, f"roads: {len(stored)} records (layers.json names no roads)")
    else:
        info(f"roads: {len(stored)} records; layers.json names roads (not compared: only its lines are kept)")
    return len(stored)


def check_ogrinfo(store, counts):
    print("ogrinfo -so -al (the system GDAL)")
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        check(False, "ogrinfo reports the same feature counts", "ogrinfo is not on the PATH (Debian's gdal-bin)")
        return
    # GDAL's PostgreSQL driver lists tables without a geometry column (carriers) only when asked.
    listing = ["--config", "PG_LIST_ALL_TABLES", "YES"] if str(store).startswith("PG:") else []
    r = subprocess.run([ogrinfo, *listing, "-so", "-al", str(store)], capture_output=True, text=True)
    version = subprocess.run([ogrinfo, "--version"], capture_output=True, text=True).stdout.strip()
    if r.returncode != 0:
        check(False, "ogrinfo -so -al opens the store", f"exit {r.returncode}: {r.stderr.strip()}")
        return
    reported, layer = {}, None
    for line in r.stdout.splitlines():
        if m := re.match(r"Layer name: (.+)$", line):
            layer = m.group(1).strip()
        elif (m := re.match(r"Feature Count: (-?\d+)$", line)) and layer:
            reported[layer] = int(m.group(1))
    wrong = [f"{name}: ogrinfo {reported.get(name, 'no layer')}, expected {n}" for name, n in counts.items()
             if reported.get(name) != n]
    check(not wrong, "ogrinfo reports the same feature counts: " + ", ".join(f"{n} {name}" for name, n in counts.items()),
          "; ".join(wrong), note=version)
    others = {k: v for k, v in reported.items() if k not in counts}
    if others:
        info("ogrinfo also lists " + ", ".join(f"{k} ({v})" for k, v in others.items()))
    for line in dict.fromkeys(x for x in r.stderr.splitlines() if x.strip()):
        info(f"ogrinfo said: {line}")


def find_validate_gpkg():
    """python3-gdal's validate_gpkg.py and a Python to run it with (one importing osgeo, if any)."""
    spec = importlib.util.find_spec("osgeo_utils.samples.validate_gpkg") if importlib.util.find_spec("osgeo_utils") else None
    path = Path(spec.origin) if spec and spec.origin else None
    debian = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
    if path is None and debian.is_file():
        path = debian
    if path is None:
        return None, None
    python = sys.executable
    if importlib.util.find_spec("osgeo") is None and Path("/usr/bin/python3").is_file():
        r = subprocess.run(["/usr/bin/python3", "-c", "import osgeo"], capture_output=True)
        if r.returncode == 0:
            python = "/usr/bin/python3"
    return path, python


def check_validate_gpkg(store):
    print("GDAL's validate_gpkg.py")
    path, python = find_validate_gpkg()
    if path is None:
        skip("validate_gpkg.py passes", "not found: Debian's python3-gdal installs "
             "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
        return
    r = subprocess.run([python, str(path), "-k", "--extra", str(store)], capture_output=True, text=True)
    said = [x for x in (r.stdout + r.stderr).splitlines() if x.strip()]
    check(r.returncode == 0, f"validate_gpkg.py -k --extra passes (exit {r.returncode}, {len(said)} message(s))",
          note=f"{path}, run by {python}")
    for line in said:
        info(f"validate_gpkg.py said: {line}")
    # What it was shown beside the GeoPackage tables: the store's own tables and triggers.
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        registered = {r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")}
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                  if not r[0].startswith(("gpkg_", "rtree_", "sqlite_")) and r[0] not in registered]
        triggers = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")]
        extensions = db.execute("SELECT extension_name, scope FROM gpkg_extensions "
                                "WHERE extension_name NOT LIKE 'gpkg_%' ORDER BY extension_name").fetchall()
    store_triggers = [t for t in triggers if not t.startswith("rtree_")]
    info(f"the file also holds {len(tables)} unregistered tables ({', '.join(tables)}), "
         f"{len(store_triggers)} store triggers beside {len(triggers) - len(store_triggers)} R-tree ones, "
         f"extensions {', '.join(f'{n} ({s})' for n, s in extensions) or 'none'} beyond gpkg_*")


def postgres_parts(url):
    """The connection of a store URL (its schema= taken out) and the schema."""
    import urllib.parse as u
    p = u.urlparse(url)
    query = dict(u.parse_qsl(p.query))
    schema = query.pop("schema", "district")
    return p._replace(query=u.urlencode(query)).geturl(), p, query, schema


def gdal_postgres(url):
    """GDAL's connection string for a store URL: PG:dbname=… schemas=… (that schema's tables only)."""
    _, p, query, schema = postgres_parts(url)
    parts = {"dbname": p.path.lstrip("/"), "user": p.username, "password": p.password,
             "host": query.get("host") or p.hostname, "port": p.port, "schemas": schema}
    return "PG:" + " ".join(f"{k}='{v}'" for k, v in parts.items() if v)


def check_read_postgis(url, expected_count):
    print("GeoPandas read_postgis (psycopg)")
    import psycopg
    connection, _, _, schema = postgres_parts(url)
    with psycopg.connect(connection) as db, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pandas only supports SQLAlchemy")
        frame = gpd.read_postgis(f'SELECT id, footprint_m2, geom FROM "{schema}".buildings ORDER BY fid', db, geom_col="geom")
    listed = read_store(None, "buildings")
    check(len(frame) == expected_count and list(frame["id"]) == list(listed["id"]),
          f"read_postgis gives the {len(frame)} buildings in the order pyogrio reads them")
    worst = float((frame.geometry.area - frame["footprint_m2"]).abs().max())
    check(worst <= AREA_STORED_M2, f"footprint_m2 = shapely area of read_postgis's geometry (largest difference {worst:.3g} m2)")


def main():
    if len(sys.argv) != 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        sys.exit(2)
    store, data_dir = sys.argv[1], Path(sys.argv[2])
    url = store if store.startswith(("postgresql://", "postgres://")) else None
    if url:
        global POSTGIS
        connection, _, _, schema = postgres_parts(url)
        POSTGIS = (connection, schema)
        store = gdal_postgres(url)
    for path in ([] if url else [Path(store)]) + [data_dir / "layers.json"]:
        if not path.is_file():
            usage_error(f"{path} is missing")
    layers = json.loads((data_dir / "layers.json").read_text(encoding="utf-8"))["layers"]
    for name in POLYGON_LAYERS + TABLE_LAYERS:
        if manifest_entry(data_dir, layers, name) is None:
            usage_error(f"layers.json names no {name} layer")
    print(f"{store} vs {data_dir} (geopandas {gpd.__version__}, pyogrio {pyogrio.__version__} with GDAL "
          f"{pyogrio.__gdal_version_string__}, pyproj {pyproj.__version__} with PROJ {pyproj.proj_version_str}, "
          f"shapely {shapely.__version__} with GEOS {shapely.geos_version_string})")
    check_layers(store)
    check_zones(store, data_dir, layers)
    check_parcels(store, data_dir, layers)
    check_buildings(store, data_dir, layers)
    check_carriers(store, data_dir, layers)
    check_enterprises(store, data_dir, layers)
    roads = check_roads(store, data_dir, layers)
    counts = {name: store_info(store, name)["features"] for name in POLYGON_LAYERS + TABLE_LAYERS}
    expected = {name: (len(read_csv(data_dir, layers[name])) if name in TABLE_LAYERS else
                       pyogrio.read_info(data_dir / layers[name]["file"])["features"])
                for name in POLYGON_LAYERS + TABLE_LAYERS}
    check(counts == expected, "pyogrio's feature counts = the source's: "
          + ", ".join(f"{n} {name}" for name, n in expected.items()), f"pyogrio says {counts}")
    check_ogrinfo(store, {**expected, "roads": roads})
    if url:
        check_read_postgis(url, expected["buildings"])
    else:
        check_validate_gpkg(store)
    for message in gdal_warnings:
        info(f"pyogrio's GDAL warned on reading the store: {message}")
    if failures:
        print(f"FAIL: {len(failures)} check(s) failed: " + "; ".join(failures))
        sys.exit(1)
    print("PASS: the store agrees with the source files")


if __name__ == "__main__":
    main()
