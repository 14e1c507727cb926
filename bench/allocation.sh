#!/usr/bin/env bash
# Benchmark `spaceplan allocate`: the heuristic on 10,000 firms × 500 carriers against the LP
# bound, and on 200-firm instances against CBC's exact optimum; then an independent check of
# both solvers' allocations with HiGHS (bench/allocation_reference.py). Prints markdown tables.
#
#   bench/allocation.sh            (about 10 minutes on 2 cores)
#
# Data: bench/data/alloc-39000 (`spaceplan generate --seed 7 --buildings 39000`: 500 carriers),
# 10,000 firms asking 1.5× the vacant space (`generate-demand --seed 1 --demand-over-vacant 1.5`);
# five 200-firm demand files on GIS/sample (27 carriers, seeds 1–5). Generated once, reused.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
swift build -c release --product spaceplan
swift build -c release --product allocation-bench
BIN=.build/release
big=bench/data/alloc-39000 out=bench/out/allocation
mkdir -p bench/data "$out"
if [ ! -f "$big/layers.json" ]; then "$BIN/spaceplan" generate --seed 7 --buildings 39000 --out "$big"; fi
if [ ! -f "$big/demand-10000.csv" ]; then
  "$BIN/spaceplan" generate-demand --data "$big" --firms 10000 --seed 1 --demand-over-vacant 1.5 --out "$big/demand-10000.csv"
fi
small=()
for seed in 1 2 3 4 5; do
  f=bench/data/sample-demand-200-$seed.csv
  [ -f "$f" ] || "$BIN/spaceplan" generate-demand --data GIS/sample --firms 200 --seed "$seed" --out "$f" >/dev/null
  small+=(--demand "$f")
done

echo "== 10,000 firms × 500 carriers: heuristic, and the LP relaxation by CLP"
"$BIN/allocation-bench" --data "$big" --demand "$big/demand-10000.csv"
echo
echo "== 200 firms × 27 carriers (GIS/sample): heuristic against CBC's exact optimum"
"$BIN/allocation-bench" --data GIS/sample "${small[@]}" --exact
echo

echo "== independent check (HiGHS) of the allocations spaceplan writes"
"$BIN/spaceplan" spacemap --no-maps --data "$big" --out "$out/spacemap-big" >/dev/null
"$BIN/spaceplan" allocate --no-map --solver heuristic --data "$big" --demand "$big/demand-10000.csv" --out "$out/big-heuristic" >/dev/null
"$PYTHON" bench/allocation_reference.py "$big" "$big/demand-10000.csv" "$out/big-heuristic" \
  --joins "$out/spacemap-big/joins/enterprise_building.csv"
"$BIN/spaceplan" spacemap --no-maps --data GIS/sample --out "$out/spacemap-sample" >/dev/null
for solver in exact heuristic; do
  "$BIN/spaceplan" allocate --no-map --solver "$solver" --data GIS/sample --demand bench/data/sample-demand-200-1.csv --out "$out/sample-$solver" >/dev/null
  "$PYTHON" bench/allocation_reference.py GIS/sample bench/data/sample-demand-200-1.csv "$out/sample-$solver" \
    --joins "$out/spacemap-sample/joins/enterprise_building.csv" --mip
done
