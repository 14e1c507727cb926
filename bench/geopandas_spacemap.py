#!/usr/bin/env python3
"""Independent GeoPandas reference for `spaceplan spacemap` (benchmark and cross-check only).

    python3 bench/geopandas_spacemap.py DATA_DIR OUT_DIR [--no-gpkg]

Reads DATA_DIR/layers.json and its layers (schema: GIS/README.md), does the space-map joins
with GeoPandas / shapely / pyproj, written from the README, not from the Swift sources, and writes

    OUT_DIR/joins/building_parcel.csv      building_id,parcel_id,overlap_m2
    OUT_DIR/joins/enterprise_building.csv  enterprise_id,building_id,method,distance_m
    OUT_DIR/zone_totals.csv                zone_id,buildings,gfa_m2,land_area_m2
    OUT_DIR/space-map.gpkg                 buildings with the joins' attributes, parcels, zones and
                                           firms, in the working CRS (like spaceplan's; --no-gpkg skips it)
  and, for the tie analysis in crosscheck_spacemap.py:
    OUT_DIR/joins/building_parcel_all.csv  every building-parcel overlap (not only the largest)
    OUT_DIR/joins/enterprise_candidates.csv  every building as near a firm as its chosen one

Stage timings go to stderr. Policy (working CRS, match distance) comes from
DATA_DIR/../config/policy.json, else the repo's GIS/config/policy.json, else the defaults.
"""

import time

T0 = time.perf_counter()  # before the heavy imports, so that "start-up" includes them

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from pyproj import Transformer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts" / "reference"))
from manifest_reading import layer_files, load_policy, parse_crs  # noqa: E402

try:
    import pyogrio  # noqa: F401
    ENGINE = "pyogrio"
except ImportError:
    ENGINE = "fiona"

_last = T0


def stage(name):
    global _last
    now = time.perf_counter()
    print(f"  {name:<34} {now - _last:8.3f} s", file=sys.stderr)
    _last = now


def schema_fields(df, entry):
    """Apply a file entry's "fields" (schema name -> the file's name) and "defaults"
    (value for a field the file lacks, or leaves empty/null in a record)."""
    df = df.assign(**{k: df[v] for k, v in entry.get("fields", {}).items() if v in df})
    for k, v in entry.get("defaults", {}).items():
        df[k] = df[k].mask(df[k].isna() | (df[k].astype(str) == ""), v) if k in df else v
    return df


def as_id(col):
    """Ids as text; whole numbers read as floats (e.g. an adcode with a null) lose the '.0'."""
    if pd.api.types.is_float_dtype(col) and np.all(np.isnan(col) | (col == np.round(col))):
        return col.map(lambda v: "" if np.isnan(v) else str(int(v)))
    return col.fillna("").astype(str)


def read_polygons(data_dir, spec, work_crs):
    """Read a polygon layer (all its files), bring it to the working CRS, repair it, keep
    polygonal parts only."""
    frames = [read_polygon_file(data_dir, entry, work_crs) for entry in layer_files(spec)]
    if not frames:
        return gpd.GeoDataFrame({"id": pd.Series(dtype=str)}, geometry=gpd.GeoSeries([], crs=work_crs))
    return pd.concat(frames, ignore_index=True)


def read_polygon_file(data_dir, entry, work_crs):
    path = data_dir / entry["file"]
    gdf = schema_fields(gpd.read_file(path, engine=ENGINE), entry)
    gdf["id"] = as_id(gdf["id"])
    g = np.asarray(gdf.geometry.values)
    src, inverse = parse_crs(entry["crs"])
    if inverse:
        g = shapely.transform(g, lambda xy: np.column_stack(inverse(xy[:, 0], xy[:, 1])))
    g = np.asarray(gpd.GeoSeries(g, crs=src).to_crs(work_crs).values)
    bad = ~shapely.is_valid(g)
    g[bad] = shapely.make_valid(g[bad], method="structure", keep_collapsed=False)
    other = ~np.isin(shapely.get_type_id(g), [3, 6])  # not Polygon / MultiPolygon
    g[other] = [polygonal_part(x) for x in g[other]]
    gdf = gdf.set_geometry(gpd.GeoSeries(g, crs=work_crs, index=gdf.index))
    keep = ~(gdf.geometry.is_empty | gdf.geometry.isna())
    print(f"  {path.name}: {len(gdf)} features, {int(bad.sum())} repaired, "
          f"{int((~keep).sum())} dropped", file=sys.stderr)
    return gdf[keep].reset_index(drop=True)


def polygonal_part(g):
    if g is None:
        return shapely.Polygon()
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    parts = [q for p in parts for q in shapely.get_parts(p)]
    return shapely.MultiPolygon(parts) if parts else shapely.Polygon()


def building_parcel(buildings, parcels, out):
    b = gpd.GeoDataFrame({"b": np.arange(len(buildings))}, geometry=buildings.geometry.values)
    p = gpd.GeoDataFrame({"p": np.arange(len(parcels))}, geometry=parcels.geometry.values)
    ov = gpd.overlay(b, p, how="intersection", keep_geom_type=True)
    ov["area"] = ov.geometry.area
    ov = pd.DataFrame(ov.drop(columns="geometry"))
    ov = ov[ov["area"] > 0].sort_values(["b", "area", "p"], ascending=[True, False, True])
    pd.DataFrame({"building_id": buildings["id"].values[ov["b"]],
                  "parcel_id": parcels["id"].values[ov["p"]],
                  "overlap_m2": ov["area"].values}).to_csv(out / "building_parcel_all.csv", index=False)
    best = ov.drop_duplicates("b").set_index("b")  # largest overlap; lowest parcel row on exact ties
    res = pd.DataFrame({"building_id": buildings["id"].values})
    res["parcel_id"] = pd.Series(parcels["id"].values[best["p"]], index=best.index).reindex(res.index).fillna("")
    res["overlap_m2"] = best["area"].reindex(res.index).fillna(0.0)
    res.to_csv(out / "building_parcel.csv", index=False)
    print(f"  buildings on a parcel: {len(best)} of {len(res)}", file=sys.stderr)
    res["parcel_row"] = pd.Series(best["p"], index=best.index).reindex(res.index).fillna(-1).astype(int).to_numpy()
    return res


def read_firms(data_dir, spec, work_crs):
    """All enterprise files, with x/y in the working CRS (NaN where there is no usable lon/lat)."""
    frames = []
    for entry in layer_files(spec):
        df = schema_fields(pd.read_csv(data_dir / entry["file"], dtype=str, keep_default_na=False), entry)
        for c in ("id", "building_id", "lon", "lat"):
            df[c] = df[c].fillna("").astype(str).str.strip() if c in df else ""
        lon, lat = (pd.to_numeric(df[c], errors="coerce").to_numpy() for c in ("lon", "lat"))
        src, inverse = parse_crs(entry.get("crs", "WGS84"))
        if inverse:
            lon, lat = inverse(lon, lat)
        x, y = Transformer.from_crs(src, work_crs, always_xy=True).transform(lon, lat)
        employees = pd.to_numeric(df["employees"], errors="coerce") if "employees" in df else np.nan
        frames.append(df[["id", "building_id"]].assign(x=x, y=y, employees=employees))
    return (pd.concat(frames, ignore_index=True) if frames
            else pd.DataFrame(columns=["id", "building_id", "x", "y", "employees"]))


def enterprise_building(data_dir, spec, buildings, work_crs, max_dist, out):
    ent = read_firms(data_dir, spec, work_crs)
    res = pd.DataFrame({"enterprise_id": ent["id"].values, "building_id": "", "method": "unmatched",
                        "distance_m": np.nan})  # written empty for unmatched firms
    given = (ent["building_id"] != "").to_numpy()  # a building id wins over lon/lat
    known = given & ent["building_id"].isin(set(buildings["id"])).to_numpy()
    res.loc[known, "building_id"] = ent.loc[known, "building_id"]
    res.loc[known, ["method", "distance_m"]] = ["building_id", 0.0]
    if (given & ~known).any():  # an id that names no building: unmatched, even with a lon/lat
        print(f"  warning: {int((given & ~known).sum())} firms name a building id that is not in the layer "
              "(unmatched)", file=sys.stderr)
    located = np.isfinite(ent["x"].to_numpy(float)) & np.isfinite(ent["y"].to_numpy(float))
    if (~given & ~located).any():
        print(f"  warning: {int((~given & ~located).sum())} firms have neither a building id "
              "nor a usable lon/lat", file=sys.stderr)
    todo = np.flatnonzero(~given & located)
    stage(f"firms: read + to {work_crs} ({len(todo)} located)")
    pts = gpd.GeoDataFrame({"e": todo}, geometry=gpd.points_from_xy(ent["x"].values[todo], ent["y"].values[todo]),
                           crs=work_crs)
    bld = gpd.GeoDataFrame({"bi": np.arange(len(buildings))}, geometry=buildings.geometry.values,
                           crs=work_crs)

    # One query gives the buildings each point touches (distance 0); "inside" needs `within`.
    touch = gpd.sjoin(pts, bld, predicate="intersects")[["e", "bi"]]
    touch["within"] = shapely.within(pts.set_index("e").geometry.loc[touch["e"]].values,
                                     bld.geometry.values[touch["bi"]])
    inside = touch[touch["within"]].groupby("e")["bi"].min()
    res.loc[inside.index, "building_id"] = buildings["id"].values[inside.values]
    res.loc[inside.index, ["method", "distance_m"]] = ["inside", 0.0]
    rest = pts[~pts["e"].isin(inside.index)]
    near = gpd.sjoin_nearest(rest, bld, max_distance=max_dist, distance_col="d")
    near = near.sort_values(["e", "bi"]).drop_duplicates("e").set_index("e")  # lowest row on ties
    res.loc[near.index, "building_id"] = buildings["id"].values[near["bi"].values]
    res.loc[near.index, "method"] = "nearest"
    res.loc[near.index, "distance_m"] = near["d"].values
    res.to_csv(out / "enterprise_building.csv", index=False)
    m = res["method"].value_counts().to_dict()
    print(f"  firms {len(ent)}: " + ", ".join(f"{k} {v}" for k, v in sorted(m.items())), file=sys.stderr)
    stage("firms: inside + nearest joins")

    # For the crosscheck's tie analysis: every building as near a firm as its chosen one
    # (+ 1e-6 m): the touched buildings for those inside, a dwithin query for the nearest ones.
    p = pts.set_index("e").geometry.loc[near.index].values
    ti, tb = bld.sindex.query(p, predicate="dwithin", distance=near["d"].to_numpy() + 1e-6)
    t = touch[touch["e"].isin(inside.index)]
    e = np.concatenate([t["e"].to_numpy(), near.index.to_numpy()[ti]])
    pd.DataFrame({"enterprise_id": ent["id"].values[e],
                  "building_id": buildings["id"].values[np.concatenate([t["bi"].to_numpy(), tb])],
                  "distance_m": np.concatenate([np.zeros(len(t)), shapely.distance(p[ti], bld.geometry.values[tb])])}
                 ).to_csv(out / "enterprise_candidates.csv", index=False)
    stage("firms: candidates (crosscheck only)")
    return ent, res


def zone_totals(zones, parcels, buildings, out):
    z = gpd.GeoDataFrame({"z": np.arange(len(zones))}, geometry=zones.geometry.values, crs=zones.crs)

    def members(gdf):
        pts = gpd.GeoDataFrame({"i": np.arange(len(gdf))}, geometry=gdf.geometry.representative_point().values,
                               crs=zones.crs)
        return gpd.sjoin(pts, z, predicate="covered_by")[["i", "z"]]

    floors = pd.to_numeric(buildings.get("floors", pd.Series(np.nan, index=buildings.index)), errors="coerce")
    gfa = pd.to_numeric(buildings.get("gfa_m2", pd.Series(np.nan, index=buildings.index)), errors="coerce")
    gfa = gfa.where(gfa.notna(), floors * buildings.geometry.area).fillna(0.0).to_numpy()
    bm, pm = members(buildings), members(parcels)
    res = pd.DataFrame({"zone_id": zones["id"].values,
                        "buildings": np.bincount(bm["z"], minlength=len(zones)),
                        "gfa_m2": np.bincount(bm["z"], weights=gfa[bm["i"]], minlength=len(zones)),
                        "land_area_m2": np.bincount(pm["z"], weights=parcels.geometry.area.values[pm["i"]],
                                                    minlength=len(zones))})
    res.to_csv(out / "zone_totals.csv", index=False)
    return res, bm, pm


# Like for like with spaceplan, which since the GDAL output (commit 54923f3) also writes
# space-map.gpkg: the same kind of GeoPackage, written with pyogrio (GDAL) with a spatial index
# per layer. Buildings carry the joins' attributes (parcel, zones, carriers, firms and employees),
# parcels and zones their figures, firms their point and match; the carriers layer (6,468 unions of
# footprints at 500k buildings, ~1 % of the rows) is left out. The crosscheck does not read it: it is here so that the timings
# compare the same work.
def write_geopackage(out, work_crs, data_dir, layers, zones, parcels, buildings, bp, ent, eb, zt, bm, pm):
    path = out / "space-map.gpkg"
    path.unlink(missing_ok=True)
    kinds = zones["kind"].astype(str).to_numpy() if "kind" in zones else np.full(len(zones), "")
    zone_ids = zones["id"].to_numpy()

    def zone_lists(members, n, kind):
        m = members[kinds[members["z"].to_numpy()] == kind].sort_values(["i", "z"])
        joined = pd.Series(zone_ids[m["z"].to_numpy()], index=m["i"].to_numpy()).groupby(level=0).agg(";".join)
        return joined.reindex(np.arange(n)).fillna("").to_numpy()

    def column(df, name, numeric=False):
        if name not in df:
            return np.full(len(df), np.nan) if numeric else np.full(len(df), None, dtype=object)
        return pd.to_numeric(df[name], errors="coerce").to_numpy() if numeric else df[name].to_numpy()

    area = buildings.geometry.area.to_numpy()
    gfa = pd.to_numeric(pd.Series(column(buildings, "gfa_m2", True)), errors="coerce")
    derived = gfa.isna().to_numpy()
    gfa = gfa.where(~derived, column(buildings, "floors", True) * area).to_numpy()
    matched = eb["building_id"].to_numpy() != ""
    b_row = pd.Series(np.arange(len(buildings)), index=buildings["id"].to_numpy())
    firm_b = b_row.reindex(eb["building_id"].to_numpy()[matched]).to_numpy().astype(np.int64)
    firm_emp = np.nan_to_num(ent["employees"].to_numpy(float)[matched])
    carriers = [pd.read_csv(data_dir / e["file"], dtype=str, keep_default_na=False)
                for e in layer_files(layers.get("carriers"))]
    carriers = pd.concat(carriers, ignore_index=True) if carriers else pd.DataFrame(columns=["id", "type", "building_ids"])
    c = carriers.assign(b=carriers["building_ids"].str.split(";")).explode("b")
    c = c.assign(row=b_row.reindex(c["b"].str.strip().to_numpy()).to_numpy()).dropna(subset=["row"])
    in_building = c.groupby(c["row"].astype(int), sort=False)[["id", "type"]].agg(";".join).reindex(np.arange(len(buildings)))
    p_row = bp["parcel_row"].to_numpy()
    parcel_land_use = np.where(p_row >= 0, column(parcels, "land_use")[np.maximum(p_row, 0)], None)
    gpd.GeoDataFrame({
        "id": buildings["id"].to_numpy(), "use": column(buildings, "use"), "floors": column(buildings, "floors", True),
        "gfa_m2": np.round(gfa, 2), "gfa_source": np.where(derived, "derived", "recorded"), "footprint_m2": np.round(area, 2),
        "vacant_m2": column(buildings, "vacant_m2", True), "condition": column(buildings, "condition"),
        "year_built": column(buildings, "year_built", True), "parcel_id": bp["parcel_id"].to_numpy(),
        "parcel_land_use": parcel_land_use,
        "subdistrict": zone_lists(bm, len(buildings), "subdistrict"), "cluster": zone_lists(bm, len(buildings), "cluster"),
        "carrier_ids": in_building["id"].fillna("").to_numpy(), "carrier_types": in_building["type"].fillna("").to_numpy(),
        "enterprises": np.bincount(firm_b, minlength=len(buildings)),
        "employees": np.bincount(firm_b, weights=firm_emp, minlength=len(buildings)).astype(np.int64),
    }, geometry=gpd.GeoSeries(buildings.geometry.values, crs=work_crs)).to_file(path, layer="buildings", driver="GPKG")
    p = parcels.drop(columns=["geometry"]).assign(land_area_m2=np.round(parcels.geometry.area.to_numpy(), 2),
                                                  subdistrict=zone_lists(pm, len(parcels), "subdistrict"))
    gpd.GeoDataFrame(p, geometry=gpd.GeoSeries(parcels.geometry.values, crs=work_crs)).to_file(
        path, layer="parcels", driver="GPKG")
    z = zones.drop(columns=["geometry"]).assign(**{c: zt[c].to_numpy() for c in ("buildings", "gfa_m2", "land_area_m2")})
    gpd.GeoDataFrame(z, geometry=gpd.GeoSeries(zones.geometry.values, crs=work_crs)).to_file(
        path, layer="zones", driver="GPKG")
    gpd.GeoDataFrame({"id": ent["id"].to_numpy(), "employees": ent["employees"].to_numpy(float),
                      "building_id": eb["building_id"].to_numpy(), "match": eb["method"].to_numpy(),
                      "distance_m": eb["distance_m"].to_numpy(float)},
                     geometry=gpd.points_from_xy(ent["x"].to_numpy(float), ent["y"].to_numpy(float), crs=work_crs)
                     ).to_file(path, layer="enterprises", driver="GPKG")


def main():
    args = [a for a in sys.argv[1:] if a != "--no-gpkg"]
    if len(args) != 2:
        sys.exit(__doc__)
    data_dir, out = Path(args[0]), Path(args[1])
    (out / "joins").mkdir(parents=True, exist_ok=True)
    layers = json.loads((data_dir / "layers.json").read_text())["layers"]
    work_crs, max_dist = load_policy(data_dir)
    print(f"engine {ENGINE}, working CRS {work_crs}, match distance {max_dist} m", file=sys.stderr)
    stage("start-up")
    zones = read_polygons(data_dir, layers["zones"], work_crs)
    parcels = read_polygons(data_dir, layers["parcels"], work_crs)
    buildings = read_polygons(data_dir, layers.get("buildings"), work_crs)  # may be absent
    stage("read + reproject + repair layers")
    bp = building_parcel(buildings, parcels, out / "joins")
    stage("building -> parcel (overlay)")
    ent, eb = enterprise_building(data_dir, layers.get("enterprises"), buildings, work_crs, max_dist, out / "joins")
    zt, bm, pm = zone_totals(zones, parcels, buildings, out)
    stage("zone totals")
    if "--no-gpkg" not in sys.argv:
        write_geopackage(out, work_crs, data_dir, layers, zones, parcels, buildings, bp, ent, eb, zt, bm, pm)
        stage("space-map.gpkg (like spaceplan's)")
    print(f"  {'total':<34} {time.perf_counter() - T0:8.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
