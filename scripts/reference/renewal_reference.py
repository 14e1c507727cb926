#!/usr/bin/env python3
"""Independent reference for `spaceplan renewal evaluate` on the sample (geopandas/shapely/pyproj).

For each renewal unit in GIS/sample/proposals.geojson, projected to EPSG:4547 like the layers:
its land area, the parcels it overlaps (with overlap area), the buildings holding at least
1 % of their footprint in it (with that share), and the floor area before renewal by use
(GFA, or floors x footprint when absent, times the share). Invalid inputs are repaired with
make_valid as spaceplan does. Writes Tests/RenewalTests/Fixtures/renewal_reference.json.

Usage (no arguments, deterministic):

    python3 scripts/reference/renewal_reference.py
"""
import json
import pathlib

import geopandas as gpd
import shapely

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "GIS" / "sample"
TOLERANCE = 0.01  # GIS/config/renewal.json building_overlap_tolerance


def layer(name):
    frame = gpd.read_file(SAMPLE / name).to_crs("EPSG:4547")
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    return frame[~frame.geometry.is_empty & frame.geometry.notna()]


units = layer("proposals.geojson")
parcels = layer("parcels.geojson")
buildings = layer("buildings.geojson")
buildings["footprint"] = buildings.geometry.area
buildings["gfa"] = buildings["gfa_m2"].where(buildings["gfa_m2"].notna(), buildings["floors"] * buildings["footprint"])

out = []
for _, u in units.iterrows():
    g = u.geometry
    ps = parcels[parcels.intersects(g)]
    overlaps = {pid: float(a) for pid, a in zip(ps["id"], ps.geometry.intersection(g).area) if a > 0}
    bs = buildings[buildings.intersects(g)]
    shares = {bid: min(1.0, float(a) / fp) for bid, a, fp in zip(bs["id"], bs.geometry.intersection(g).area, bs["footprint"])}
    kept = {bid: s for bid, s in shares.items() if s >= TOLERANCE}
    before = {}
    for _, b in bs[bs["id"].isin(kept)].iterrows():
        before[b["use"]] = before.get(b["use"], 0.0) + float(b["gfa"]) * kept[b["id"]]
    out.append({"id": u["id"], "land_area_m2": float(g.area), "parcels": overlaps, "building_shares": kept, "before_m2": before})

target = ROOT / "Tests" / "RenewalTests" / "Fixtures" / "renewal_reference.json"
target.write_text(json.dumps({"source": "scripts/reference/renewal_reference.py (geopandas " + gpd.__version__ + ", shapely " + shapely.__version__ + ")", "units": out}, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {target} ({len(out)} units)")
