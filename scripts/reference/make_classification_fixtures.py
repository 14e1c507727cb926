#!/usr/bin/env python3
"""Reference fixtures for the Swift choropleth classification (Cartography).

Classifies a few datasets with mapclassify (FisherJenks, Quantiles,
EqualInterval) for k = 3..7 and writes

    Tests/CartographyTests/Fixtures/classification.json

Datasets: mapclassify's own example (calemp, California county employment
density, n=58), whose documented Fisher-Jenks k=5 breaks are checked first,
and deterministic synthetic sets (small n=7, skewed, ties, floor areas in m²).

Fisher-Jenks is also solved exactly here, in rational arithmetic
(fractions.Fraction), as an independent check that mapclassify's answer is the
true optimum: mapclassify's DP accumulates its sums in float32, so on large
values (floor areas up to 200 000 m², squares ~4e10) it can pick a worse
partition. Where the exact optimum has a strictly smaller within-class sum of
squares than mapclassify's partition, the case's "breaks" are the exact ones and
"mapclassify_breaks" keeps what mapclassify said.

The Swift API reduces k to the number of distinct values when there are fewer;
mapclassify does not (FisherJenks raises, Quantiles collapses duplicate breaks,
EqualInterval keeps k). So each case records the requested "k" and "k_used",
and mapclassify is called with k_used.

Usage (no arguments, deterministic; pip install mapclassify):

    python3 scripts/reference/make_classification_fixtures.py
"""

import json
import math
import platform
import random
import sys
import warnings
from fractions import Fraction
from pathlib import Path

import mapclassify
import numpy as np
import scipy

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "Tests" / "CartographyTests" / "Fixtures" / "classification.json"

KS = range(3, 8)
METHODS = {
    "fisher-jenks": mapclassify.FisherJenks,
    "quantiles": mapclassify.Quantiles,
    "equal-interval": mapclassify.EqualInterval,
}

# Documented in mapclassify's FisherJenks docstring and its test suite
# (tests/test_mapclassify.py::TestFisherJenks), for mapclassify.load_example().
CALEMP_FJ5 = [75.29, 192.05, 370.5, 722.85, 4111.45]
CALEMP_Q5 = [1.464, 5.798, 13.278, 54.616, 4111.45]  # Quantiles docstring
CALEMP_EI5 = [822.394, 1644.658, 2466.922, 3289.186, 4111.45]  # EqualInterval docstring


def datasets():
    out = []
    calemp = [float(v) for v in mapclassify.load_example()]
    out.append(("calemp", "mapclassify.load_example(): employment per km² in the 58 "
                "California counties (its documented Fisher-Jenks k=5 example)", calemp))

    out.append(("small_n7", "seven hand-picked values, unsorted",
                [12.5, 3.0, 41.0, 7.25, 40.0, 1.0, 19.0]))

    # random.Random.random() is reproducible across Python versions; everything
    # below is derived from it only.
    rng = random.Random(20240601)
    skewed = [round(10.0 / (1.0 - rng.random()) ** (1 / 1.3), 3) for _ in range(150)]
    out.append(("skewed", "150 Pareto-like values (alpha 1.3, minimum 10), 3 decimals",
                skewed))

    rng = random.Random(7)
    levels = [0.0, 0.0, 0.0, 0.0, 0.0, 2.5, 2.5, 4.0, 10.0, 31.0]
    ties = [levels[int(rng.random() * len(levels))] for _ in range(80)]
    out.append(("ties", "80 values from only 5 distinct levels, half of them 0 "
                "(k above 5 is reduced to 5; quantile breaks collapse)", ties))

    rng = random.Random(2025)
    areas = [0.0, 200000.0]
    for _ in range(398):
        u = rng.random()
        if u < 0.7:    # ordinary buildings
            a = 50.0 + 2950.0 * rng.random() ** 2
        elif u < 0.95:  # factories
            a = 3000.0 + 27000.0 * rng.random() ** 1.5
        else:          # a few very large plants / campuses
            a = 30000.0 + 170000.0 * rng.random()
        areas.append(round(a, 2))
    out.append(("floor_areas", "400 building floor areas in m², 0..200000, heavy-tailed, "
                "2 decimals", areas))

    # Large values with a small spread: here mapclassify's float32 sums lose the
    # within-class variance and its Fisher-Jenks is measurably not optimal.
    rng = random.Random(2)
    plants = [round(150000 + 3000 * rng.random() ** 2 + (2000 if rng.random() < 0.3 else 0), 2)
              for _ in range(60)]
    out.append(("large_plants", "60 floor areas of large plants, 150000..155000 m², "
                "2 decimals (mapclassify's float32 Fisher-Jenks is not optimal here)",
                plants))
    return out


def exact_fisher_jenks(values, k):
    """Exact Fisher (1958) optimum in rational arithmetic.

    Same DP and tie-break as mapclassify's _fisher_jenks_means: among equally
    good choices the last class starts as early as possible. Returns the breaks
    (maximum of each class) and the exact within-class sum of squares.
    """
    x = sorted(values)
    n = len(x)
    fx = [Fraction(v) for v in x]
    s1 = [Fraction(0)]
    s2 = [Fraction(0)]
    for v in fx:
        s1.append(s1[-1] + v)
        s2.append(s2[-1] + v * v)

    def ssd(a, b):  # values x[a:b]
        t = s1[b] - s1[a]
        return (s2[b] - s2[a]) - t * t / (b - a)

    # cost[j][l]: best for the first l values in j classes; start[j][l]: where
    # the last class begins (0-based).
    cost = [[None] * (n + 1) for _ in range(k + 1)]
    start = [[0] * (n + 1) for _ in range(k + 1)]
    for l in range(1, n + 1):
        cost[1][l] = ssd(0, l)
    for j in range(2, k + 1):
        for l in range(j, n + 1):
            best = None
            for s in range(l - 1, j - 2, -1):
                c = cost[j - 1][s] + ssd(s, l)
                if best is None or c <= best:
                    best, start[j][l] = c, s
            cost[j][l] = best
    breaks = []
    l = n
    for j in range(k, 0, -1):
        breaks.append(x[l - 1])
        l = start[j][l]
    return breaks[::-1], cost[k][n]


def partition_ssd(values, breaks):
    """Exact within-class sum of squares of the classes `v <= breaks[i]`."""
    total = Fraction(0)
    lower = -math.inf
    for b in breaks:
        cls = [Fraction(v) for v in values if lower < v <= b]
        if cls:
            m = sum(cls) / len(cls)
            total += sum((v - m) ** 2 for v in cls)
        lower = b
    return total


def main():
    warnings.filterwarnings("ignore", message="Numba not installed")
    # The published example first: fail loudly if this mapclassify disagrees.
    cal = mapclassify.load_example()
    assert np.allclose(mapclassify.FisherJenks(cal, k=5).bins, CALEMP_FJ5, rtol=0, atol=1e-9)
    assert np.allclose(mapclassify.Quantiles(cal, k=5).bins, CALEMP_Q5, rtol=0, atol=1e-9)
    assert np.allclose(mapclassify.EqualInterval(cal, k=5).bins, CALEMP_EI5, rtol=0, atol=1e-9)

    sets = datasets()
    cases = []
    disagreements = 0
    for name, _, values in sets:
        distinct = len(set(values))
        y = np.array(values, dtype=float)
        for k in KS:
            k_used = min(k, distinct)
            for method, cls in METHODS.items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # numba missing / k reduced
                    mc_breaks = [float(b) for b in cls(y, k=k_used).bins]
                case = {"dataset": name, "method": method, "k": k, "k_used": k_used}
                if method == "fisher-jenks":
                    exact, exact_cost = exact_fisher_jenks(values, k_used)
                    mc_cost = partition_ssd(values, mc_breaks)
                    assert exact_cost <= mc_cost
                    if exact_cost < mc_cost:
                        disagreements += 1
                        case["breaks"] = exact
                        case["mapclassify_breaks"] = mc_breaks
                        case["mapclassify_excess_ssd"] = float(mc_cost - exact_cost)
                        case["ssd"] = float(exact_cost)
                    else:
                        # Equal cost: same optimum (a different partition would be a tie).
                        assert exact == mc_breaks, (name, k, exact, mc_breaks)
                        case["breaks"] = mc_breaks
                        case["ssd"] = float(mc_cost)
                else:
                    case["breaks"] = mc_breaks
                cases.append(case)

    doc = {
        "description": "mapclassify reference breaks for Cartography's classify() "
                       "(generated by scripts/reference/make_classification_fixtures.py; "
                       "do not edit).",
        "reference": {
            "generator": "scripts/reference/make_classification_fixtures.py",
            "mapclassify": mapclassify.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "python": platform.python_version(),
            "notes": [
                "breaks are the upper bound of each class, ascending; the last is the maximum.",
                "k is the requested number of classes, k_used = min(k, distinct values), "
                "which is what mapclassify was called with.",
                "fisher-jenks breaks are checked against an exact rational-arithmetic DP; "
                "where mapclassify (float32 sums) is not optimal, breaks are the exact optimum "
                "and mapclassify_breaks what mapclassify returned. ssd is the exact "
                "within-class sum of squared deviations of breaks, rounded to a double.",
                "quantiles: scipy scoreatpercentile (linear) at 100*i/k_used, duplicates "
                "removed, so a case may have fewer breaks than k_used.",
            ],
        },
        "published": {
            "dataset": "calemp",
            "source": "mapclassify FisherJenks docstring and tests/test_mapclassify.py "
                      "(TestFisherJenks): FisherJenks(load_example(), k=5).bins",
            "fisher-jenks_k5": CALEMP_FJ5,
            "quantiles_k5": CALEMP_Q5,
            "equal-interval_k5": CALEMP_EI5,
        },
        "datasets": [{"name": n, "description": d, "values": v} for n, d, v in sets],
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False, allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT.relative_to(REPO)}: {len(sets)} datasets, {len(cases)} cases, "
          f"{disagreements} where mapclassify's Fisher-Jenks is not optimal "
          f"(mapclassify {mapclassify.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
