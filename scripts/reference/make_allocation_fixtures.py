#!/usr/bin/env python3
"""Reference optima for the Swift allocation solvers (Allocation).

Generates four random allocation instances (40 firms x 6 carriers, 60 x 8,
80 x 10, 120 x 12), builds the mixed-integer programme of each from the raw
records (firms, carriers, positive lists) by the rules of docs/allocation.md,
with the rule values read from GIS/config/allocation.json at generation time,
solves it with HiGHS (highspy) to proven optimality (mip_rel_gap = mip_abs_gap
= 0), solves its LP relaxation too, and writes

    Tests/AllocationTests/Fixtures/allocation_reference.json

Nothing here comes from the Swift sources except the two vocabularies (sector
codes and kind flags of Sources/SpaceData/Records.swift `Vocabulary`), which
are written out below and checked against that file.

The model (one firm f, one carrier c):
  * vacant(c) = max(0, floor_area_m2 - occupied_m2)
  * f may enter c iff vacant > 0, c's type is in stages[f.stage], f's sector is
    on the positive list of every zone of c that has one, not (c.rent and
    f.max_rent both given and rent > max_rent), and base <= vacant + 1e-6
  * base = min_m2, or ceil(min_m2/unit - 1e-9)*unit where the carrier lets
    units; extra_max = preferred - min, or max(0, floor((preferred - base)/unit
    + 1e-9))*unit
  * priority = the firm's own, else priority.base + sum of priority.flags[flag]
  * w = priority * (1 + fit.preferred_zone [if a zone of c is one of f's
    preferred zones] + fit.sector_cluster * c.sector_shares[f.sector])
  * placing f in c with extra e is worth w*min_m2 + w*area_above_minimum_weight*e
    and takes base + e m² of c.
MIP: x_o binary, y_o (extra m²) in [0, extra_max_o * x_o], a whole number of
units where c lets units (modelled as y_o = unit * k_o, k_o integer); at most one
option per firm; per carrier sum(base*x + y) <= vacant. Maximise worth.
The LP relaxation drops the integrality of x and k. `lp_optimum` is that LP's optimum;
`lp_optimum_whole_units` is the LP's optimum when a carrier that lets units has as capacity its
vacant space rounded down to whole units (floor(vacant/unit + 1e-9)*unit): every placement
there is whole units, so the MIP and its optimum are the same (checked), but the LP is tighter.

The optimum assignment is re-checked from the raw records (every rule, every
capacity) and its worth recomputed before the file is written. The optimum is
unique in value, not necessarily in assignment: tests should compare objective
values (and check their own assignment's feasibility), not assignments.

Usage (no arguments, deterministic; pip install numpy scipy highspy):

    python3 scripts/reference/make_allocation_fixtures.py

Each instance takes at most a few seconds on one thread.
"""

import json
import math
import platform
import re
import sys
import time
from pathlib import Path

import highspy
import numpy as np
import scipy.sparse as sp

REPO = Path(__file__).resolve().parents[2]
RULES_FILE = REPO / "GIS" / "config" / "allocation.json"
RECORDS_SWIFT = REPO / "Sources" / "SpaceData" / "Records.swift"
OUT = REPO / "Tests" / "AllocationTests" / "Fixtures" / "allocation_reference.json"

# Sources/SpaceData/Records.swift, Vocabulary.sectors and Vocabulary.enterpriseFlags.
SECTORS = ["next_gen_it", "semiconductors", "biomedicine", "ai", "fintech", "green_low_carbon",
           "digital_economy", "culture_tech", "tech_services", "new_materials", "smart_devices", "other"]
FLAGS = ["national_high_tech", "strategic_emerging", "high_growth", "quasi_unicorn", "overseas_talent", "leading"]
CARRIER_TYPES = ["maker_space", "incubator", "accelerator", "park", "silicon_building"]
STAGES = ["start_up", "growth", "scale_up", "mature"]

SIZES = [("random_40x6", 40, 6, 108), ("random_60x8", 60, 8, 103),
         ("random_80x10", 80, 10, 104), ("random_120x12", 120, 12, 107)]
DEMAND_OVER_SUPPLY = 1.5
TIME_LIMIT_S = 600.0  # generous; every instance here is proven within seconds

# Typical vacant space per carrier type and minimum area per stage (m²), before the
# firms' areas are scaled so that their minimum areas add up to 1.5 x the vacant space.
VACANT_RANGE = {"maker_space": (200, 1200), "incubator": (500, 2500), "accelerator": (800, 4000),
                "park": (2000, 9000), "silicon_building": (1000, 6000)}
MIN_RANGE = {"start_up": (20, 200), "growth": (100, 600), "scale_up": (300, 1800), "mature": (600, 3500)}


def check_vocabulary():
    text = RECORDS_SWIFT.read_text(encoding="utf-8")

    def swift_list(name):
        m = re.search(name + r"\s*:\s*\[String\]\s*=\s*\[(.*?)\]", text, re.S)
        if not m:
            sys.exit(f"cannot find Vocabulary.{name} in {RECORDS_SWIFT}")
        return re.findall(r'"([^"]+)"', m.group(1))

    for name, mine in (("sectors", SECTORS), ("enterpriseFlags", FLAGS)):
        if swift_list(name) != mine:
            sys.exit(f"Vocabulary.{name} in Records.swift is {swift_list(name)}, this script has {mine}: update it")


def load_rules():
    raw = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    rules = {
        "area_above_minimum_weight": raw["area_above_minimum_weight"]["value"],
        "fit": raw["fit"]["value"],
        "priority": raw["priority"]["value"],
        "stages": raw["stages"]["value"],
    }
    assert set(rules["stages"]) == set(STAGES), rules["stages"]
    assert set(rules["priority"]["flags"]) <= set(FLAGS), rules["priority"]["flags"]
    return rules


# ---------------------------------------------------------------- instances

def make_instance(name, n_firms, n_carriers, seed):
    rng = np.random.default_rng(seed)
    listed = SECTORS[:-1]  # "other" is never on a list
    lists = {z: sorted(rng.choice(listed, size=int(rng.integers(5, 8)), replace=False).tolist(), key=SECTORS.index)
             for z in ("Z1", "Z2")}

    with_unit = set(rng.choice(n_carriers, size=round(0.3 * n_carriers), replace=False).tolist())
    with_rent = set(rng.choice(n_carriers, size=round(0.6 * n_carriers), replace=False).tolist())
    carriers = []
    for k in range(n_carriers):
        ctype = CARRIER_TYPES[k % len(CARRIER_TYPES)] if k < len(CARRIER_TYPES) else str(rng.choice(CARRIER_TYPES))
        zone = f"Z{int(rng.integers(1, 5))}"
        lo, hi = VACANT_RANGE[ctype]
        vacant = int(rng.integers(lo, hi + 1))
        floor_area = int(vacant * rng.uniform(2.0, 6.0))
        occupied = floor_area - vacant
        if k == n_carriers - 1:  # an overfull carrier: occupied above the floor area, vacant 0
            occupied = floor_area + int(rng.integers(1, 200))
        unit = int(rng.choice([25, 50, 100])) if k in with_unit else None
        rent = int(rng.integers(60, 161)) if k in with_rent else None
        shares = {}
        if rng.random() < 0.85:
            present = rng.choice(SECTORS, size=int(rng.integers(1, 6)), replace=False)
            counts = rng.integers(1, 30, size=len(present))
            total = counts.sum()
            shares = {str(s): round(float(c) / float(total), 4) for s, c in zip(present, counts)}
        carriers.append({"id": f"C{k + 1:03d}", "type": ctype, "zones": ["D", zone],
                         "floor_area_m2": floor_area, "occupied_m2": occupied,
                         "unit_m2": unit, "rent": rent, "sector_shares": shares})
    supply = sum(max(0, c["floor_area_m2"] - c["occupied_m2"]) for c in carriers)

    firms = []
    for k in range(n_firms):
        stage = str(rng.choice(STAGES, p=[0.35, 0.3, 0.2, 0.15]))
        sector = str(rng.choice(SECTORS, p=[0.13, 0.1, 0.1, 0.12, 0.08, 0.07, 0.1, 0.06, 0.08, 0.06, 0.06, 0.04]))
        n_flags = int(rng.choice([0, 0, 1, 1, 2, 3]))
        flags = sorted(rng.choice(FLAGS, size=n_flags, replace=False).tolist(), key=FLAGS.index)
        lo, hi = MIN_RANGE[stage]
        raw_min = float(np.exp(rng.uniform(math.log(lo), math.log(hi))))
        pref_factor = float(rng.choice([1.0, rng.uniform(1.05, 1.8)], p=[0.15, 0.85]))
        r = rng.random()
        zones = [] if r < 0.55 else [f"Z{int(rng.integers(1, 5))}"] if r < 0.9 else \
            sorted({f"Z{int(rng.integers(1, 5))}" for _ in range(2)})
        priority = round(float(rng.uniform(0.5, 3.5)), 1) if rng.random() < 0.2 else None
        max_rent = int(rng.integers(55, 151)) if rng.random() < 0.25 else None
        firms.append({"id": f"F{k + 1:04d}", "sector": sector, "stage": stage, "flags": flags,
                      "_raw_min": raw_min, "_pref_factor": pref_factor, "preferred_zones": zones,
                      "priority": priority, "max_rent": max_rent})
    # Scale the areas so the minima add up to about 1.5 x the vacant space; whole m².
    scale = DEMAND_OVER_SUPPLY * supply / sum(f["_raw_min"] for f in firms)
    for f in firms:
        f["min_m2"] = max(10, int(round(f.pop("_raw_min") * scale)))
        f["preferred_m2"] = max(f["min_m2"], int(round(f["min_m2"] * f.pop("_pref_factor"))))
    # One firm too large for any carrier (no admissible carrier by size).
    biggest = max(max(0, c["floor_area_m2"] - c["occupied_m2"]) for c in carriers)
    f = firms[int(rng.integers(0, n_firms))]
    f["min_m2"] = biggest + int(rng.integers(10, 300))
    f["preferred_m2"] = f["min_m2"] + int(rng.integers(0, 200))
    firms = [{k: f[k] for k in ("id", "sector", "stage", "flags", "min_m2", "preferred_m2",
                                "preferred_zones", "priority", "max_rent")} for f in firms]
    return {"name": name, "positive_lists": lists, "carriers": carriers, "firms": firms}


# ---------------------------------------------------------------- the model

def vacant(c):
    return max(0.0, float(c["floor_area_m2"]) - float(c["occupied_m2"]))


def lettable(c):
    """Vacant space in whole units where the carrier lets units: the most any allocation can let
    there (every placement is whole units), so the same MIP, but a tighter LP."""
    if c["unit_m2"] is None:
        return vacant(c)
    return math.floor(vacant(c) / c["unit_m2"] + 1e-9) * float(c["unit_m2"])


def areas(firm, unit):
    if unit is None:
        return float(firm["min_m2"]), float(firm["preferred_m2"]) - float(firm["min_m2"])
    base = math.ceil(firm["min_m2"] / unit - 1e-9) * unit
    extra = max(0, math.floor((firm["preferred_m2"] - base) / unit + 1e-9)) * unit
    return float(base), float(extra)


def priority_of(firm, rules):
    if firm["priority"] is not None:
        return float(firm["priority"])
    p = rules["priority"]
    return p["base"] + sum(p["flags"].get(flag, 0.0) for flag in firm["flags"])


def admissible(firm, carrier, lists, rules):
    if vacant(carrier) <= 0:
        return False
    if carrier["type"] not in rules["stages"][firm["stage"]]:
        return False
    if any(z in lists and firm["sector"] not in lists[z] for z in carrier["zones"]):
        return False
    if carrier["rent"] is not None and firm["max_rent"] is not None and carrier["rent"] > firm["max_rent"]:
        return False
    base, _ = areas(firm, carrier["unit_m2"])
    return base <= vacant(carrier) + 1e-6


def worth_per_m2(firm, carrier, rules):
    fit = rules["fit"]
    pref = fit["preferred_zone"] if set(firm["preferred_zones"]) & set(carrier["zones"]) else 0.0
    return priority_of(firm, rules) * (1 + pref + fit["sector_cluster"] * carrier["sector_shares"].get(firm["sector"], 0.0))


def options(inst, rules):
    out = []
    for f, firm in enumerate(inst["firms"]):
        for c, carrier in enumerate(inst["carriers"]):
            if admissible(firm, carrier, inst["positive_lists"], rules):
                base, extra = areas(firm, carrier["unit_m2"])
                w = worth_per_m2(firm, carrier, rules)
                out.append({"f": f, "c": c, "base": base, "extra": extra, "unit": carrier["unit_m2"],
                            "value": w * firm["min_m2"], "extra_value": w * rules["area_above_minimum_weight"]})
    return out


def solve(inst, rules, opts, relax, capacity=vacant):
    """`capacity`: vacant, or lettable (the same MIP). Columns: x_o (binary) for every option, then k_o for every option with extra > 0
    (extra m² where the carrier lets by the m², number of units where it lets units)."""
    n = len(opts)
    ext = [o for o, op in enumerate(opts) if op["extra"] > 0]
    nk = len(ext)
    step = np.array([opts[o]["unit"] or 1.0 for o in ext], float)  # m² per unit of k
    cost = np.concatenate([[op["value"] for op in opts], [opts[o]["extra_value"] * s for o, s in zip(ext, step)]])
    lower = np.zeros(n + nk)
    upper = np.concatenate([np.ones(n), [opts[o]["extra"] / s for o, s in zip(ext, step)]])
    integral = np.concatenate([np.ones(n, bool), [opts[o]["unit"] is not None for o in ext]]).astype(bool)
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0
    for f in range(len(inst["firms"])):  # at most one option per firm
        mine = [o for o in range(n) if opts[o]["f"] == f]
        if mine:
            rows += [r] * len(mine); cols += mine; vals += [1.0] * len(mine); lo.append(-np.inf); hi.append(1.0); r += 1
    for c, carrier in enumerate(inst["carriers"]):  # capacity
        mine = [o for o in range(n) if opts[o]["c"] == c]
        if not mine:
            continue
        rows += [r] * len(mine); cols += mine; vals += [opts[o]["base"] for o in mine]
        for j, o in enumerate(ext):
            if opts[o]["c"] == c:
                rows.append(r); cols.append(n + j); vals.append(step[j])
        lo.append(-np.inf); hi.append(capacity(carrier)); r += 1
    for j, o in enumerate(ext):  # step*k_o <= extra_max * x_o
        rows += [r, r]; cols += [n + j, o]; vals += [step[j], -opts[o]["extra"]]; lo.append(-np.inf); hi.append(0.0); r += 1
    a = sp.csc_matrix((vals, (rows, cols)), shape=(r, n + nk))

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", TIME_LIMIT_S)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n + nk, r
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lower, upper
    lp.row_lower_, lp.row_upper_ = np.array(lo), np.array(hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    if not relax:
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integral]
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        sys.exit(f"{inst['name']}: HiGHS {'LP' if relax else 'MIP'} status {h.modelStatusToString(status)}")
    info = h.getInfo()
    sol = np.array(h.getSolution().col_value)
    if not relax:
        gap = abs(info.mip_dual_bound - info.objective_function_value)
        assert gap <= 1e-9 * max(1.0, abs(info.objective_function_value)), (info.mip_dual_bound, info.objective_function_value)
    assignment = []
    if not relax:
        extra_of = {o: step[j] * round(sol[n + j]) if opts[o]["unit"] is not None else sol[n + j]
                    for j, o in enumerate(ext)}
        for o in range(n):
            if sol[o] > 0.5:
                e = extra_of.get(o, 0.0)
                e = min(max(e, 0.0), opts[o]["extra"])
                area = opts[o]["base"] + e
                if abs(area - round(area)) < 1e-6:
                    area = float(round(area))
                assignment.append({"firm": inst["firms"][opts[o]["f"]]["id"],
                                   "carrier": inst["carriers"][opts[o]["c"]]["id"], "area_m2": area})
    return info.objective_function_value, assignment, seconds, (r, n + nk, int(integral.sum()) if not relax else 0)


# ---------------------------------------------------------------- the check

def check(inst, rules, assignment):
    """Every rule, from the raw records; returns (violations, worth)."""
    firms = {f["id"]: f for f in inst["firms"]}
    carriers = {c["id"]: c for c in inst["carriers"]}
    problems, seen, load, worth = [], set(), {}, 0.0
    for a in assignment:
        f, c, area = firms[a["firm"]], carriers[a["carrier"]], a["area_m2"]
        if a["firm"] in seen:
            problems.append(f"{a['firm']} placed twice")
        seen.add(a["firm"])
        if not admissible(f, c, inst["positive_lists"], rules):
            problems.append(f"{a['firm']} may not enter {a['carrier']}")
        base, extra = areas(f, c["unit_m2"])
        if area < base - 1e-6 or area > base + extra + 1e-6:
            problems.append(f"{a['firm']} gets {area} m², outside [{base}, {base + extra}]")
        if c["unit_m2"] is not None and abs(area / c["unit_m2"] - round(area / c["unit_m2"])) > 1e-9:
            problems.append(f"{a['firm']} gets {area} m², not whole units of {c['unit_m2']}")
        load[a["carrier"]] = load.get(a["carrier"], 0.0) + area
        w = worth_per_m2(f, c, rules)
        worth += w * f["min_m2"] + w * rules["area_above_minimum_weight"] * (area - base)
    for cid, used in load.items():
        if used > vacant(carriers[cid]) + 1e-6:
            problems.append(f"{cid} over capacity: {used} > {vacant(carriers[cid])}")
    return problems, worth


def main():
    check_vocabulary()
    rules = load_rules()
    version = highspy.Highs().version()  # the constructor prints HiGHS's banner on stdout
    print(flush=True)
    instances = []
    for name, n_firms, n_carriers, seed in SIZES:
        inst = make_instance(name, n_firms, n_carriers, seed)
        opts = options(inst, rules)
        with_option = {inst["firms"][op["f"]]["id"] for op in opts}
        nowhere = [f["id"] for f in inst["firms"] if f["id"] not in with_option]
        optimum, assignment, mip_s, (rows, cols, n_int) = solve(inst, rules, opts, relax=False)
        lp_optimum, _, lp_s, _ = solve(inst, rules, opts, relax=True)
        lp_units, _, _, _ = solve(inst, rules, opts, relax=True, capacity=lettable)
        mip_units, _, _, _ = solve(inst, rules, opts, relax=False, capacity=lettable)
        if abs(mip_units - optimum) > 1e-9 * optimum:
            sys.exit(f"{name}: MIP with whole-unit capacities {mip_units} != {optimum}")
        problems, worth = check(inst, rules, assignment)
        if problems:
            sys.exit(f"{name}: the HiGHS assignment breaks rules: {problems}")
        if abs(worth - optimum) > 1e-9 * optimum:
            sys.exit(f"{name}: recomputed worth {worth!r} != HiGHS optimum {optimum!r}")
        if lp_optimum < optimum - 1e-9 * optimum:
            sys.exit(f"{name}: LP relaxation {lp_optimum} below the MIP optimum {optimum}")
        supply = sum(vacant(c) for c in inst["carriers"])
        used = sum(a["area_m2"] for a in assignment)
        print(f"{name}: {len(opts)} options, {rows} rows x {cols} columns ({n_int} integer); "
              f"optimum {optimum:.6f} (MIP {mip_s:.2f} s), LP {lp_optimum:.6f} ({lp_s:.3f} s), LP whole units {lp_units:.6f}, "
              f"gap {(lp_optimum - optimum) / lp_optimum:.3%}; placed {len(assignment)}/{n_firms}, "
              f"{used:.0f} of {supply:.0f} m² vacant let, demand min {sum(f['min_m2'] for f in inst['firms'])} m²; "
              f"{len(nowhere)} firms with no admissible carrier", file=sys.stderr)
        inst["optimum"] = optimum
        inst["lp_optimum"] = lp_optimum
        inst["lp_optimum_whole_units"] = lp_units
        inst["options"] = len(opts)
        inst["firms_without_admissible_carrier"] = nowhere
        inst["assignment"] = assignment
        instances.append(inst)

    doc = {
        "about": (f"Random allocation instances with proven optima, written by scripts/reference/"
                  f"make_allocation_fixtures.py (seeds {[s[3] for s in SIZES]}, numpy default_rng) from "
                  f"GIS/config/allocation.json's values (copied in rules_checked). The MIP (x binary per admissible "
                  f"firm-carrier option, extra m² continuous or whole units, one option per firm, carrier capacity) "
                  f"was built from the raw records below, independently of the Swift code, and solved by HiGHS "
                  f"{version} (highspy, 1 thread, mip_rel_gap 0, mip_abs_gap 0): `optimum` is proven optimal, "
                  f"`lp_optimum` is the LP relaxation's optimum (capacity = vacant), `lp_optimum_whole_units` the LP relaxation's optimum when the capacity of a carrier that lets units is its vacant space rounded down to whole units (floor(vacant/unit + 1e-9) x unit: the same MIP and the same optimum, a tighter LP), `assignment` one optimal assignment (others may "
                  f"exist; compare objective values). Worth per m² = priority x (1 + fit.preferred_zone if a carrier "
                  f"zone is a preferred zone + fit.sector_cluster x sector_shares[sector]); a placement is worth "
                  f"w x min_m2 + w x area_above_minimum_weight x (area - base). vacant = max(0, floor_area_m2 - "
                  f"occupied_m2); `rent` is rent_yuan_m2_month, `max_rent` max_rent_yuan_m2_month; zones without a "
                  f"positive list (D, Z3, Z4) admit every sector. Python {platform.python_version()}, numpy "
                  f"{np.__version__}."),
        "rules_checked": rules,
        "instances": instances,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)} ({len(text) / 1024:.0f} KB)", file=sys.stderr)


if __name__ == "__main__":
    main()
