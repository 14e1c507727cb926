#!/usr/bin/env python3
"""Two (or more) builds of spaceplan timed against each other on the same district, alternating
so that a slow spell of a shared machine falls on both: `spacemap --no-maps --no-geopackage`,
ROUNDS times each, then per build the wall and CPU times and peak memory of each run, and the
median wall and CPU time of each stage as SPACEPLAN_PROGRESS prints them.

    python3 bench/ab.py DATA_DIR ROUNDS SPACEPLAN_A SPACEPLAN_B [...]

Run from the repository (the runs find GIS/config/policy.json there). Outputs go to a
temporary folder, removed at the end; /usr/bin/time is needed (apt-get install time).
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile


def run(binary, data, out):
    env = dict(os.environ, SPACEPLAN_PROGRESS="1")
    p = subprocess.run(
        ["/usr/bin/time", "-f", "TIME %e %U %S %M", binary, "spacemap", "--no-maps", "--no-geopackage", "--data", data, "--out", out],
        env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{binary} failed:\n{p.stderr}")
    wall, user, system, rss = re.search(r"TIME (\S+) (\S+) (\S+) (\S+)", p.stderr).groups()
    # Each progress line gives the wall and CPU time at the end of its stage.
    stages, before = {}, (0.0, 0.0)
    for name, w, c in re.findall(r"  (.+?)… \(([\d.]+) s, CPU ([\d.]+) s\)", p.stderr):
        stages[name] = (float(w) - before[0], float(c) - before[1])
        before = (float(w), float(c))
    return float(wall), float(user) + float(system), int(rss) // 1024, stages


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    data, rounds, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    scratch = tempfile.mkdtemp(prefix="spaceplan-ab-")
    try:
        results = {b: [] for b in binaries}
        for _ in range(rounds):
            for b in binaries:
                out = os.path.join(scratch, "out")
                shutil.rmtree(out, ignore_errors=True)
                results[b].append(run(b, data, out))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for b in binaries:
        runs = results[b]
        print(f"{b}: wall {[r[0] for r in runs]} s, CPU {[round(r[1], 1) for r in runs]} s, peak {[r[2] for r in runs]} MB")
        for name in runs[0][3]:
            walls = [r[3].get(name, (0, 0))[0] for r in runs]
            cpus = [r[3].get(name, (0, 0))[1] for r in runs]
            if max(walls) >= 0.15:
                print(f"   {name:45s} wall {statistics.median(walls):5.2f}  CPU {statistics.median(cpus):5.2f}")


if __name__ == "__main__":
    main()
