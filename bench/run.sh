#!/usr/bin/env bash
# Benchmark `spaceplan spacemap` against the GeoPandas reference (bench/geopandas_spacemap.py)
# on generated districts, cross-check the two outputs, and print one markdown table.
#
#   bench/run.sh [sizes...]          default sizes: 10000 100000 500000 buildings
#
# Data go to bench/data/N (generated once, reused), outputs to bench/out/{swift,gpd}-N, logs
# (/usr/bin/time -v, stderr, crosscheck) to bench/out/logs. SPACEPLAN=path uses that binary
# instead of building .build/release/spaceplan; PYTHON picks the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 500000)
if [ -z "${SPACEPLAN:-}" ]; then
  swift build -c release
  SPACEPLAN=.build/release/spaceplan
fi
LOGS=bench/out/logs
mkdir -p bench/data "$LOGS"

source bench/timed.sh

# lines FILE: data rows of a CSV file (ids never contain newlines), "?" if it is missing.
lines() { if [ -f "$1" ]; then echo $(( $(wc -l <"$1") - 1 )); else echo "?"; fi; }

rows=()
for n in "${sizes[@]}"; do
  data=bench/data/$n swift_out=bench/out/swift-$n gpd_out=bench/out/gpd-$n
  if [ ! -f "$data/layers.json" ]; then
    echo "== generating $data"
    "$SPACEPLAN" generate --seed 7 --buildings "$n" --out "$data"
  fi
  rm -rf "$swift_out" "$gpd_out" "$LOGS/crosscheck-$n.txt"

  echo "== $n: spaceplan spacemap"
  # --no-maps: the GeoPandas reference draws no maps (spaceplan still writes more: the GeoJSON
  # space map, summaries, validation and the report).
  timed "swift-$n" "$SPACEPLAN" spacemap --no-maps --data "$data" --out "$swift_out"
  s_rc=$rc s_wall=$wall s_rss=$rss

  echo "== $n: GeoPandas reference"
  timed "gpd-$n" "$PYTHON" bench/geopandas_spacemap.py "$data" "$gpd_out"
  g_rc=$rc g_wall=$wall g_rss=$rss
  cat "$LOGS/gpd-$n.err"

  if [ "$s_rc" -ne 0 ]; then check="spaceplan failed (rc $s_rc, see $LOGS/swift-$n.err)"
  elif [ "$g_rc" -ne 0 ]; then check="GeoPandas failed (rc $g_rc, see $LOGS/gpd-$n.err)"
  elif "$PYTHON" bench/crosscheck_spacemap.py "$swift_out" "$gpd_out" >"$LOGS/crosscheck-$n.txt" 2>&1
  then check=PASS; else check="FAIL (see $LOGS/crosscheck-$n.txt)"; fi
  [ -f "$LOGS/crosscheck-$n.txt" ] && cat "$LOGS/crosscheck-$n.txt"

  buildings=$(lines "$gpd_out/joins/building_parcel.csv")
  firms=$(lines "$gpd_out/joins/enterprise_building.csv")
  speedup=$(awk -v s="$s_wall" -v g="$g_wall" 'BEGIN { if (s > 0) printf "%.1f×", g / s; else print "-" }')
  rows+=("| $n | $buildings | $firms | $s_wall | $g_wall | $speedup | $s_rss | $g_rss | $check |")
done

echo
echo "| size | buildings | firms | spaceplan s | GeoPandas s | speed-up | spaceplan peak MB | GeoPandas peak MB | crosscheck |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
