#!/usr/bin/env python3
"""Reference optima for the Swift target programme (BuildOut, `TargetProgramme`).

Generates five random instances of the path-to-target programme from a seeded RNG, builds the
two-phase mixed-integer programme of each from its raw records alone (candidates, targets,
budgets, cap, cluster minima), by the mathematical description below (not from the Swift
code), solves both phases with HiGHS (highspy) to proven optimality (mip_rel_gap = mip_abs_gap
= 0), checks the solution against the raw records, and writes

    Tests/BuildOutTests/Fixtures/target_reference.json

The model. Years are whole years; as_of is the data's year, L the last target year.
  * candidate c (tech_m2, construction_years n_c, one_off_cost_yuan, annual_cost_yuan,
    displaced_m2, buildings, clusters, earliest_start) may start in s = max(as_of + 1,
    earliest_start) .. L - n_c (none if that is empty); started in s it is in use from s + n_c.
  * x[c,s] binary; sum_s x[c,s] <= 1; for every building b: sum over candidates using b of
    sum_s x[c,s] <= 1.
  * every target year T: opening_stock + sum_{s + n_c <= T} tech_c x[c,s] + short_T >= target_T,
    short_T >= 0.
  * every year y = as_of + 1 .. L: sum cost_c(y | s) x[c,s] <= budget(y), where cost_c(y | s) =
    one_off_c [y = s] + annual_c [s <= y <= L] and budget(y) = by_year[y], else the default.
  * sum displaced_c x[c,s] <= displacement_cap.
  * every cluster k with a minimum share m_k: sum (1[k in clusters_c] - m_k) tech_c x[c,s] +
    gap_k >= 0, gap_k >= 0 (the share of all the space added, which is all in use by L).
  * phase 1: minimise sum_T short_T + sum_k gap_k.
  * phase 2: each short_T and gap_k at most its phase-1 value v + max(1e-6, 1e-9 v); minimise
    sum x[c,s] (dc(c, s) + displacement_weight * displaced_c), the discounted cost
    dc(c, s) = sum_{y = s..L} cost_c(y | s) / (1 + r)^(y - as_of).

Every phase-1 variable (short_T, gap_k) is checked to take one value over all phase-1 optima
(its min and max over them agree), so phase 2, which holds each at that value, is well defined
whichever phase-1 optimum a solver finds. What binds is found by re-solving without it: the
budgets bind when dropping them lowers phase 1's or (phase 1 equal) phase 2's optimum; the same
for the displacement cap and the cluster minima.

Usage (no arguments, deterministic; pip install numpy highspy):

    python3 scripts/reference/make_target_fixtures.py
"""

import json
import platform
import sys
import time
from pathlib import Path

import highspy
import numpy as np

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "Tests" / "BuildOutTests" / "Fixtures" / "target_reference.json"
TIME_LIMIT_S = 600.0
HOLD_ABS, HOLD_REL = 1e-6, 1e-9


# ---------------------------------------------------------------- instances

# name, candidates, seed, as_of, target years, settings. `reach`: each target as the opening
# stock plus this share of the tech space all candidates could add; `budget`: the yearly budget
# as a share of all candidates' one-off cost; `cap`: the cap as a share of all displaced m².
INSTANCES = [
    dict(name="budget_binds_24", n=24, seed=7101, as_of=2024, targets=[2027, 2030], reach=[0.22, 0.45],
         budget=0.10, by_year={2025: 0.04}, cap=1.0, weight=500.0, rate=0.04, clusters={}),
    dict(name="cap_binds_36", n=36, seed=7202, as_of=2024, targets=[2026, 2028, 2031], reach=[0.10, 0.25, 0.40],
         budget=0.5, by_year={}, cap=0.18, weight=1500.0, rate=0.03, clusters={}),
    dict(name="cluster_share_44", n=44, seed=7303, as_of=2023, targets=[2026, 2029], reach=[0.15, 0.35],
         budget=0.30, by_year={2027: 0.12}, cap=0.6, weight=800.0, rate=0.05, clusters={"K1": 0.55, "K2": 0.15}),
    dict(name="unreachable_60", n=60, seed=7404, as_of=2024, targets=[2026, 2028, 2030], reach=[0.25, 0.55, 0.80],
         budget=0.12, by_year={2026: 0.05}, cap=0.35, weight=1000.0, rate=0.04, clusters={"K1": 0.3}),
    dict(name="everything_50", n=50, seed=7505, as_of=2025, targets=[2027, 2029, 2032], reach=[0.08, 0.30, 0.60],
         budget=0.14, by_year={2028: 0.06, 2030: 0.20}, cap=0.30, weight=2000.0, rate=0.06, clusters={"K1": 0.45}),
]


def make_instance(spec):
    rng = np.random.default_rng(spec["seed"])
    n, as_of = spec["n"], spec["as_of"]
    n_buildings = int(0.8 * n)
    candidates = []
    for k in range(n):
        tech = int(rng.integers(50, 2001)) * 10
        years = int(rng.integers(0, 5))
        one_off = int(round(tech * rng.uniform(2_000, 12_000) / 1_000)) * 1_000
        annual = int(round(tech * rng.uniform(50, 400) / 1_000)) * 1_000 if rng.random() < 0.5 else 0
        r = rng.random()
        buildings = [] if r < 0.1 else sorted(int(b) for b in rng.choice(n_buildings, size=1 if r < 0.75 else 2, replace=False))
        displaced = int(rng.integers(20, 801)) * 10 if rng.random() < 0.45 else 0
        clusters = []
        if spec["clusters"]:
            for cl, p in zip(["K1", "K2"], [0.35, 0.2]):
                if rng.random() < p:
                    clusters.append(cl)
        earliest = int(as_of + rng.integers(0, 5)) if rng.random() < 0.2 else None
        candidates.append({"id": f"C{k + 1:03d}", "tech_m2": tech, "construction_years": years,
                           "one_off_cost_yuan": one_off, "annual_cost_yuan": annual, "displaced_m2": displaced,
                           "buildings": buildings, "clusters": clusters, "earliest_start": earliest})
    opening = int(rng.integers(50, 300)) * 1_000
    potential = sum(c["tech_m2"] for c in candidates)
    targets = [{"year": y, "floor_area_m2": opening + int(round(share * potential / 100)) * 100}
               for y, share in zip(spec["targets"], spec["reach"])]
    one_off_total = sum(c["one_off_cost_yuan"] for c in candidates)
    displaced_total = sum(c["displaced_m2"] for c in candidates)
    return {
        "name": spec["name"],
        "as_of_year": as_of,
        "opening_stock_m2": opening,
        "targets": targets,
        "budget_default_yuan": int(round(spec["budget"] * one_off_total / 1e6)) * 1_000_000,
        "budget_by_year": {str(y): int(round(s * one_off_total / 1e6)) * 1_000_000 for y, s in spec["by_year"].items()},
        "displacement_cap_m2": int(round(spec["cap"] * displaced_total / 10)) * 10,
        "displacement_weight_yuan_per_m2": spec["weight"],
        "discount_rate": spec["rate"],
        "cluster_minimum_share": spec["clusters"],
        "candidates": candidates,
    }


# ---------------------------------------------------------------- the model

def last_year(inst):
    return max(t["year"] for t in inst["targets"])


def start_years(inst, c):
    first = inst["as_of_year"] + 1
    if c["earliest_start"] is not None:
        first = max(first, c["earliest_start"])
    return list(range(first, last_year(inst) - c["construction_years"] + 1))


def budget(inst, y):
    return float(inst["budget_by_year"].get(str(y), inst["budget_default_yuan"]))


def paid(inst, c, s, y):
    """What candidate c, started in s, costs in year y."""
    return (c["one_off_cost_yuan"] if y == s else 0.0) + (c["annual_cost_yuan"] if s <= y <= last_year(inst) else 0.0)


def discounted(inst, c, s):
    r = inst["discount_rate"]
    return sum(paid(inst, c, s, y) / (1.0 + r) ** (y - inst["as_of_year"]) for y in range(s, last_year(inst) + 1))


class Model:
    """Columns and rows, then one HighsLp."""

    def __init__(self):
        self.cost, self.lower, self.upper, self.integer = [], [], [], []
        self.rows = []  # (coefficients {column: value}, lower, upper)

    def column(self, upper, integer):
        self.cost.append(0.0); self.lower.append(0.0); self.upper.append(upper); self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, coefficients, lower=-np.inf, upper=np.inf):
        coefficients = {j: v for j, v in coefficients.items() if v != 0}
        self.rows.append((coefficients, lower, upper))

    def solve(self, what):
        n, m = len(self.cost), len(self.rows)
        starts, index, value = [0], [], []
        by_column = [[] for _ in range(n)]
        for i, (coefficients, _, _) in enumerate(self.rows):
            for j, v in coefficients.items():
                by_column[j].append((i, v))
        for j in range(n):
            for i, v in by_column[j]:
                index.append(i); value.append(v)
            starts.append(len(index))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, m
        lp.sense_ = highspy.ObjSense.kMinimize
        lp.col_cost_ = np.array(self.cost, float)
        lp.col_lower_, lp.col_upper_ = np.array(self.lower, float), np.array(self.upper, float)
        lp.row_lower_ = np.array([r[1] for r in self.rows], float)
        lp.row_upper_ = np.array([r[2] for r in self.rows], float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.array(starts, np.int32)
        lp.a_matrix_.index_ = np.array(index, np.int32)
        lp.a_matrix_.value_ = np.array(value, float)
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in self.integer]
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("time_limit", TIME_LIMIT_S)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.0)
        h.passModel(lp)
        h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            sys.exit(f"{what}: HiGHS status {h.modelStatusToString(status)}")
        info = h.getInfo()
        objective = info.objective_function_value
        if abs(info.mip_dual_bound - objective) > 1e-9 * max(1.0, abs(objective)):
            sys.exit(f"{what}: not proven (objective {objective}, bound {info.mip_dual_bound})")
        return objective, np.array(h.getSolution().col_value)


def build(inst, budgets=True, cap=True, clusters=True):
    """Phase 1's model; returns it with the x columns {(c, s): column} and the gap columns."""
    cands = inst["candidates"]
    L, as_of = last_year(inst), inst["as_of_year"]
    mdl = Model()
    x = {}
    for c, cand in enumerate(cands):
        for s in start_years(inst, cand):
            x[c, s] = mdl.column(1.0, True)
    for c in range(len(cands)):  # at most one start
        mine = {j: 1.0 for (cc, _), j in x.items() if cc == c}
        if mine:
            mdl.row(mine, upper=1.0)
    for b in sorted({b for cand in cands for b in cand["buildings"]}):  # one project per building
        users = {j: 1.0 for (c, _), j in x.items() if b in cands[c]["buildings"]}
        if users:
            mdl.row(users, upper=1.0)
    gaps = {}
    for t in inst["targets"]:
        short = mdl.column(np.inf, False)
        gaps[f"short_{t['year']}"] = short
        coefficients = {j: float(cands[c]["tech_m2"]) for (c, s), j in x.items() if s + cands[c]["construction_years"] <= t["year"]}
        coefficients[short] = 1.0
        mdl.row(coefficients, lower=float(t["floor_area_m2"] - inst["opening_stock_m2"]))
    if budgets:
        for y in range(as_of + 1, L + 1):
            mdl.row({j: paid(inst, cands[c], s, y) for (c, s), j in x.items()}, upper=budget(inst, y))
    if cap:
        mdl.row({j: float(cands[c]["displaced_m2"]) for (c, s), j in x.items()}, upper=float(inst["displacement_cap_m2"]))
    if clusters:
        for k, share in sorted(inst["cluster_minimum_share"].items()):
            gap = mdl.column(np.inf, False)
            gaps[f"cluster_{k}"] = gap
            coefficients = {j: ((1.0 if k in cands[c]["clusters"] else 0.0) - share) * cands[c]["tech_m2"] for (c, s), j in x.items()}
            coefficients[gap] = 1.0
            mdl.row(coefficients, lower=0.0)
    for g in gaps.values():
        mdl.cost[g] = 1.0
    return mdl, x, gaps


def two_phases(inst, **without):
    mdl, x, gaps = build(inst, **without)
    name = inst["name"] + (" without " + ", ".join(k for k, v in without.items() if not v) if without else "")
    t0 = time.perf_counter()
    phase1, sol1 = mdl.solve(name + " phase 1")
    # Held at their values recomputed from phase 1's programme (whole m², where HiGHS's own
    # continuous values are within its tolerances, about 1e-7 relative, of them).
    cands = inst["candidates"]
    _, shortfalls, cluster_gaps, _, _ = check(inst, [(cands[c]["id"], s) for (c, s), j in x.items() if sol1[j] > 0.5])
    exact = {f"short_{y}": v for y, v in shortfalls.items()} | {f"cluster_{k}": v for k, v in cluster_gaps.items()}
    held = {g: exact[g] for g in gaps}
    if abs(sum(held.values()) - phase1) > 1e-6 * max(1.0, phase1):
        sys.exit(f"{name}: phase 1 {phase1} but its programme's shortfalls and gaps add up to {sum(held.values())}")
    phase1_seconds = time.perf_counter() - t0
    for g, j in gaps.items():
        mdl.upper[j] = held[g] + max(HOLD_ABS, HOLD_REL * held[g])
        mdl.cost[j] = 0.0
    w = inst["displacement_weight_yuan_per_m2"]
    for (c, s), j in x.items():
        mdl.cost[j] = discounted(inst, cands[c], s) + w * cands[c]["displaced_m2"]
    phase2, sol2 = mdl.solve(name + " phase 2")
    chosen = sorted((cands[c]["id"], s) for (c, s), j in x.items() if sol2[j] > 0.5)
    return {"phase1": sum(held.values()), "held": held, "phase2": phase2, "chosen": chosen,
            "seconds": (phase1_seconds, time.perf_counter() - t0 - phase1_seconds),
            "rows": len(mdl.rows), "columns": len(mdl.cost), "binaries": len(x)}


def unique_phase1_values(inst, phase1):
    """Each short_T and gap_k: its least and greatest value over phase 1's optima."""
    spread = {}
    t0 = time.perf_counter()
    for name in build(inst)[2]:
        lo_hi = []
        for sign in (1.0, -1.0):
            mdl, _, gaps = build(inst)
            mdl.row({j: 1.0 for j in gaps.values()}, upper=phase1 + max(HOLD_ABS, HOLD_REL * phase1))
            for j in gaps.values():
                mdl.cost[j] = 0.0
            mdl.cost[gaps[name]] = sign
            value, sol = mdl.solve(f"{inst['name']} range of {name}")
            lo_hi.append(float(sol[gaps[name]]))
        spread[name] = (lo_hi[0], lo_hi[1])
    print(f"{inst['name']}: phase 1's values checked unique in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return spread


# ---------------------------------------------------------------- the check

def check(inst, chosen):
    """Every rule from the raw records; returns (problems, shortfalls, cluster gaps, cost, displaced)."""
    cands = {c["id"]: c for c in inst["candidates"]}
    L, as_of = last_year(inst), inst["as_of_year"]
    problems = []
    ids = [c for c, _ in chosen]
    if len(set(ids)) != len(ids):
        problems.append("a candidate starts twice")
    used = [b for c in ids for b in cands[c]["buildings"]]
    if len(set(used)) != len(used):
        problems.append("a building serves two projects")
    for c, s in chosen:
        if s not in start_years(inst, cands[c]):
            problems.append(f"{c} may not start in {s}")
    for y in range(as_of + 1, L + 1):
        spent = sum(paid(inst, cands[c], s, y) for c, s in chosen)
        if spent > budget(inst, y) + 1e-6:
            problems.append(f"{y}: {spent} over the budget {budget(inst, y)}")
    displaced = sum(cands[c]["displaced_m2"] for c, _ in chosen)
    if displaced > inst["displacement_cap_m2"] + 1e-6:
        problems.append(f"displaced {displaced} over the cap")
    shortfalls = {t["year"]: max(0.0, t["floor_area_m2"] - inst["opening_stock_m2"]
                                 - sum(cands[c]["tech_m2"] for c, s in chosen if s + cands[c]["construction_years"] <= t["year"]))
                  for t in inst["targets"]}
    added = sum(cands[c]["tech_m2"] for c, _ in chosen)
    gaps = {k: max(0.0, m * added - sum(cands[c]["tech_m2"] for c, _ in chosen if k in cands[c]["clusters"]))
            for k, m in inst["cluster_minimum_share"].items()}
    cost = sum(discounted(inst, cands[c], s) for c, s in chosen)
    return problems, shortfalls, gaps, cost, displaced


def main():
    version = highspy.Highs().version()  # the constructor prints HiGHS's banner on stdout
    print(flush=True)
    out = []
    for spec in INSTANCES:
        inst = make_instance(spec)
        result = two_phases(inst)
        problems, shortfalls, gaps, cost, displaced = check(inst, result["chosen"])
        if problems:
            sys.exit(f"{inst['name']}: HiGHS's programme breaks rules: {problems}")
        w = inst["displacement_weight_yuan_per_m2"]
        if abs(cost + w * displaced - result["phase2"]) > 1e-9 * result["phase2"]:
            sys.exit(f"{inst['name']}: recomputed phase 2 {cost + w * displaced!r} != HiGHS {result['phase2']!r}")
        phase1 = sum(shortfalls.values()) + sum(gaps.values())
        if abs(phase1 - result["phase1"]) > 1e-6:
            sys.exit(f"{inst['name']}: recomputed phase 1 {phase1!r} != HiGHS {result['phase1']!r}")
        for t in inst["targets"]:
            if abs(shortfalls[t["year"]] - result["held"][f"short_{t['year']}"]) > 1e-6:
                sys.exit(f"{inst['name']}: shortfall {t['year']} recomputed {shortfalls[t['year']]} != {result['held']}")
        spread = unique_phase1_values(inst, result["phase1"])
        for name, (lo, hi) in spread.items():
            # Shortfalls are multiples of 10 m², gaps of 10 m² x the share: another optimum differs
            # by 1 m² or more, HiGHS's tolerances by about 1e-7 relative.
            if hi - lo > 0.1:
                sys.exit(f"{inst['name']}: {name} is not unique over phase 1's optima ({lo} .. {hi}): phase 2 would depend on the solver")
        binds = {}
        for what in ("budgets", "cap", "clusters"):
            if what == "clusters" and not inst["cluster_minimum_share"]:
                continue
            free = two_phases(inst, **{what: False})
            binds[what] = bool(free["phase1"] < result["phase1"] - 1e-6
                               or (abs(free["phase1"] - result["phase1"]) <= 1e-6 and free["phase2"] < result["phase2"] * (1 - 1e-9)))
        spent = {y: sum(paid(inst, {c["id"]: c for c in inst["candidates"]}[c], s, y) for c, s in result["chosen"])
                 for y in range(inst["as_of_year"] + 1, last_year(inst) + 1)}
        full_years = [y for y, v in spent.items() if v >= 0.999 * budget(inst, y)]
        print(f"{inst['name']}: {len(inst['candidates'])} candidates, {result['binaries']} binaries, {result['rows']} rows; "
              f"phase 1 {result['phase1']:.6f} (shortfalls {[shortfalls[t['year']] for t in inst['targets']]}, cluster gaps {gaps}), "
              f"phase 2 {result['phase2']:.6f} = cost {cost:.2f} + {w} x {displaced} m²; {len(result['chosen'])} chosen; "
              f"binds {binds}; budget spent to 99.9 % in {full_years}; displaced {displaced} of cap {inst['displacement_cap_m2']}; "
              f"HiGHS {result['seconds'][0]:.2f} s + {result['seconds'][1]:.2f} s", file=sys.stderr)
        inst["reference"] = {
            "phase1_objective": result["phase1"],
            "shortfalls_m2": [{"year": t["year"], "m2": result["held"][f"short_{t['year']}"]} for t in inst["targets"]],
            "cluster_gaps_m2": {k: result["held"][f"cluster_{k}"] for k in sorted(inst["cluster_minimum_share"])},
            "phase2_objective": cost + w * displaced,
            "discounted_cost_yuan": cost,
            "displaced_m2": displaced,
            "chosen": [{"candidate": c, "start": s} for c, s in result["chosen"]],
            "binds": binds,
            "budget_full_years": full_years,
            "binaries": result["binaries"],
        }
        out.append(inst)

    if not any(i["reference"]["binds"]["budgets"] for i in out):
        sys.exit("no instance where the budgets bind")
    if not any(i["reference"]["binds"]["cap"] for i in out):
        sys.exit("no instance where the displacement cap binds")
    if not any(i["reference"]["binds"].get("clusters") for i in out):
        sys.exit("no instance where a cluster minimum binds")
    if not any(sum(s["m2"] for s in i["reference"]["shortfalls_m2"]) > 0.5 for i in out):
        sys.exit("no instance with a shortfall")

    doc = {
        "about": (f"Random instances of the target programme with proven optima, written by scripts/reference/"
                  f"make_target_fixtures.py (seeds {[s['seed'] for s in INSTANCES]}, numpy default_rng). The two-phase "
                  f"MIP (x[c,s] binary per candidate and start year from max(as_of + 1, earliest_start) to last target "
                  f"- construction_years; one start per candidate; one project per building; stock + shortfall >= target "
                  f"per target year; budget per year, one-off cost in the start year and annual cost every year from the "
                  f"start to the last target year; displacement cap; cluster share with a gap) was built from the raw "
                  f"records below, independently of the Swift code, and solved by HiGHS {version} (highspy, 1 thread, "
                  f"mip_rel_gap 0, mip_abs_gap 0). Phase 1 minimises the shortfalls plus the cluster gaps "
                  f"(`phase1_objective`; each shortfall and gap takes one value over all phase-1 optima, checked); "
                  f"phase 2 holds each at most at that value (+ max(1e-6, 1e-9 value)) and minimises the discounted "
                  f"cost (sum over the years y of cost_y / (1 + discount_rate)^(y - as_of_year)) plus "
                  f"displacement_weight_yuan_per_m2 x displaced m² (`phase2_objective` = `discounted_cost_yuan` + weight "
                  f"x `displaced_m2` of `chosen`, one optimal programme; others may exist). `binds`: dropping the "
                  f"budgets, the cap or the cluster minima lowers phase 1's or phase 2's optimum. budget_by_year "
                  f"overrides budget_default_yuan. Python {platform.python_version()}, numpy {np.__version__}."),
        "instances": out,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)} ({len(text) / 1024:.0f} KB)", file=sys.stderr)


if __name__ == "__main__":
    main()
