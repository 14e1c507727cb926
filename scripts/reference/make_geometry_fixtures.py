#!/usr/bin/env python3
"""Independent reference fixtures for the Swift geometry tests.

Computes areas, lengths, validity, make_valid results, centroids, envelopes,
buffers, binary predicates and overlay areas for a set of deliberately awkward
geometries using shapely 2 (GEOS), and writes them to

    Tests/SpaceGeometryTests/Fixtures/awkward_polygons.json

The Swift tests compare their own results against these numbers. Nothing is
rounded: floats are written with Python's shortest round-trip repr.

Usage (no arguments, deterministic):

    python3 scripts/reference/make_geometry_fixtures.py
"""

import json
import platform
import sys
from pathlib import Path

import shapely
from shapely import wkt as shapely_wkt

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "Tests" / "SpaceGeometryTests" / "Fixtures" / "awkward_polygons.json"

# Projected, metre-like coordinates (look like EPSG:4547 metres near Shenzhen).
# Layout (x offset from 500000, y offset from 2490000):
#   square            [0,100]x[0,100]
#   clockwise_square  [50,150]x[50,150]   (overlaps square, CW ring order)
#   sliver            thin triangle on y=50 from x=-50..50 (crosses square's left edge)
#   one_hole          [200,400]x[0,200] hole [250,300]x[50,100]
#   two_holes         [500,700]x[0,200] holes [520,560]x[20,60], [600,680]x[100,180]
#   multipolygon      [800,850]x[0,50] + [900,950]x[0,50]
#   edge_square_a/b   [0,100]x[300,400] and [100,200]x[300,400] (shared edge x=100)
#   l_shape           20 m wide arms in [300,400]x[300,400]; centroid falls outside
#   bowtie            self-intersecting at (1050,50)
#   spike             square [1200,1300]x[0,100] with a zero-width spike up to y=150
#   repeated_point    square [1400,1500]x[0,100] with a duplicated vertex
#   linestring        y=25 from x=-50 to 975, then up to y=400
#   point             (25,25) inside square (and exactly on the linestring)
CASES = [
    ("square",
     "POLYGON ((500000.0 2490000.0, 500100.0 2490000.0, 500100.0 2490100.0, "
     "500000.0 2490100.0, 500000.0 2490000.0))"),
    ("one_hole",
     "POLYGON ((500200.0 2490000.0, 500400.0 2490000.0, 500400.0 2490200.0, "
     "500200.0 2490200.0, 500200.0 2490000.0), "
     "(500250.0 2490050.0, 500250.0 2490100.0, 500300.0 2490100.0, "
     "500300.0 2490050.0, 500250.0 2490050.0))"),
    ("two_holes",
     "POLYGON ((500500.0 2490000.0, 500700.0 2490000.0, 500700.0 2490200.0, "
     "500500.0 2490200.0, 500500.0 2490000.0), "
     "(500520.0 2490020.0, 500520.0 2490060.0, 500560.0 2490060.0, "
     "500560.0 2490020.0, 500520.0 2490020.0), "
     "(500600.0 2490100.0, 500600.0 2490180.0, 500680.0 2490180.0, "
     "500680.0 2490100.0, 500600.0 2490100.0))"),
    ("multipolygon_two_parts",
     "MULTIPOLYGON (((500800.0 2490000.0, 500850.0 2490000.0, 500850.0 2490050.0, "
     "500800.0 2490050.0, 500800.0 2490000.0)), "
     "((500900.0 2490000.0, 500950.0 2490000.0, 500950.0 2490050.0, "
     "500900.0 2490050.0, 500900.0 2490000.0)))"),
    ("bowtie",
     "POLYGON ((501000.0 2490000.0, 501100.0 2490100.0, 501100.0 2490000.0, "
     "501000.0 2490100.0, 501000.0 2490000.0))"),
    ("sliver",
     "POLYGON ((499950.0 2490050.0, 500050.0 2490050.0, 500000.0 2490050.001, "
     "499950.0 2490050.0))"),
    ("spike",
     "POLYGON ((501200.0 2490000.0, 501300.0 2490000.0, 501300.0 2490100.0, "
     "501250.0 2490100.0, 501250.0 2490150.0, 501250.0 2490100.0, "
     "501200.0 2490100.0, 501200.0 2490000.0))"),
    ("repeated_point",
     "POLYGON ((501400.0 2490000.0, 501500.0 2490000.0, 501500.0 2490000.0, "
     "501500.0 2490100.0, 501400.0 2490100.0, 501400.0 2490000.0))"),
    ("edge_square_a",
     "POLYGON ((500000.0 2490300.0, 500100.0 2490300.0, 500100.0 2490400.0, "
     "500000.0 2490400.0, 500000.0 2490300.0))"),
    ("edge_square_b",
     "POLYGON ((500100.0 2490300.0, 500200.0 2490300.0, 500200.0 2490400.0, "
     "500100.0 2490400.0, 500100.0 2490300.0))"),
    ("l_shape",
     "POLYGON ((500300.0 2490300.0, 500400.0 2490300.0, 500400.0 2490320.0, "
     "500320.0 2490320.0, 500320.0 2490400.0, 500300.0 2490400.0, "
     "500300.0 2490300.0))"),
    ("clockwise_square",
     "POLYGON ((500050.0 2490050.0, 500050.0 2490150.0, 500150.0 2490150.0, "
     "500150.0 2490050.0, 500050.0 2490050.0))"),
    ("linestring",
     "LINESTRING (499950.0 2490025.0, 500975.0 2490025.0, 500975.0 2490400.0)"),
    ("point",
     "POINT (500025.0 2490025.0)"),
]

POLYGONAL = ("Polygon", "MultiPolygon")


def xy(p):
    return [p.x, p.y]


def case_record(name, text, g):
    valid = bool(shapely.is_valid(g))
    mv = shapely.make_valid(g)
    polygonal = g.geom_type in POLYGONAL
    reason = shapely.is_valid_reason(g)
    rec = {
        "name": name,
        "wkt": text,
        "geom_type": g.geom_type,
        "num_coordinates": int(shapely.get_num_coordinates(g)),
        "area": g.area,
        "length": g.length,
        "is_valid": valid,
        "valid_reason": reason,
        # GEOS appends the location, e.g. "Self-intersection[x y]"; the bare kind:
        "valid_reason_kind": reason.split("[", 1)[0],
        "make_valid_wkt_type": mv.geom_type,
        "make_valid_area": mv.area,
        "make_valid_wkt": shapely.to_wkt(mv, rounding_precision=-1),
        "centroid": xy(g.centroid),
        "centroid_within": bool(g.centroid.within(g)) if (polygonal and valid) else None,
        "point_on_surface_within": (bool(g.point_on_surface().within(g))
                                    if (polygonal and valid) else None),
        "envelope": list(g.bounds),
    }
    if g.geom_type == "Polygon":
        rec["exterior_is_ccw"] = bool(g.exterior.is_ccw)
        rec["num_interior_rings"] = len(g.interiors)
    if valid:
        rec["buffer_10_area"] = g.buffer(10.0).area
        rec["buffer_of_make_valid"] = False
    else:
        rec["buffer_10_area"] = mv.buffer(10.0).area
        rec["buffer_of_make_valid"] = True
    return rec


def pair_record(a_name, a, b_name, b):
    rec = {
        "a": a_name,
        "b": b_name,
        "intersects": bool(a.intersects(b)),
        "contains": bool(a.contains(b)),
        "within": bool(a.within(b)),
        "covers": bool(a.covers(b)),
        "covered_by": bool(a.covered_by(b)),
        "touches": bool(a.touches(b)),
        "dwithin_5": bool(shapely.dwithin(a, b, 5.0)),
        "distance": a.distance(b),
    }
    if a.geom_type in POLYGONAL and b.geom_type in POLYGONAL:
        rec["intersection_area"] = a.intersection(b).area
        rec["union_area"] = a.union(b).area
        rec["difference_area"] = a.difference(b).area
        rec["sym_difference_area"] = a.symmetric_difference(b).area
    else:
        # Extra (not required): length of the shared part for line/point pairs.
        rec["intersection_length"] = a.intersection(b).length
    return rec


def main():
    geoms = {name: shapely_wkt.loads(text) for name, text in CASES}
    cases = [case_record(name, text, geoms[name]) for name, text in CASES]

    valid_polys = [name for name, _ in CASES
                   if geoms[name].geom_type in POLYGONAL and geoms[name].is_valid]
    non_area = [name for name, _ in CASES if geoms[name].geom_type not in POLYGONAL]

    pairs = []
    # Every ordered pair of valid polygonal cases, including a == b.
    for a in valid_polys:
        for b in valid_polys:
            pairs.append(pair_record(a, geoms[a], b, geoms[b]))
    # Linestring / point against every valid polygonal case, both orders.
    for a in non_area:
        for b in valid_polys:
            pairs.append(pair_record(a, geoms[a], b, geoms[b]))
            pairs.append(pair_record(b, geoms[b], a, geoms[a]))
    # Linestring vs point, both orders.
    for a in non_area:
        for b in non_area:
            if a != b:
                pairs.append(pair_record(a, geoms[a], b, geoms[b]))

    all_union = shapely.unary_union([geoms[n] for n in valid_polys])
    edge_union = shapely.unary_union([geoms["edge_square_a"], geoms["edge_square_b"]])

    doc = {
        "description": "Independent shapely/GEOS reference values for awkward geometries "
                       "(generated by scripts/reference/make_geometry_fixtures.py; do not edit).",
        "reference": {
            "generator": "scripts/reference/make_geometry_fixtures.py",
            "shapely": shapely.__version__,
            "geos": shapely.geos_version_string,
            "python": platform.python_version(),
            "buffer_quad_segs": 8,
            "notes": [
                "buffer_10_area uses shapely default quad_segs=8, round caps/joins; for invalid "
                "inputs it is the buffer of make_valid(geom) (buffer_of_make_valid=true).",
                "make_valid uses shapely default method='linework' (GEOS MakeValid).",
                "pairs include a==b; polygonal pairs carry overlay areas, line/point pairs "
                "carry intersection_length instead.",
                "centroid of invalid input is GEOS's raw result (not of make_valid).",
            ],
        },
        "cases": cases,
        "valid_polygonal_cases": valid_polys,
        "pairs": pairs,
        "unary_union": {
            "all_valid_polygonal": {
                "members": valid_polys,
                "geom_type": all_union.geom_type,
                "area": all_union.area,
                "num_geometries": int(shapely.get_num_geometries(all_union)),
            },
            "edge_squares": {
                "members": ["edge_square_a", "edge_square_b"],
                "geom_type": edge_union.geom_type,
                "area": edge_union.area,
                "num_geometries": int(shapely.get_num_geometries(edge_union)),
            },
        },
    }

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False, allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT.relative_to(REPO)}: {len(cases)} cases, {len(pairs)} pairs "
          f"(shapely {shapely.__version__}, GEOS {shapely.geos_version_string})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
