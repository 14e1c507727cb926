#!/usr/bin/env python3
"""Cross-check `spaceplan spacemap` output against bench/geopandas_spacemap.py output.

    python3 bench/crosscheck_spacemap.py SWIFT_OUT GEOPANDAS_OUT

Compares joins/building_parcel.csv and joins/enterprise_building.csv (same assignment?), the
overlap areas, and the per-zone totals (SWIFT_OUT/summary.csv vs GEOPANDAS_OUT/zone_totals.csv).
A differing assignment counts as an explained tie when, in the GeoPandas results, the two
parcels' overlaps agree within 1e-6 (relative), or the two buildings' distances from the firm
agree within 1e-6 m. Exits 1 unless >= 99.9 % of assignments are identical or explained ties in
both joins and every zone's GFA and building count agree within 0.01 %.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

MIN_AGREEMENT = 0.999
ZONE_TOL = 1e-4
TIE_REL_AREA, TIE_DIST_M = 1e-6, 1e-6


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def num(s):
    return pd.to_numeric(s, errors="coerce")


def compare(swift, gpd, key, val, lookup, is_tie):
    """Outer-join two assignment tables; return (n, identical, ties, unexplained rows, merged)."""
    m = gpd[[key, val]].merge(swift[[key, val]], on=key, how="outer", suffixes=("_g", "_s"))
    m = m.fillna({f"{val}_g": "<missing>", f"{val}_s": "<missing>"})
    same = m[f"{val}_g"] == m[f"{val}_s"]
    d = m[~same]
    a = [lookup.get((k, v)) for k, v in zip(d[key], d[f"{val}_g"])]
    b = [lookup.get((k, v)) for k, v in zip(d[key], d[f"{val}_s"])]
    tie = np.array([x is not None and y is not None and is_tie(x, y) for x, y in zip(a, b)], bool)
    return len(m), int(same.sum()), int(tie.sum()), d[~tie], m[same]


def values(eq, key, swift, gpd, col):
    """The column `col` of both sides for the rows in eq, as float arrays (spaceplan, GeoPandas)."""
    e = eq[[key]].merge(swift[[key, col]], on=key).merge(gpd[[key, col]], on=key, suffixes=("_s", "_g"))
    return num(e[col + "_s"]).to_numpy(), num(e[col + "_g"]).to_numpy(), e


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = np.maximum(np.abs(a), np.abs(b))
    return np.where(den > 0, np.abs(a - b) / np.where(den > 0, den, 1), 0.0)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sw, gp = Path(sys.argv[1]), Path(sys.argv[2])
    need = [sw / f for f in ("joins/building_parcel.csv", "joins/enterprise_building.csv", "summary.csv")]
    need += [gp / f for f in ("joins/building_parcel.csv", "joins/building_parcel_all.csv", "zone_totals.csv",
                              "joins/enterprise_building.csv", "joins/enterprise_candidates.csv")]
    if missing := [str(p) for p in need if not p.is_file()]:
        sys.exit("crosscheck: FAIL, missing " + ", ".join(missing))
    rows, ok = [], True

    # building -> parcel
    allov = read(gp / "joins/building_parcel_all.csv")
    area = dict(zip(zip(allov.building_id, allov.parcel_id), num(allov.overlap_m2)))
    bs, bg = read(sw / "joins/building_parcel.csv"), read(gp / "joins/building_parcel.csv")
    n, same, ties, bad, eq = compare(bs, bg, "building_id", "parcel_id", area,
                                     lambda x, y: abs(x - y) <= TIE_REL_AREA * max(x, y))
    ov = rel(*values(eq[eq.parcel_id_g != ""], "building_id", bs, bg, "overlap_m2")[:2]).max(initial=0.0)
    rows.append(("building -> parcel", n, same, ties, len(bad), f"overlap max rel diff {ov:.2e}"))
    bad_bp = bad

    # enterprise -> building
    cand = read(gp / "joins/enterprise_candidates.csv")
    dist = dict(zip(zip(cand.enterprise_id, cand.building_id), num(cand.distance_m)))
    es, eg = read(sw / "joins/enterprise_building.csv"), read(gp / "joins/enterprise_building.csv")
    n2, same2, ties2, bad2, eq2 = compare(es, eg, "enterprise_id", "building_id", dist,
                                          lambda x, y: abs(x - y) <= TIE_DIST_M)
    ds, dg, e = values(eq2, "enterprise_id", es, eg, "distance_m")
    meth = int((e[["enterprise_id"]].merge(es).method.values != e[["enterprise_id"]].merge(eg).method.values).sum())
    dd = np.abs(ds - dg)[np.isfinite(ds) & np.isfinite(dg)].max(initial=0.0)  # unmatched: may be empty
    rows.append(("enterprise -> building", n2, same2, ties2, len(bad2),
                 f"method differs {meth}, distance max abs diff {dd:.2e} m"))

    print("| join | rows | identical | explained ties | other differences | agreement | notes |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, n_, s_, t_, b_, note in rows:
        agree = (s_ + t_) / n_ if n_ else 1.0
        ok &= agree >= MIN_AGREEMENT
        print(f"| {name} | {n_} | {s_} ({100 * s_ / max(n_, 1):.3f} %) | {t_} | {b_} | "
              f"{100 * agree:.3f} % | {note} |")

    # zone totals
    zs, zg = read(sw / "summary.csv"), read(gp / "zone_totals.csv")
    z = zg.merge(zs, on="zone_id", how="left", suffixes=("_g", "_s"), indicator=True)
    missing = z.zone_id[z._merge == "left_only"].tolist()
    extra = sorted(set(zs.zone_id) - set(zg.zone_id))
    g_rel = rel(num(z.gfa_m2_s), num(z.gfa_m2_g))
    b_rel = rel(num(z.buildings_s), num(z.buildings_g))
    g_rel[np.isnan(g_rel)] = np.inf
    b_rel[np.isnan(b_rel)] = np.inf
    print("\n| zone totals | zones | max rel diff | within 0.01 % |")
    print("|---|---:|---:|---|")
    for name, r in (("gfa_m2", g_rel), ("buildings", b_rel)):
        worst = r.max(initial=0.0)
        ok &= worst <= ZONE_TOL
        print(f"| {name} | {len(z)} | {worst:.2e} | {'yes' if worst <= ZONE_TOL else 'NO'} |")
    if "land_area_m2_s" in z:
        print(f"| land_area_m2 (not gated) | {len(z)} | "
              f"{rel(num(z.land_area_m2_s), num(z.land_area_m2_g)).max(initial=0.0):.2e} | - |")
    if missing:
        ok = False
        print(f"\nzones missing from summary.csv: {', '.join(missing)}")
    if extra:
        print(f"\nrows only in summary.csv (not compared): {', '.join(extra)}")
    worst_zone = z.assign(gfa_rel=g_rel).sort_values("gfa_rel", ascending=False).head(3)
    print("\nlargest zone GFA differences:")
    print(worst_zone[["zone_id", "buildings_g", "buildings_s", "gfa_m2_g", "gfa_m2_s", "gfa_rel"]]
          .to_string(index=False))

    for title, d, cols in (("building -> parcel", bad_bp, ["building_id", "parcel_id_g", "parcel_id_s"]),
                           ("enterprise -> building", bad2, ["enterprise_id", "building_id_g", "building_id_s"])):
        if len(d):
            print(f"\nunexplained {title} differences (first 5 of {len(d)}; _g GeoPandas, _s spaceplan):")
            print(d[cols].head().to_string(index=False))

    print(f"\ncrosscheck: {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
