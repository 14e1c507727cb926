"""What both space-map references (bench/geopandas_spacemap.py, bench/duckdb_spacemap.py) read
from a data folder besides its layers, written from GIS/README.md: the policy's working CRS and
match distance, a layer's CRS with the exact inverse of a Chinese web-map offset, and a
manifest layer's file entries."""

import json
import sys
from pathlib import Path

import chinese_offsets as co

REPO = Path(__file__).resolve().parents[2]


def load_policy(data_dir):
    """(working CRS, firm-to-building match distance in m) from DATA_DIR/../config/policy.json,
    else the repository's GIS/config/policy.json, else EPSG:4547 and 30 m."""
    for p in (Path(data_dir) / ".." / "config" / "policy.json", REPO / "GIS" / "config" / "policy.json"):
        if p.is_file():
            pol = json.loads(p.read_text())
            print(f"policy: {p.resolve()}", file=sys.stderr)
            return (pol.get("working_crs", {}).get("value", "EPSG:4547"),
                    float(pol.get("enterprise_match_max_distance_m", {}).get("value", 30)))
    print("policy: defaults (EPSG:4547, 30 m)", file=sys.stderr)
    return "EPSG:4547", 30.0


def parse_crs(name):
    """Manifest CRS -> (the CRS to project from, the exact inverse of a Chinese offset to WGS84 or None)."""
    c = name.strip().upper().replace("_", "-")
    if c in ("GCJ-02", "GCJ02"):
        return "EPSG:4326", co.gcj02_to_wgs84_exact_array
    if c in ("BD-09", "BD09"):
        return "EPSG:4326", co.bd09_to_wgs84_exact_array
    return ("EPSG:4326" if c in ("WGS84", "WGS-84") else name), None


def layer_files(spec):
    """A manifest layer is one file entry or a list of them."""
    return [] if spec is None else spec if isinstance(spec, list) else [spec]
