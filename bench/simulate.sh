#!/usr/bin/env bash
# The ladder simulation at scale: `spaceplan simulate` (firms up the incubation ladder, year by
# year, ten years from the data's as_of_year) on GIS/sample with its rent-buy-convert-build
# scenario (500 runs) and on a generated 500,000-building district (50 runs, no scenario), each
# under /usr/bin/time -v. One markdown row a job: runs × years, firms on the ladder at the start,
# wall time and the part of it simulate spent simulating (it prints it; the rest is loading the
# district and writing the files), peak RSS, CPU time (user + sys), the CPU seconds of placing
# firms (each year's allocation: its instance and heuristic solver; simulate prints them, summed
# over runs), their share of the CPU time and of the worker threads' time (simulating s ×
# min(runs, workers)), and wall seconds per run-year.
#
#   bench/simulate.sh              the sample (500 runs) and 500,000 buildings (50 runs)
#   bench/simulate.sh quick        the sample only, 50 runs (CI, a first look)
#   RUNS_500K=5 bench/simulate.sh  fewer runs at 500k (50 take about an hour on 2 idle cores)
#
# SPACEPLAN=path uses that binary instead of building .build/release/spaceplan. The 500k district
# is bench/data/500000 (`spaceplan generate --seed 7 --buildings 500000`, generated only if it is
# missing, shared with run.sh and target.sh). Outputs go to bench/out/simulate-{sample,500000},
# logs (/usr/bin/time -v, stdout, stderr) to bench/out/logs/simulate-*. Needs /usr/bin/time
# (Debian: `apt-get install time`) and python3. Workers: all cores, or SPACEPLAN_THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
case "$mode" in full|quick) ;; *) echo "usage: bench/simulate.sh [quick]" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time -v (Debian: apt-get install time)" >&2; exit 1; }
if [ -z "${SPACEPLAN:-}" ]; then swift build -c release >/dev/null; SPACEPLAN=.build/release/spaceplan; fi
LOGS=bench/out/logs
mkdir -p bench/data "$LOGS"
source bench/timed.sh

# as_of DATA: the year the data describe (layers.json as_of_year), else the current year.
as_of() { python3 -c 'import json, sys, datetime
print(json.load(open(sys.argv[1] + "/layers.json")).get("as_of_year", datetime.date.today().year))' "$1"; }

# workers: the threads simulate spreads its runs over (ParallelMap: SPACEPLAN_THREADS, else all cores).
workers() { echo "${SPACEPLAN_THREADS:-$(nproc)}"; }

failed=0 rows=()
# job NAME DATA RUNS [simulate options...]: one run of simulate under /usr/bin/time -v, one row.
job() {
  local name=$1 data=$2 runs=$3; shift 3
  local from to out=bench/out/simulate-$name
  from=$(as_of "$data"); to=$((from + 10))
  echo "== $name: simulate --data $data --to $to --runs $runs --seed 7 $*"
  timed "simulate-$name" "$SPACEPLAN" simulate --data "$data" --to "$to" --runs "$runs" --seed 7 "$@" --out "$out" --force
  cat "$LOGS/simulate-$name.out" "$LOGS/simulate-$name.err"
  if [ "$rc" -ne 0 ]; then
    failed=1; rows+=("| $name | failed (rc $rc, see $LOGS/simulate-$name.err) | | | | | | | | | |"); return
  fi
  rows+=("$(python3 - "$name" "$runs" "$((to - from))" "$out/simulation.md" "$LOGS/simulate-$name.out" \
    "$LOGS/simulate-$name.time" "$wall" "$rss" "$(workers)" <<'PY'
import re, sys
name, runs, years, md, out, tm, wall, rss, workers = sys.argv[1:]
runs, years, wall, rss, workers = int(runs), int(years), float(wall), int(rss), int(workers)
num = lambda s: float(s.replace(",", ""))
m = re.search(r"Start \(end of \d+\): .*?([\d,]+) firms on the ladder", open(md).read())
firms = f"{int(num(m.group(1))):,}" if m else "?"
m = re.search(r"in ([\d,.]+) s \(placing firms by the allocation took ([\d,.]+) CPU s", open(out).read())
simulating, solver = (num(m.group(1)), num(m.group(2))) if m else (None, None)
t = open(tm).read()
cpu = sum(float(re.search(p + r": ([\d.]+)", t).group(1)) for p in (r"User time \(seconds\)", r"System time \(seconds\)"))
pct = lambda a, b: f"{a / b * 100:.0f} %" if a is not None and b else "?"
fmt = lambda x: "?" if x is None else f"{x:,.1f}"
threads = simulating * min(runs, workers) if simulating is not None else None
district = "GIS/sample" if name == "sample" else f"{int(name):,} buildings"
print(f"| {district} | {runs} × {years} | {firms} | {wall:,.1f} | {fmt(simulating)} | {rss:,} | {cpu:,.1f} | {fmt(solver)} "
      f"| {pct(solver, cpu)} | {pct(solver, threads)} | {wall / (runs * years):.3f} |")
PY
)")
}

if [ "$mode" = quick ]; then
  job sample GIS/sample 50 --scenario GIS/sample/scenarios/rent-buy-convert-build.json
else
  job sample GIS/sample 500 --scenario GIS/sample/scenarios/rent-buy-convert-build.json
  data=bench/data/500000
  if [ ! -f "$data/layers.json" ]; then
    echo "== generating $data"
    "$SPACEPLAN" generate --seed 7 --buildings 500000 --out "$data" >/dev/null
  fi
  job 500000 "$data" "${RUNS_500K:-50}"
fi

echo
echo "| district | runs × years | firms on the ladder at the start | wall s | of it simulating s | peak RSS MB | CPU s (user + sys) | allocation s, summed over runs | allocation / CPU | allocation / workers' time | wall s per run-year |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
exit "$failed"
