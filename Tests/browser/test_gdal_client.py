"""GDAL's own OGC API – Features client reads the live server: ogrinfo lists the collections
and ogr2ogr copies the buildings with all their features and attributes."""
import json
import os
import shutil
import subprocess
import tempfile
import urllib.request

import pytest

from conftest import SAMPLE_URL, needs

COLLECTIONS = ["zones", "parcels", "buildings", "carriers", "enterprises", "renewal-units"]


def gdal_or_skip():
    for tool in ["ogrinfo", "ogr2ogr"]:
        if not shutil.which(tool):
            pytest.skip(f"{tool} is absent: apt-get install gdal-bin")


def test_ogrinfo_lists_the_collections():
    url = needs(SAMPLE_URL)
    gdal_or_skip()
    out = subprocess.run(["ogrinfo", "-ro", "-q", f"OAPIF:{url}"], capture_output=True, text=True, timeout=120, check=True).stdout
    for name in COLLECTIONS:
        assert f": {name} (" in out, out


def test_ogr2ogr_copies_every_building_with_every_attribute():
    url = needs(SAMPLE_URL)
    gdal_or_skip()
    with tempfile.TemporaryDirectory() as folder:
        copy = os.path.join(folder, "buildings.geojson")
        subprocess.run(["ogr2ogr", "-f", "GeoJSON", copy, f"OAPIF:{url}", "buildings"], capture_output=True, text=True, timeout=300, check=True)
        with open(copy, encoding="utf-8") as f:
            copied = json.load(f)["features"]
    with urllib.request.urlopen(f"{url}/collections/buildings/items?limit=10000") as r:
        served = json.load(r)["features"]
    assert len(copied) == len(served) == 3000
    by_id = {f["properties"]["id"]: f["properties"] for f in copied}
    assert set(by_id) == {f["id"] for f in served}
    for feature in served:
        got = by_id[feature["id"]]
        for key, value in feature["properties"].items():
            assert key in got, key
            if isinstance(value, float):
                assert abs(got[key] - value) < 1e-6, (feature["id"], key)
            elif value not in ("", None):
                assert got[key] == value, (feature["id"], key, got[key], value)
