#!/usr/bin/env python3
"""Second independent reference for `spaceplan spacemap`: DuckDB SQL with the spatial extension.

    python3 bench/duckdb_spacemap.py DATA_DIR OUT_DIR [--threads 2]

The same job as `bench/geopandas_spacemap.py --no-gpkg`, written from GIS/README.md and the
GeoPandas reference's README table (bench/README.md), not from the Swift sources: reads
DATA_DIR/layers.json and its layers (ST_Read for the polygon files, read_csv for the firms),
projects them with ST_Transform, repairs them with ST_MakeValid, and does the joins as SQL
spatial joins and the zone totals as GROUP BY. It writes the files the cross-check reads:

    OUT_DIR/joins/building_parcel.csv        building_id,parcel_id,overlap_m2
    OUT_DIR/joins/enterprise_building.csv    enterprise_id,building_id,method,distance_m
    OUT_DIR/zone_totals.csv                  zone_id,buildings,gfa_m2,land_area_m2
    OUT_DIR/joins/building_parcel_all.csv    every building-parcel overlap (the tie analysis)
    OUT_DIR/joins/enterprise_candidates.csv  every building as near a firm as its chosen one

    python3 bench/crosscheck_spacemap.py SPACEPLAN_OUT OUT_DIR    # checks it against spaceplan

Needs `pip install duckdb duckdb-extension-spatial` (same version, 1.5.5 here). The extension is
loaded from the file in that wheel, so no network is needed (`INSTALL spatial` is not run).
Policy (working CRS, match distance) comes from DATA_DIR/../config/policy.json, else the repo's
GIS/config/policy.json, else the defaults. `--threads N` sets DuckDB's threads (default 2);
stage timings go to stderr.

Where it differs in means from the GeoPandas reference, and why that gives the same answer:
- GCJ-02 / BD-09 -> WGS84 is the exact iterative inverse of scripts/reference/chinese_offsets.py,
  run in numpy on the coordinates taken out of DuckDB and handed back (DuckDB has no per-vertex
  user transform, and a Python UDF without pyarrow runs a row at a time).
- Repair: DuckDB's ST_MakeValid has no `method=`: it is GEOS's MakeValid with its default
  method ("linework"), where the reference uses "structure" with keep_collapsed=False. The two
  give the same polygons for the self-intersecting (bow-tie) footprints of generated districts;
  collapsed parts (lines, points) are dropped here by ST_CollectionExtract(…, 3), as
  keep_collapsed=False drops them there. They can differ for other faults (e.g. a hole outside
  its shell, overlapping shells), which generated districts do not have.
- Representative point: ST_PointOnSurface, GEOS's point-on-surface, which is what shapely's
  representative_point() computes.
"""

import time

T0 = time.perf_counter()  # before the imports, so that "start-up" includes them

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import duckdb  # noqa: E402
import duckdb_extension_spatial  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts" / "reference"))
from manifest_reading import layer_files, load_policy, parse_crs  # noqa: E402

_last = T0


def stage(name):
    global _last
    now = time.perf_counter()
    print(f"  {name:<34} {now - _last:8.3f} s", file=sys.stderr)
    _last = now


def log(msg):
    print(msg, file=sys.stderr)


def lit(s):
    """A SQL string literal."""
    return "'" + str(s).replace("'", "''") + "'"


def ident(s):
    """A SQL identifier (file field names may be anything)."""
    return '"' + str(s).replace('"', '""') + '"'


def connect(threads, out):
    ext = next(Path(duckdb_extension_spatial.__file__).parent.glob(
        f"extensions/v{duckdb.__version__}/spatial.duckdb_extension"), None)
    if ext is None:
        sys.exit(f"duckdb_spacemap: no spatial.duckdb_extension for DuckDB {duckdb.__version__} in "
                 f"{Path(duckdb_extension_spatial.__file__).parent} (pip install duckdb-extension-spatial=="
                 f"{duckdb.__version__})")
    con = duckdb.connect()
    con.load_extension(str(ext))
    con.execute(f"SET threads = {int(threads)}")
    # An in-memory database spills to ./.tmp by default: keep any spill inside OUT_DIR, not the cwd.
    con.execute(f"SET temp_directory = {lit(out / 'duckdb.tmp')}")
    return con


def columns(con, table):
    return {name: typ for name, typ, *_ in con.execute(f"DESCRIBE {table}").fetchall()}


def field(con, table, cols, entry, name, kind):
    """SQL for the schema field `name` of a file entry: "fields" maps it to the file's field (if the
    file has that field), "defaults" fills it where the file lacks it or leaves it null or empty.
    kind "id": text, a whole-number float column without its '.0' (an adcode with a null), ''
    for null; kind "num": DOUBLE, NULL where it is not a number (NaN too: pandas' to_numeric
    gives NaN for both, and NaN is "missing" there)."""
    src = entry.get("fields", {}).get(name)
    src = src if src in cols else name if name in cols else None
    e = "NULL" if src is None else ident(src)
    default = entry.get("defaults", {}).get(name)
    if src is not None and kind == "id" and cols[src] in ("FLOAT", "DOUBLE") and con.execute(
            f"SELECT coalesce(bool_and(isnan({e}) OR {e} = round({e})), true) FROM {table}").fetchone()[0]:
        e = f"CASE WHEN NOT isnan({e}) THEN CAST(CAST({e} AS BIGINT) AS VARCHAR) END"
    if kind == "num" and default is None:
        e = f"TRY_CAST({e} AS DOUBLE)" if src is None or cols[src] != "VARCHAR" else f"TRY_CAST(trim({e}) AS DOUBLE)"
        return f"nullif({e}, 'NaN'::DOUBLE)"  # DuckDB's NaN equals NaN
    e = f"CAST({e} AS VARCHAR)"
    if default is not None:
        e = f"CASE WHEN {e} IS NULL OR {e} = '' THEN {lit(default)} ELSE {e} END"
    return f"coalesce({e}, '')" if kind == "id" else f"nullif(TRY_CAST(trim({e}) AS DOUBLE), 'NaN'::DOUBLE)"


# Polygon layers: one table each, in file then feature order; `row` is that order (0-based), the
# tie-break ("lowest row") of the joins.
POLYGON_TABLES = {"zones": [], "parcels": [], "buildings": ["floors", "gfa_m2"]}


def read_polygons(con, data_dir, table, spec, work_crs):
    extra = POLYGON_TABLES[table]
    con.execute(f"CREATE TABLE {table}_files (f INTEGER, r BIGINT, id VARCHAR, "
                + "".join(f"{c} DOUBLE, " for c in extra) + "geom GEOMETRY)")
    for f, entry in enumerate(layer_files(spec)):
        path = data_dir / entry["file"]
        # The file's own order is the layer's order: a table made from ST_Read keeps it (rowid).
        con.execute(f"CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM ST_Read({lit(path)})")
        cols = columns(con, "raw")
        gcol = next(c for c, t in cols.items() if t.startswith("GEOMETRY"))
        src, inverse = parse_crs(entry["crs"])
        con.execute(f"CREATE OR REPLACE TEMP TABLE pre AS SELECT rowid AS r, "
                    f"{field(con, 'raw', cols, entry, 'id', 'id')} AS id, "
                    + "".join(f"{field(con, 'raw', cols, entry, c, 'num')} AS {c}, " for c in extra)
                    + f"{ident(gcol)}::GEOMETRY AS g FROM raw ORDER BY rowid")
        con.execute("DROP TABLE raw")
        if inverse:
            polygons_to_wgs84(con, "pre", inverse)
        # The manifest's CRS overrides the file's; always_xy: lon/lat order, as pyproj's always_xy
        # (EPSG:4326 is lat/lon by definition, and ST_Transform follows the definition otherwise).
        g = "g" if src == work_crs else f"ST_Transform(g, {lit(src)}, {lit(work_crs)}, always_xy := true)"
        # Repair after projecting, as the reference does: invalid -> ST_MakeValid; then only the
        # polygonal parts (ST_CollectionExtract(…, 3) of anything that is not a polygon).
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE fixed AS
            WITH p AS (SELECT * REPLACE ({g} AS g) FROM pre),
                 v AS (SELECT *, g IS NULL OR NOT ST_IsValid(g) AS bad FROM p),
                 m AS (SELECT * REPLACE (CASE WHEN bad AND g IS NOT NULL THEN ST_MakeValid(g) ELSE g END AS g) FROM v)
            SELECT * REPLACE (CASE WHEN ST_GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON') THEN g
                                   ELSE ST_CollectionExtract(g, 3) END AS g) FROM m ORDER BY r""")
        con.execute(f"INSERT INTO {table}_files SELECT {f}, r, id, " + "".join(f"{c}, " for c in extra)
                    + "g FROM fixed WHERE g IS NOT NULL AND NOT ST_IsEmpty(g) ORDER BY r")
        n, bad, kept = con.execute("SELECT count(*), count(*) FILTER (WHERE bad), "
                                   "count(*) FILTER (WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)) FROM fixed").fetchone()
        log(f"  {path.name}: {n} features, {bad} repaired, {n - kept} dropped")
        con.execute("DROP TABLE pre; DROP TABLE fixed")
    con.execute(f"CREATE TABLE {table} AS SELECT row_number() OVER (ORDER BY f, r) - 1 AS row, id, "
                + "".join(f"{c}, " for c in extra) + f"geom FROM {table}_files ORDER BY f, r")
    con.execute(f"DROP TABLE {table}_files")


def polygons_to_wgs84(con, table, inverse):
    """GCJ-02 / BD-09 -> WGS84 for the polygons of `table` (columns r, g), in place: every vertex
    out to numpy, through the exact inverse, and back into rings, polygons and multipolygons. Only
    the polygon parts are kept (the reference keeps only them too, after repair)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE verts AS
        WITH parts AS (SELECT r, unnest(ST_Dump(g)) AS d FROM {table} WHERE g IS NOT NULL),
             polys AS (SELECT r, d.path AS part, d.geom AS poly FROM parts
                       WHERE ST_GeometryType(d.geom) = 'POLYGON' AND NOT ST_IsEmpty(d.geom)),
             rings AS (SELECT r, part, 0 AS k, ST_ExteriorRing(poly) AS ring FROM polys
                       UNION ALL
                       SELECT r, part, k, ST_InteriorRingN(poly, k::INTEGER) FROM
                         (SELECT r, part, poly, unnest(generate_series(1, ST_NumInteriorRings(poly))) AS k FROM polys)),
             pts AS (SELECT r, part, k, unnest(generate_series(1, ST_NPoints(ring))) AS v, ring FROM rings)
        SELECT row_number() OVER (ORDER BY r, part, k, v) AS n, r, part, k, v,
               ST_X(ST_PointN(ring, v::INTEGER)) AS x, ST_Y(ST_PointN(ring, v::INTEGER)) AS y FROM pts""")
    xy = con.execute("SELECT n, x, y FROM verts ORDER BY n").fetchnumpy()
    lon, lat = inverse(np.asarray(xy["x"], float), np.asarray(xy["y"], float))
    con.register("wgs", pd.DataFrame({"n": np.asarray(xy["n"]), "x": lon, "y": lat}))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE rebuilt AS
        WITH v AS (SELECT verts.r, part, k, v, wgs.x, wgs.y FROM verts JOIN wgs USING (n)),
             rings AS (SELECT r, part, k, ST_MakeLine(list(ST_Point(x, y) ORDER BY v)) AS ring FROM v GROUP BY ALL),
             polys AS (SELECT r, part, ST_MakePolygon(any_value(ring) FILTER (WHERE k = 0),
                              coalesce(list(ring ORDER BY k) FILTER (WHERE k > 0), []::GEOMETRY[])) AS poly
                       FROM rings GROUP BY ALL)
        SELECT r, CASE WHEN count(*) = 1 THEN any_value(poly) ELSE ST_Collect(list(poly ORDER BY part)) END AS g
        FROM polys GROUP BY r""")
    con.execute(f"UPDATE {table} SET g = (SELECT rebuilt.g FROM rebuilt WHERE rebuilt.r = {table}.r)")
    con.execute("DROP TABLE verts; DROP TABLE rebuilt")
    con.unregister("wgs")


def building_parcel(con, out):
    # Every overlap of positive area (the reference's overlay with keep_geom_type: ST_Area counts
    # only the polygonal part of an intersection), then the largest per building, lowest parcel
    # row on exact ties. `area > 0` is applied by a second statement: in the same one, DuckDB
    # pushes it into the join and computes every intersection twice (1.8 times the time).
    con.execute("""
        CREATE TABLE bp_pairs AS
        SELECT b.row AS b, p.row AS p, ST_Area(ST_Intersection(b.geom, p.geom)) AS area
        FROM buildings b JOIN parcels p ON ST_Intersects(b.geom, p.geom)""")
    con.execute("CREATE TABLE bp_overlaps AS SELECT * FROM bp_pairs WHERE area > 0")
    con.execute(f"""
        COPY (SELECT b.id AS building_id, p.id AS parcel_id, o.area AS overlap_m2
              FROM bp_overlaps o JOIN buildings b ON b.row = o.b JOIN parcels p ON p.row = o.p
              ORDER BY o.b, o.area DESC, o.p)
        TO {lit(out / 'building_parcel_all.csv')} (HEADER, DELIMITER ',')""")
    con.execute("""
        CREATE TABLE best_parcel AS
        SELECT b, p, area FROM bp_overlaps QUALIFY row_number() OVER (PARTITION BY b ORDER BY area DESC, p) = 1""")
    con.execute(f"""
        COPY (SELECT b.id AS building_id, coalesce(p.id, '') AS parcel_id, coalesce(o.area, 0.0) AS overlap_m2
              FROM buildings b LEFT JOIN best_parcel o ON o.b = b.row LEFT JOIN parcels p ON p.row = o.p
              ORDER BY b.row)
        TO {lit(out / 'building_parcel.csv')} (HEADER, DELIMITER ',')""")
    on, n = con.execute("SELECT (SELECT count(*) FROM best_parcel), (SELECT count(*) FROM buildings)").fetchone()
    log(f"  buildings on a parcel: {on} of {n}")


def read_firms(con, data_dir, spec, work_crs):
    """All enterprise files into `firms` (e: file then row order; id, building_id; x/y in the
    working CRS, NULL where there is no usable lon/lat)."""
    con.execute("CREATE TABLE firms (e BIGINT, id VARCHAR, building_id VARCHAR, x DOUBLE, y DOUBLE)")
    for entry in layer_files(spec):
        # All text, '' for empty (as pandas' dtype=str, keep_default_na=False); the file's order is
        # the rowid of the table made from it.
        con.execute(f"""CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv({lit(data_dir / entry['file'])},
                        header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')""")
        cols = columns(con, "raw")

        def text(name):
            src = entry.get("fields", {}).get(name)
            src = src if src in cols else name if name in cols else None
            e = "''" if src is None else f"coalesce({ident(src)}, '')"
            if name in entry.get("defaults", {}):
                e = f"CASE WHEN {e} = '' THEN {lit(entry['defaults'][name])} ELSE {e} END"
            return f"trim({e})"

        offset = con.execute("SELECT count(*) FROM firms").fetchone()[0]
        con.execute(f"""CREATE OR REPLACE TEMP TABLE f AS
            SELECT {offset} + rowid AS e, {text('id')} AS id, {text('building_id')} AS building_id,
                   TRY_CAST({text('lon')} AS DOUBLE) AS lon, TRY_CAST({text('lat')} AS DOUBLE) AS lat
            FROM raw ORDER BY rowid""")
        con.execute("DROP TABLE raw")
        src, inverse = parse_crs(entry.get("crs", "WGS84"))
        if inverse:  # numpy, on the columns taken out and handed back (see the header)
            ll = con.execute("SELECT e, coalesce(lon, 'NaN'::DOUBLE) AS lon, coalesce(lat, 'NaN'::DOUBLE) AS lat "
                             "FROM f ORDER BY e").fetchnumpy()
            lon, lat = inverse(np.asarray(ll["lon"], float), np.asarray(ll["lat"], float))
            con.register("wgs", pd.DataFrame({"e": np.asarray(ll["e"]), "lon": lon, "lat": lat}))
            con.execute("CREATE OR REPLACE TEMP TABLE f AS SELECT f.e, id, building_id, wgs.lon, wgs.lat "
                        "FROM f JOIN wgs USING (e) ORDER BY f.e")
            con.unregister("wgs")
        con.execute(f"""
            INSERT INTO firms
            SELECT e, id, building_id, ST_X(pt), ST_Y(pt) FROM (
              SELECT e, id, building_id,
                     CASE WHEN isfinite(lon) AND isfinite(lat)
                          THEN ST_Transform(ST_Point(lon, lat), {lit(src)}, {lit(work_crs)}, always_xy := true) END AS pt
              FROM f) ORDER BY e""")
        con.execute("DROP TABLE f")


def enterprise_building(con, data_dir, spec, work_crs, max_dist, out):
    read_firms(con, data_dir, spec, work_crs)
    # A non-empty building id wins over lon/lat; an id that names no building makes the firm
    # unmatched, even with a lon/lat.
    con.execute("""
        CREATE TABLE firm_state AS
        SELECT e, id, building_id, building_id <> '' AS given,
               building_id <> '' AND building_id IN (SELECT id FROM buildings) AS known,
               isfinite(x) AND isfinite(y) AS located, x, y FROM firms""")
    unknown, lost = con.execute("SELECT count(*) FILTER (WHERE given AND NOT known), "
                                "count(*) FILTER (WHERE NOT given AND NOT coalesce(located, false)) "
                                "FROM firm_state").fetchone()
    if unknown:
        log(f"  warning: {unknown} firms name a building id that is not in the layer (unmatched)")
    if lost:
        log(f"  warning: {lost} firms have neither a building id nor a usable lon/lat")
    con.execute("CREATE TABLE todo AS SELECT e, ST_Point(x, y) AS pt FROM firm_state "
                "WHERE NOT given AND coalesce(located, false) ORDER BY e")
    stage(f"firms: read + to {work_crs} ({con.execute('SELECT count(*) FROM todo').fetchone()[0]} located)")

    # The buildings each point touches (distance 0); "inside" needs ST_Within (not on the boundary);
    # the lowest building row if several.
    con.execute("""
        CREATE TABLE touch AS
        SELECT t.e, b.row AS bi, ST_Within(t.pt, b.geom) AS within
        FROM todo t JOIN buildings b ON ST_Intersects(t.pt, b.geom)""")
    con.execute("CREATE TABLE inside AS SELECT e, min(bi) AS bi FROM touch WHERE within GROUP BY e")
    # The rest: every building within the match distance, the nearest (lowest row on ties). The
    # join reaches 1e-6 m further, for the candidates file below; the choice stays within max_dist.
    con.execute(f"""
        CREATE TABLE near_all AS
        SELECT t.e, b.row AS bi, ST_Distance(t.pt, b.geom) AS d
        FROM (SELECT * FROM todo WHERE e NOT IN (SELECT e FROM inside)) t
        JOIN buildings b ON ST_DWithin(t.pt, b.geom, {max_dist + 1e-6!r})""")
    con.execute(f"""
        CREATE TABLE nearest AS
        SELECT e, bi, d FROM near_all WHERE d <= {max_dist!r}
        QUALIFY row_number() OVER (PARTITION BY e ORDER BY d, bi) = 1""")
    con.execute("""
        CREATE TABLE firm_match AS
        SELECT f.e, f.id AS enterprise_id,
               CASE WHEN f.known THEN f.building_id WHEN i.e IS NOT NULL THEN bi.id
                    WHEN n.e IS NOT NULL THEN bn.id ELSE '' END AS building_id,
               CASE WHEN f.known THEN 'building_id' WHEN i.e IS NOT NULL THEN 'inside'
                    WHEN n.e IS NOT NULL THEN 'nearest' ELSE 'unmatched' END AS method,
               CASE WHEN f.known OR i.e IS NOT NULL THEN 0.0 WHEN n.e IS NOT NULL THEN n.d END AS distance_m
        FROM firm_state f
        LEFT JOIN inside i ON i.e = f.e LEFT JOIN buildings bi ON bi.row = i.bi
        LEFT JOIN nearest n ON n.e = f.e LEFT JOIN buildings bn ON bn.row = n.bi""")
    con.execute(f"""COPY (SELECT enterprise_id, building_id, method, distance_m FROM firm_match ORDER BY e)
                    TO {lit(out / 'enterprise_building.csv')} (HEADER, DELIMITER ',')""")
    counts = con.execute("SELECT method, count(*) FROM firm_match GROUP BY method ORDER BY method").fetchall()
    total = sum(c for _, c in counts)
    log(f"  firms {total}: " + ", ".join(f"{m} {c}" for m, c in counts))
    stage("firms: inside + nearest joins")

    # For the cross-check's tie analysis: every building as near a firm as its chosen one (+ 1e-6 m):
    # the touched buildings (distance 0) for those inside, the near_all rows for the nearest ones.
    con.execute(f"""
        COPY (SELECT f.id AS enterprise_id, b.id AS building_id, c.d AS distance_m FROM (
                SELECT e, bi, 0.0 AS d FROM touch WHERE e IN (SELECT e FROM inside)
                UNION ALL
                SELECT a.e, a.bi, a.d FROM near_all a JOIN nearest n ON a.e = n.e AND a.d <= n.d + 1e-6) c
              JOIN firms f ON f.e = c.e JOIN buildings b ON b.row = c.bi ORDER BY c.e, c.d, c.bi)
        TO {lit(out / 'enterprise_candidates.csv')} (HEADER, DELIMITER ',')""")
    stage("firms: candidates (crosscheck only)")


def zone_totals(con, out):
    # A building or parcel belongs to every zone that covers its representative point
    # (ST_PointOnSurface); GFA is gfa_m2, else floors x footprint area, else 0.
    con.execute(f"""
        COPY (
          WITH bpt AS (SELECT row, ST_PointOnSurface(geom) AS pt,
                              coalesce(gfa_m2, floors * ST_Area(geom), 0.0) AS gfa FROM buildings),
               ppt AS (SELECT row, ST_PointOnSurface(geom) AS pt, ST_Area(geom) AS area FROM parcels),
               bz AS (SELECT z.row AS z, count(*) AS buildings, sum(b.gfa) AS gfa_m2
                      FROM bpt b JOIN zones z ON ST_CoveredBy(b.pt, z.geom) GROUP BY z.row),
               pz AS (SELECT z.row AS z, sum(p.area) AS land_area_m2
                      FROM ppt p JOIN zones z ON ST_CoveredBy(p.pt, z.geom) GROUP BY z.row)
          SELECT z.id AS zone_id, coalesce(bz.buildings, 0) AS buildings, coalesce(bz.gfa_m2, 0.0) AS gfa_m2,
                 coalesce(pz.land_area_m2, 0.0) AS land_area_m2
          FROM zones z LEFT JOIN bz ON bz.z = z.row LEFT JOIN pz ON pz.z = z.row ORDER BY z.row)
        TO {lit(out / 'zone_totals.csv')} (HEADER, DELIMITER ',')""")


def main():
    args, threads = sys.argv[1:], 2
    if "--threads" in args:
        i = args.index("--threads")
        if i + 1 >= len(args):
            sys.exit(__doc__)
        threads = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    data_dir, out = Path(args[0]), Path(args[1])
    (out / "joins").mkdir(parents=True, exist_ok=True)
    layers = json.loads((data_dir / "layers.json").read_text())["layers"]
    work_crs, max_dist = load_policy(data_dir)
    con = connect(threads, out)
    log(f"DuckDB {duckdb.__version__} + spatial, {threads} threads, working CRS {work_crs}, "
        f"match distance {max_dist} m")
    stage("start-up")
    read_polygons(con, data_dir, "zones", layers["zones"], work_crs)
    read_polygons(con, data_dir, "parcels", layers["parcels"], work_crs)
    read_polygons(con, data_dir, "buildings", layers.get("buildings"), work_crs)  # may be absent
    stage("read + reproject + repair layers")
    building_parcel(con, out / "joins")
    stage("building -> parcel (overlay)")
    enterprise_building(con, data_dir, layers.get("enterprises"), work_crs, max_dist, out / "joins")
    zone_totals(con, out)
    stage("zone totals")
    con.close()
    if (out / "duckdb.tmp").is_dir() and not any((out / "duckdb.tmp").iterdir()):
        (out / "duckdb.tmp").rmdir()  # made only if DuckDB spilled; empty once it is closed
    print(f"  {'total':<34} {time.perf_counter() - T0:8.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
