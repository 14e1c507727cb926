#!/usr/bin/env python3
"""Independent check of one `spaceplan allocate` run, with HiGHS as the reference solver.

    python3 bench/allocation_reference.py DATA_DIR DEMAND_FILE ALLOCATION_OUT --joins FILE
        [--mip] [--time-limit S] [--lp-time-limit S] [--plain-lp] [--mip-gap G]
        [--rules FILE] [--lists FILE] [--until YEAR] [--threads N]

Example (sample district; the joins file comes from `spaceplan spacemap`):

    spaceplan spacemap --no-maps --data GIS/sample --out out/ref/spacemap
    spaceplan allocate --data GIS/sample --demand GIS/sample/demand.csv --out out/ref/alloc
    python3 bench/allocation_reference.py GIS/sample GIS/sample/demand.csv out/ref/alloc \\
        --joins out/ref/spacemap/joins/enterprise_building.csv --mip

What it reads, and from where:
  * DATA_DIR/carriers.csv: the raw carriers (id, type, floor_area_m2, occupied_m2, building_ids
    `;`-separated, unit_m2, rent_yuan_m2_month; empty unit or rent = none). vacant =
    max(0, floor_area_m2 - occupied_m2). The file is read under this name and these columns;
    a layers.json with other names or field renames is not followed.
  * DATA_DIR/enterprises.csv: id and sector of the district's present firms.
  * --joins FILE (required; `spaceplan spacemap`'s joins/enterprise_building.csv, columns
    enterprise_id, building_id, ...): which building each present firm is in. A carrier's
    present firms are, for each of its building_ids in order, every enterprise matched to that
    building (a firm counts once per carrier building it is in); a carrier's sector share is
    the count per sector / their total (no firms: all shares 0).
  * The carriers' ZONES are taken from ALLOCATION_OUT/carriers.csv (column `zones`,
    `;`-separated), i.e. from spaceplan's own zone membership (the zones of the carrier's
    first building found); this script does no geometry. Everything else is recomputed.
  * DEMAND_FILE: the firms (CSV with `;`-separated lists, or JSON: an array or {"firms": [...]}).
  * ALLOCATION_OUT/assignments.csv (firm_id, carrier_id, area_m2), allocation.json (objective,
    bound, solver, proven_optimal) and unplaced.csv (firm_id, reason).
  * --rules (default GIS/config/allocation.json) and --lists (default
    GIS/config/positive_lists.json), next to this script's repository.

The model (docs/allocation.md): a firm may enter a carrier iff vacant > 0, the carrier's type is
on the stage ladder of the firm's stage, the firm's sector is on the positive list of every
listed zone of the carrier, not (rent and max rent both given and rent > max rent), and its base
area <= vacant + 1e-6 (base = min_m2, rounded up to whole units where the carrier lets units).
A placement takes base + extra m² (extra up to the preferred area, whole units where let by the
unit) and is worth w x (min_m2 + area_above_minimum_weight x extra), w = priority x (1 +
preferred_zone bonus + sector_cluster x share); priority = the firm's, else base + flag weights.

Capacity: every placement in a carrier that lets units is whole units, so its load can never
pass its vacant space rounded down to whole units, floor(vacant/unit + 1e-9) x unit
("lettable"). Capping it there instead of at vacant leaves the MIP and its optimum unchanged but
tightens the LP; spaceplan's solvers (since commit 2a0e7a0) use it, so the LP below does too
(--plain-lp also solves and reports the LP with capacity = vacant, which can lie above
spaceplan's bound without anything being wrong). The rule checks use vacant.

Checks (each failure is listed; the exit status is 1 if any fails):
  1. every assignment against every rule, from the raw records: known firm and carrier, firm
     placed at most once, stage ladder, positive lists, rent, minimum (base) and preferred area,
     whole units, capacity per carrier, firms moving in after --until; and every firm either
     placed or listed in unplaced.csv with the reason spaceplan's filters imply
     (stage_mismatch, off_positive_list, rent_too_high, too_large, tried in that order over the
     carriers with lettable space; no_capacity where it had an admissible carrier).
  2. the objective recomputed from the raw records equals allocation.json's `objective`
     (relative 1e-6, plus 0.005 for the two decimals allocation.json keeps).
  3. the LP relaxation (whole-unit capacities) solved by HiGHS: for the heuristic, whose bound is
     a Lagrangian (LP) bound, allocation.json's `bound` >= the LP optimum (relative 1e-7, plus
     0.005); for the exact solver (CBC's branch-and-bound bound, which may lie below the LP),
     `bound` >= the objective (and, with --mip, >= HiGHS's best feasible worth). Prints the
     objective's gap to the LP optimum. The LP is solved in an equivalent form with one row per
     firm and per carrier only (see solve_lp), which keeps 1M-option instances to about a minute.
  4. with --mip: the MIP solved by HiGHS (--time-limit, default 120 s): spaceplan's objective
     <= the upper bound (HiGHS's MIP bound, or the LP optimum if lower, e.g. when the time runs
     out before the root); if both claim a proven optimum, they agree (relative 1e-6). HiGHS's
     own assignment is re-checked against every rule and its worth recomputed.
Areas in assignments.csv carry one decimal, so area rules allow 0.05 m² per assignment.

The option table is built with numpy in blocks of firms (no Python loop over firm-carrier
pairs) and the LP/MIP with scipy.sparse; each step's time goes to stderr. Needs
`pip install numpy scipy pandas highspy`.
"""

import argparse
import ctypes
import json
import os
import math
import sys
import time
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp

REPO = Path(__file__).resolve().parents[1]
AREA_TOL = 0.05 + 1e-6   # assignments.csv rounds areas to 0.1 m²
OBJ_REL_TOL = 1e-6
BOUND_REL_TOL, JSON_ABS = 1e-7, 0.005  # allocation.json rounds objective and bound to 0.01
REASONS = ["stage_mismatch", "off_positive_list", "rent_too_high", "too_large"]
BLOCK_PAIRS = 2_000_000  # firm-carrier pairs per block when building options


class Clock:
    def __init__(self):
        self.t0 = self.t = time.perf_counter()

    def step(self, what):
        now = time.perf_counter()
        print(f"[{now - self.t0:8.2f} s] {what} ({now - self.t:.2f} s)", file=sys.stderr, flush=True)
        self.t = now


def read_csv(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def num_or_nan(series):
    s = series.astype(str).str.strip()
    return np.array(pd.to_numeric(s.where(s != "", None), errors="raise"), dtype=float)


def split_list(text):
    if isinstance(text, list):
        return [str(x).strip() for x in text if str(x).strip()]
    if text is None:
        return []
    return [p.strip() for p in str(text).split(";") if p.strip()]


# ---------------------------------------------------------------- inputs

def load_rules(path):
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    v = lambda k: raw[k]["value"]
    return {"stages": v("stages"), "base": float(v("priority")["base"]),
            "flags": {k: float(x) for k, x in v("priority")["flags"].items()},
            "pref_bonus": float(v("fit")["preferred_zone"]), "cluster": float(v("fit")["sector_cluster"]),
            "above": float(v("area_above_minimum_weight"))}


def load_lists(path):
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return {zone: set(entry["sectors"]) for zone, entry in raw["lists"].items()}


def load_demand(path):
    path = Path(path)
    if path.suffix.lower() == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        records = data["firms"] if isinstance(data, dict) else data
        df = pd.DataFrame([{k: ("" if r.get(k) is None else r.get(k)) for k in
                            ("id", "sector", "stage", "flags", "min_m2", "preferred_m2", "preferred_zones",
                             "move_in_year", "priority", "max_rent_yuan_m2_month")} for r in records])
    else:
        df = read_csv(path)
        for col in ("flags", "preferred_zones", "priority", "max_rent_yuan_m2_month"):
            if col not in df:
                df[col] = ""
    return {
        "id": df["id"].astype(str).str.strip().to_numpy(),
        "sector": df["sector"].astype(str).str.strip().to_numpy(),
        "stage": df["stage"].astype(str).str.strip().to_numpy(),
        "flags": [split_list(x) for x in df["flags"]],
        "min": num_or_nan(df["min_m2"]),
        "pref": num_or_nan(df["preferred_m2"]),
        "zones": [split_list(x) for x in df["preferred_zones"]],
        "year": num_or_nan(df["move_in_year"]),
        "priority": num_or_nan(df["priority"]),
        "max_rent": num_or_nan(df["max_rent_yuan_m2_month"]),
    }


def load_carriers(data_dir, alloc_dir, joins_file, sectors):
    raw = read_csv(Path(data_dir) / "carriers.csv")
    out_c = read_csv(Path(alloc_dir) / "carriers.csv")
    zones_of = dict(zip(out_c["carrier_id"], out_c["zones"]))
    ids = raw["id"].astype(str).str.strip().to_numpy()
    missing = [c for c in ids if c not in zones_of]
    floor = num_or_nan(raw["floor_area_m2"])
    occupied = num_or_nan(raw["occupied_m2"])
    unit = num_or_nan(raw["unit_m2"]) if "unit_m2" in raw else np.full(len(ids), np.nan)
    rent = num_or_nan(raw["rent_yuan_m2_month"]) if "rent_yuan_m2_month" in raw else np.full(len(ids), np.nan)
    if (unit <= 0).any():
        sys.exit(f"{data_dir}/carriers.csv: unit_m2 must be positive (spaceplan refuses it too)")
    buildings = [split_list(x) for x in raw["building_ids"]] if "building_ids" in raw else [[] for _ in ids]

    # Sector shares from the joins: per carrier building (in order, repeats counted again), every
    # firm matched to it. carrier x building incidence @ building x sector counts.
    ents = read_csv(Path(data_dir) / "enterprises.csv")
    sector_of = dict(zip(ents["id"].astype(str).str.strip(), ents["sector"].astype(str).str.strip()))
    joins = read_csv(joins_file)
    joins = joins[joins["building_id"].astype(str).str.strip() != ""]
    join_sector = joins["enterprise_id"].astype(str).str.strip().map(sector_of).fillna("").to_numpy()
    for s in sorted(set(join_sector) - set(sectors)):
        sectors.append(s)  # sectors no incoming firm has still count in the totals
    sec_idx = {s: k for k, s in enumerate(sectors)}
    b_codes, b_names = pd.factorize(joins["building_id"].astype(str).str.strip())
    counts = sp.csr_matrix((np.ones(len(b_codes)), (b_codes, [sec_idx[s] for s in join_sector])),
                           shape=(len(b_names), len(sectors)))
    b_idx = {b: k for k, b in enumerate(b_names)}
    pairs = [(c, b_idx[b]) for c, bs in enumerate(buildings) for b in bs if b in b_idx]
    M = sp.csr_matrix((np.ones(len(pairs)), ([c for c, _ in pairs], [b for _, b in pairs])), shape=(len(ids), len(b_names)))
    per_carrier = np.asarray((M @ counts).todense()).reshape(len(ids), len(sectors))
    n_present = per_carrier.sum(axis=1)
    shares = np.divide(per_carrier, n_present[:, None], out=np.zeros_like(per_carrier), where=n_present[:, None] > 0).T
    return {
        "id": ids, "type": raw["type"].astype(str).str.strip().to_numpy(),
        "zones": [split_list(zones_of.get(c, "")) for c in ids], "missing_in_output": missing,
        "floor": floor, "occupied": occupied, "vacant": np.maximum(0.0, floor - occupied),
        # vacant space in whole units where the carrier lets units: the most any allocation can let
        "lettable": np.where(np.isnan(unit), np.maximum(0.0, floor - occupied),
                             np.floor(np.maximum(0.0, floor - occupied) / np.where(np.isnan(unit), 1.0, unit) + 1e-9)
                             * np.where(np.isnan(unit), 1.0, unit)),
        "unit": unit, "rent": rent, "shares": shares, "present": n_present,
        "vacant_out": dict(zip(out_c["carrier_id"], pd.to_numeric(out_c.get("vacant_before_m2", pd.Series(dtype=str)), errors="coerce"))),
    }


# ---------------------------------------------------------------- the option table

def build_options(F, C, rules, lists, sectors, until):
    """Every admissible (firm, carrier) pair, vectorised in blocks of firms. Returns the option
    arrays and, per firm, how far its best carrier got through the filters (0..4)."""
    nF, nC = len(F["id"]), len(C["id"])
    types = sorted(set(C["type"]))
    stages = sorted(set(F["stage"]) | set(rules["stages"]))
    ladder = np.array([[t in rules["stages"].get(s, []) for t in types] for s in stages], bool)
    stage_i = np.array([stages.index(s) for s in F["stage"]])
    type_i = np.array([types.index(t) for t in C["type"]])
    sec_i = np.array([sectors.index(s) for s in F["sector"]])
    # admit[s, c]: sector s is on the list of every listed zone of carrier c
    admit = np.ones((len(sectors), nC), bool)
    for c, zs in enumerate(C["zones"]):
        for z in zs:
            if z in lists:
                admit[:, c] &= np.array([s in lists[z] for s in sectors])
    # preferred zones: firm x zone and carrier x zone incidence
    zone_ids = sorted({z for zs in C["zones"] for z in zs} | {z for zs in F["zones"] for z in zs})
    zk = {z: k for k, z in enumerate(zone_ids)}
    P = sp.csr_matrix((np.ones(sum(map(len, F["zones"]))),
                       ([f for f, zs in enumerate(F["zones"]) for _ in zs], [zk[z] for zs in F["zones"] for z in zs])),
                      shape=(nF, len(zone_ids)))
    Q = sp.csr_matrix((np.ones(sum(map(len, C["zones"]))),
                       ([c for c, zs in enumerate(C["zones"]) for _ in zs], [zk[z] for zs in C["zones"] for z in zs])),
                      shape=(nC, len(zone_ids)))
    priority = np.where(np.isnan(F["priority"]),
                        np.array([rules["base"] + sum(rules["flags"].get(g, 0.0) for g in fl) for fl in F["flags"]]),
                        F["priority"])
    later = (F["year"] > until) if until is not None else np.zeros(nF, bool)

    unit, vac, rent = C["unit"], C["vacant"], C["rent"]
    has_unit = ~np.isnan(unit)
    u = np.where(has_unit, unit, 1.0)
    parts = {k: [] for k in ("f", "c", "base", "emax", "w")}
    furthest = np.zeros(nF, int)
    block = max(1, BLOCK_PAIRS // max(1, nC))
    for lo in range(0, nF, block):
        hi = min(nF, lo + block)
        fs = np.arange(lo, hi)
        mn = F["min"][fs, None]
        # (lettable > 0 rather than vacant > 0 only changes which reason a firm with no
        # carrier gets, as in spaceplan: base <= vacant fails wherever lettable is 0)
        ok1 = (C["lettable"][None, :] > 0) & ladder[stage_i[fs]][:, type_i] & ~later[fs, None]
        ok2 = ok1 & admit[sec_i[fs]]
        bad_rent = rent[None, :] > F["max_rent"][fs, None]          # NaN on either side: False
        ok3 = ok2 & ~bad_rent
        base = np.where(has_unit[None, :], np.ceil(mn / u[None, :] - 1e-9) * u[None, :], mn)
        ok4 = ok3 & (base <= vac[None, :] + 1e-6)
        furthest[fs] = np.select([ok4.any(1), ok3.any(1), ok2.any(1), ok1.any(1)], [4, 3, 2, 1], 0)
        fi, ci = np.nonzero(ok4)
        if len(fi) == 0:
            continue
        b = base[fi, ci]
        e = np.where(has_unit[ci], np.maximum(0.0, np.floor((F["pref"][fs[fi]] - b) / u[ci] + 1e-9)) * u[ci],
                     F["pref"][fs[fi]] - F["min"][fs[fi]])
        inpref = (P[lo:hi] @ Q.T).toarray()[fi, ci] > 0
        share = C["shares"][sec_i[fs[fi]], ci]
        w = priority[fs[fi]] * (1 + np.where(inpref, rules["pref_bonus"], 0.0) + rules["cluster"] * share)
        parts["f"].append(fs[fi]); parts["c"].append(ci); parts["base"].append(b); parts["emax"].append(e); parts["w"].append(w)
    opt = {k: (np.concatenate(v) if v else np.zeros(0, int if k in "fc" else float)) for k, v in parts.items()}
    opt["value"] = opt["w"] * F["min"][opt["f"]]
    opt["xval"] = opt["w"] * rules["above"]
    opt["unit"] = np.where(has_unit[opt["c"]], unit[opt["c"]], np.nan) if len(opt["c"]) else np.zeros(0)
    return opt, furthest, priority, later


# ---------------------------------------------------------------- the rules, per assignment

def check_assignments(triples, F, C, rules, lists, sectors, priority, later, until):
    """Checks (firm id, carrier id, area) triples against every rule from the raw records, and
    recomputes their worth. Independent of the option table. Returns (violations, worth,
    placed firm indices, load per carrier)."""
    firm_ix = {f: k for k, f in enumerate(F["id"])}
    carrier_ix = {c: k for k, c in enumerate(C["id"])}
    sec_ix = {s: k for k, s in enumerate(sectors)}
    violations, placed, worth = [], set(), 0.0
    load, count = np.zeros(len(C["id"])), np.zeros(len(C["id"]), int)
    for fid, cid, area in triples:
        if fid not in firm_ix or cid not in carrier_ix:
            violations.append(f"{fid} -> {cid}: unknown firm or carrier")
            continue
        f, c = firm_ix[fid], carrier_ix[cid]
        if f in placed:
            violations.append(f"{fid} placed more than once (again in {cid})")
        placed.add(f)
        stage, ctype, sector = F["stage"][f], C["type"][c], F["sector"][f]
        if later[f]:
            violations.append(f"{fid} moves in {int(F['year'][f])}, after --until {until}")
        if C["vacant"][c] <= 0:
            violations.append(f"{fid} in {cid}, which has no vacant space")
        if ctype not in rules["stages"].get(stage, []):
            violations.append(f"{fid} ({stage}) in {cid} ({ctype}): not on its stage ladder")
        for z in C["zones"][c]:
            if z in lists and sector not in lists[z]:
                violations.append(f"{fid} ({sector}) in {cid}: zone {z}'s positive list does not admit it")
        rent, limit = C["rent"][c], F["max_rent"][f]
        if not np.isnan(rent) and not np.isnan(limit) and rent > limit:
            violations.append(f"{fid} in {cid}: rent {rent:g} above its limit {limit:g}")
        unit, mn, pf = C["unit"][c], F["min"][f], F["pref"][f]
        floor_area = mn if np.isnan(unit) else math.ceil(mn / unit - 1e-9) * unit
        if area < floor_area - AREA_TOL:
            violations.append(f"{fid} in {cid}: {area:g} m² below its minimum {floor_area:g}")
        if area > max(pf, floor_area) + AREA_TOL:
            violations.append(f"{fid} in {cid}: {area:g} m² above its preferred {pf:g}")
        if not np.isnan(unit) and abs(area / unit - round(area / unit)) > AREA_TOL / unit:
            violations.append(f"{fid} in {cid}: {area:g} m² is not whole units of {unit:g}")
        load[c] += area
        count[c] += 1
        pref = rules["pref_bonus"] if set(C["zones"][c]) & set(F["zones"][f]) else 0.0
        w = priority[f] * (1 + pref + rules["cluster"] * C["shares"][sec_ix[sector], c])
        worth += w * (mn + rules["above"] * (area - floor_area))
    for c in np.nonzero(load > C["vacant"] + AREA_TOL * np.maximum(count, 1))[0]:
        violations.append(f"{C['id'][c]} over capacity: {load[c]:.1f} m² let of {C['vacant'][c]:.1f} vacant")
    return violations, worth, placed, load


# ---------------------------------------------------------------- HiGHS

def new_highs():
    """A Highs object, without the banner its constructor prints on stdout."""
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        h = highspy.Highs()
        ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    h.setOptionValue("output_flag", False)
    return h


def solve_lp(opt, F, C, time_limit, threads, capacity):
    """The LP relaxation, in an equivalent form without the link rows: per option, column a (placed
    at its base: worth value, takes base) and, where extra_max > 0, column b (placed with all its
    extra: worth value + extra worth x extra_max, takes base + extra_max); rows: a + b summed over
    a firm's options <= 1, and carrier capacity. Any (x, z) with 0 <= z <= extra_max·x, x <= 1 is
    a = x - z/extra_max, b = z/extra_max and back, at the same worth and area, so the optimum is the
    LP relaxation's (with units relaxed too), with nF + nC rows only."""
    nF, nC, n = len(F["id"]), len(C["id"]), len(opt["f"])
    zo = np.nonzero(opt["emax"] > 0)[0]
    m = len(zo)
    rows = np.concatenate([opt["f"], nF + opt["c"], opt["f"][zo], nF + opt["c"][zo]])
    cols = np.concatenate([np.arange(n), np.arange(n), n + np.arange(m), n + np.arange(m)])
    vals = np.concatenate([np.ones(n), opt["base"], np.ones(m), opt["base"][zo] + opt["emax"][zo]])
    A = sp.csc_matrix((vals, (rows, cols)), shape=(nF + nC, n + m))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n + m, nF + nC
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.concatenate([opt["value"], opt["value"][zo] + opt["xval"][zo] * opt["emax"][zo]])
    lp.col_lower_ = np.zeros(n + m)
    lp.col_upper_ = np.ones(n + m)
    lp.row_lower_ = np.full(nF + nC, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.ones(nF), capacity])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    h = new_highs()
    h.setOptionValue("threads", threads)
    h.setOptionValue("time_limit", float(time_limit))
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t
    model_status = h.getModelStatus()
    optimum = h.getInfo().objective_function_value if model_status == highspy.HighsModelStatus.kOptimal else None
    return {"status": h.modelStatusToString(model_status), "seconds": seconds, "rows": nF + nC, "cols": n + m,
            "nnz": A.nnz, "version": h.version(), "optimum": optimum}


def solve(opt, F, C, relax, time_limit, threads, mip_gap):
    """The MIP (or its LP relaxation) over the option table. Columns: x_o in [0, 1] per option,
    then z_j per option with extra_max > 0: extra m² (or number of units where the carrier lets
    units; integer in the MIP). Rows: one option per firm; carrier capacity; z_j·step <= extra_max·x_o."""
    nF, nC, n = len(F["id"]), len(C["id"]), len(opt["f"])
    zo = np.nonzero(opt["emax"] > 0)[0]
    m = len(zo)
    step = np.where(np.isnan(opt["unit"][zo]), 1.0, opt["unit"][zo])   # m² per z unit
    # rows: firms [0, nF), carriers [nF, nF+nC), links [nF+nC, nF+nC+m)
    rows = np.concatenate([opt["f"], nF + opt["c"], nF + nC + np.arange(m),      # x columns
                           nF + opt["c"][zo], nF + nC + np.arange(m)])           # z columns
    cols = np.concatenate([np.arange(n), np.arange(n), zo, n + np.arange(m), n + np.arange(m)])
    vals = np.concatenate([np.ones(n), opt["base"], -opt["emax"][zo], step, step])
    A = sp.csc_matrix((vals, (rows, cols)), shape=(nF + nC + m, n + m))
    A.sum_duplicates()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n + m, nF + nC + m
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.concatenate([opt["value"], opt["xval"][zo] * step])
    lp.col_lower_ = np.zeros(n + m)
    lp.col_upper_ = np.concatenate([np.ones(n), opt["emax"][zo] / step])
    lp.row_lower_ = np.full(nF + nC + m, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.ones(nF), C["lettable"], np.zeros(m)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    if not relax:
        integral = np.concatenate([np.ones(n, bool), ~np.isnan(opt["unit"][zo])])
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integral]
    h = new_highs()
    h.setOptionValue("threads", threads)
    h.setOptionValue("time_limit", float(time_limit))
    if not relax:
        h.setOptionValue("mip_rel_gap", mip_gap)
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t
    model_status = h.getModelStatus()
    info = h.getInfo()
    out = {"status": h.modelStatusToString(model_status), "seconds": seconds,
           "rows": nF + nC + m, "cols": n + m, "nnz": A.nnz, "version": h.version()}
    if relax:
        out["optimum"] = info.objective_function_value if model_status == highspy.HighsModelStatus.kOptimal else None
        return out
    out["bound"] = info.mip_dual_bound
    out["proven"] = model_status == highspy.HighsModelStatus.kOptimal
    out["gap"] = info.mip_gap
    out["incumbent"], out["triples"] = None, []
    if info.primal_solution_status == 2:  # kSolutionStatusFeasible
        out["incumbent"] = info.objective_function_value
        col = np.asarray(h.getSolution().col_value)
        extra = np.zeros(n)
        zval = col[n:]
        extra[zo] = np.where(np.isnan(opt["unit"][zo]), zval, step * np.round(zval))
        chosen = np.nonzero(col[:n] > 0.5)[0]
        area = opt["base"][chosen] + np.clip(extra[chosen], 0, opt["emax"][chosen])
        out["triples"] = list(zip(F["id"][opt["f"][chosen]], C["id"][opt["c"][chosen]], area.tolist()))
    return out


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir")
    ap.add_argument("demand_file")
    ap.add_argument("allocation_out")
    ap.add_argument("--joins", required=True, help="spacemap's joins/enterprise_building.csv")
    ap.add_argument("--mip", action="store_true", help="also solve the MIP with HiGHS")
    ap.add_argument("--time-limit", type=float, default=120.0, help="seconds for the HiGHS MIP (default 120)")
    ap.add_argument("--lp-time-limit", type=float, default=1800.0, help="seconds for the HiGHS LP (default 1800)")
    ap.add_argument("--plain-lp", action="store_true",
                    help="also solve the LP with capacity = vacant (not rounded down to whole units) and report it")
    ap.add_argument("--mip-gap", type=float, default=0.0, help="HiGHS mip_rel_gap (default 0)")
    ap.add_argument("--threads", type=int, default=1, help="HiGHS threads (default 1)")
    ap.add_argument("--rules", default=str(REPO / "GIS" / "config" / "allocation.json"))
    ap.add_argument("--lists", default=str(REPO / "GIS" / "config" / "positive_lists.json"))
    ap.add_argument("--until", type=int, help="as spaceplan allocate --until: firms moving in later are not placed")
    args = ap.parse_args()
    clock = Clock()
    out_dir = Path(args.allocation_out)
    summary = json.loads((out_dir / "allocation.json").read_text(encoding="utf-8"))

    rules = load_rules(args.rules)
    lists = load_lists(args.lists)
    F = load_demand(args.demand_file)
    nF = len(F["id"])
    sectors = sorted(set(F["sector"]))  # load_carriers appends the present firms' other sectors
    clock.step(f"read rules, lists and {nF} firms")
    C = load_carriers(args.data_dir, out_dir, args.joins, sectors)
    nC = len(C["id"])
    input_issues = []
    if C["missing_in_output"]:
        input_issues.append(f"{len(C['missing_in_output'])} carriers missing from {out_dir / 'carriers.csv'}: "
                            f"{C['missing_in_output'][:10]}")
    for c, cid in enumerate(C["id"]):
        v = C["vacant_out"].get(cid)
        if v is not None and not np.isnan(v) and abs(v - C["vacant"][c]) > AREA_TOL:
            input_issues.append(f"{cid}: vacant_before_m2 {v} in carriers.csv, {C['vacant'][c]} from the raw record")
    clock.step(f"read {nC} carriers, zones and sector shares ({int(C['present'].sum())} present firm-building matches)")

    opt, furthest, priority, later = build_options(F, C, rules, lists, sectors, args.until)
    n = len(opt["f"])
    clock.step(f"built {n} admissible options ({nF} x {nC} pairs)")

    # ---- 1. every assignment against every rule, from the raw records
    asg = read_csv(out_dir / "assignments.csv")
    triples = list(zip(asg["firm_id"], asg["carrier_id"], asg["area_m2"].astype(float)))
    violations, worth, placed, load = check_assignments(triples, F, C, rules, lists, sectors, priority, later, args.until)
    # every firm placed or listed as unplaced, with the reason the filters imply
    reason_issues = []
    unplaced_path = out_dir / "unplaced.csv"
    if unplaced_path.exists():
        un = read_csv(unplaced_path)
        reason_of = dict(zip(un["firm_id"], un["reason"]))
        for f, fid in enumerate(F["id"]):
            if f in placed:
                if fid in reason_of:
                    reason_issues.append(f"{fid} both placed and unplaced ({reason_of[fid]})")
                continue
            expect = "moves_in_later" if later[f] else ("no_capacity" if furthest[f] == 4 else REASONS[furthest[f]])
            if reason_of.get(fid) != expect:
                reason_issues.append(f"{fid}: unplaced reason {reason_of.get(fid)!r}, the rules imply {expect!r}")
    clock.step(f"checked {len(asg)} assignments")

    # ---- 2. objective
    objective, bound = float(summary["objective"]), float(summary["bound"])
    obj_ok = abs(worth - objective) <= OBJ_REL_TOL * max(1.0, abs(worth)) + JSON_ABS

    # ---- 3. LP relaxation
    lp = solve_lp(opt, F, C, time_limit=args.lp_time_limit, threads=args.threads, capacity=C["lettable"])
    clock.step(f"LP relaxation (whole-unit capacities): {lp['rows']} rows x {lp['cols']} columns, {lp['nnz']} nonzeros, {lp['status']}")
    lp_opt = lp["optimum"]
    plain = None
    if args.plain_lp:
        plain = solve_lp(opt, F, C, time_limit=args.lp_time_limit, threads=args.threads, capacity=C["vacant"])
        clock.step(f"LP relaxation (capacity = vacant): {plain['status']}")

    # ---- 4. MIP
    mip = None
    if args.mip:
        mip = solve(opt, F, C, relax=False, time_limit=args.time_limit, threads=args.threads, mip_gap=args.mip_gap)
        clock.step(f"MIP: {mip['status']}")
        if mip["triples"]:
            mip["violations"], mip["worth"], _, _ = check_assignments(
                mip["triples"], F, C, rules, lists, sectors, priority, later, args.until)
            clock.step("checked HiGHS's own assignment against the rules")

    # ---- summary
    p = print
    ok = lambda good: "ok  " if good else "FAIL"
    exact = str(summary.get("solver", "")).startswith("exact")
    has_option = np.zeros(nF, bool)
    has_option[opt["f"]] = True
    p(f"allocation check: {out_dir}  (solver {summary.get('solver')}, proven_optimal={summary.get('proven_optimal')}; "
      f"reference HiGHS {lp['version']})")
    p(f"  {nF} firms, {nC} carriers ({int((C['vacant'] > 0).sum())} with vacant space, {C['vacant'].sum():,.0f} m²), "
      f"{n} admissible options; {int((~has_option).sum())} firms with none; placed {len(placed)} firms, {load.sum():,.1f} m²")
    failures = []

    def report(name, good, line, details=()):
        p(f"  [{ok(good)}] {name}: {line}")
        for d in list(details)[:30]:
            p(f"           {d}")
        if len(details) > 30:
            p(f"           ... {len(details) - 30} more")
        if not good:
            failures.append(name)

    if input_issues:
        report("inputs", False, f"{len(input_issues)} disagreements between the raw carriers and carriers.csv", input_issues)
    report("rules", not violations, f"{len(violations)} violations in {len(asg)} assignments", violations)
    if unplaced_path.exists():
        report("unplaced reasons", not reason_issues, f"{len(reason_issues)} disagreements", reason_issues)
    report("objective", obj_ok, f"recomputed {worth:,.4f}, allocation.json {objective:,.2f} "
           f"(diff {worth - objective:+.4f}, {abs(worth - objective) / max(1.0, abs(worth)):.2e} relative)")
    if lp_opt is None:
        report("LP relaxation", False, f"not solved: {lp['status']} after {lp['seconds']:.1f} s")
    else:
        line = (f"HiGHS LP optimum {lp_opt:,.4f} ({lp['seconds']:.2f} s); objective {(lp_opt - objective) / lp_opt:.4%} "
                f"below it; spaceplan's bound {bound:,.2f} ({(bound - lp_opt) / lp_opt:+.4%} vs LP)")
        if plain is not None and plain["optimum"] is not None:
            line += (f"; with capacity = vacant (not whole units) the LP optimum is {plain['optimum']:,.4f} "
                     f"({plain['seconds']:.2f} s), bound {(bound - plain['optimum']) / plain['optimum']:+.4%} vs it")
        if exact:
            # CBC's best bound comes from branching: it may lie below the LP relaxation, and must
            # only cover every feasible solution (checked against spaceplan's own and HiGHS's below).
            good = bound >= objective - JSON_ABS
            report("bound", good, line + " [CBC's branch-and-bound bound: checked >= objective"
                   + (" and >= HiGHS's incumbent" if mip else "") + ", not >= LP]")
        else:
            good = bound >= lp_opt - BOUND_REL_TOL * abs(lp_opt) - JSON_ABS
            report("LP bound", good, line + " [bound >= LP optimum]")
    if mip is not None:
        # HiGHS's MIP bound, or the LP optimum where that is lower (e.g. the time ran out first)
        ub = min(x for x in (mip["bound"], lp_opt, math.inf) if x is not None and np.isfinite(x))
        good = objective <= ub + BOUND_REL_TOL * abs(ub) + JSON_ABS
        if mip["proven"]:
            line = f"HiGHS optimum {mip['incumbent']:,.4f} (proven, {mip['seconds']:.1f} s); " \
                   f"spaceplan {(mip['incumbent'] - objective) / mip['incumbent']:.4%} below it"
            if summary.get("proven_optimal") and abs(mip["incumbent"] - objective) > OBJ_REL_TOL * abs(mip["incumbent"]) + JSON_ABS:
                good = False
                line += ", although spaceplan claims a proven optimum"
        else:
            inc = f"{mip['incumbent']:,.4f}" if mip["incumbent"] is not None else "none"
            line = (f"HiGHS {mip['status']} after {mip['seconds']:.1f} s: its bound {mip['bound']:,.4f}, incumbent {inc}"
                    + (f" (gap {mip['gap']:.3%})" if mip["incumbent"] is not None else "")
                    + ("" if ub == mip["bound"] else f"; upper bound used: the LP optimum {ub:,.4f}"))
            if mip["incumbent"] is not None and mip["incumbent"] > objective + JSON_ABS:
                line += f"; HiGHS's incumbent beats spaceplan by {(mip['incumbent'] - objective) / mip['incumbent']:.4%}"
        line += f"; spaceplan's objective {'<=' if objective <= ub + JSON_ABS else '>'} the upper bound"
        if exact and mip["incumbent"] is not None and bound < mip["incumbent"] - BOUND_REL_TOL * abs(mip["incumbent"]) - JSON_ABS:
            good = False
            line += f"; CBC's bound {bound:,.2f} is below HiGHS's feasible {mip['incumbent']:,.4f}"
        report("MIP", good, line)
        if mip["triples"]:
            v = mip["violations"]
            agree = abs(mip["worth"] - mip["incumbent"]) <= 1e-6 * abs(mip["incumbent"])
            report("HiGHS's assignment", not v and agree,
                   f"{len(mip['triples'])} placements, {len(v)} rule violations, worth recomputed {mip['worth']:,.4f}", v)
    clock.step("done")
    if failures:
        p("FAILED: " + ", ".join(failures))
        sys.exit(1)
    p("all checks passed")


if __name__ == "__main__":
    main()
