#!/usr/bin/env bash
# Benchmark `spaceplan spacemap` against two independent references, GeoPandas
# (bench/geopandas_spacemap.py) and DuckDB with its spatial extension (bench/duckdb_spacemap.py),
# on generated districts, cross-check spaceplan's output against each, and print one markdown table.
#
#   bench/run.sh [sizes...]          default sizes: 100000 500000 1000000 2000000 buildings
#
# Per size, five runs, one after the other (never two at once: they would share the cores):
#   spaceplan spacemap --no-maps                   writes space-map.gpkg
#   spaceplan spacemap --no-maps --no-geopackage
#   geopandas_spacemap.py                          writes space-map.gpkg, like spaceplan's
#   geopandas_spacemap.py --no-gpkg
#   duckdb_spacemap.py                             no GeoPackage; DUCKDB_THREADS threads (all cores)
# Each row: wall s, CPU s (user + sys), peak MB, and wall and CPU as a multiple of the spaceplan run
# doing the same work (GeoPackage or not). Data go to bench/data/N (generated once, reused), outputs
# to bench/out/{swift,swift-nogpkg,gpd,gpd-nogpkg,duck}-N, logs (/usr/bin/time -v, stderr,
# crosschecks) to bench/out/logs. SPACEPLAN=path uses that binary instead of building
# .build/release/spaceplan; PYTHON picks the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
# spaceplan spreads its work over all cores; give DuckDB the same (GeoPandas runs on one).
DUCKDB_THREADS=${DUCKDB_THREADS:-$(nproc)}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 500000 1000000 2000000)
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time -v (Debian: apt-get install time)" >&2; exit 1; }
if [ -z "${SPACEPLAN:-}" ]; then
  swift build -c release
  SPACEPLAN=.build/release/spaceplan
fi
LOGS=bench/out/logs
mkdir -p bench/data "$LOGS"

source bench/timed.sh

# lines FILE: data rows of a CSV file (ids never contain newlines), "?" if it is missing.
lines() { if [ -f "$1" ]; then echo $(( $(wc -l <"$1") - 1 )); else echo "?"; fi; }

# ratio A B: A / B as "1.2×", "-" if B is 0 or either is missing.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.1f×", a / b; else print "-" }'; }

# crosscheck NAME SWIFT_OUT REF_OUT SWIFT_RC REF_RC: PASS, FAIL or why it was not run; the
# crosscheck's tables go to $LOGS/NAME.txt and to the console.
crosscheck() {
  local name=$1 sw=$2 ref=$3 s_rc=$4 r_rc=$5
  if [ "$s_rc" -ne 0 ]; then echo "spaceplan failed (rc $s_rc)"; return; fi
  if [ "$r_rc" -ne 0 ]; then echo "reference failed (rc $r_rc)"; return; fi
  if "$PYTHON" bench/crosscheck_spacemap.py "$sw" "$ref" >"$LOGS/$name.txt" 2>&1
  then echo PASS; else echo "FAIL (see $LOGS/$name.txt)"; fi
  echo "-- $name" >&2
  cat "$LOGS/$name.txt" >&2
}

# failed NAME: " (failed, rc N)" for a run that did not finish, for its row; else nothing.
failed() { if [ "$rc" -ne 0 ]; then echo " (failed, rc $rc, see $LOGS/$1.err)"; fi; }

rows=()
for n in "${sizes[@]}"; do
  data=bench/data/$n
  if [ ! -f "$data/layers.json" ]; then
    echo "== generating $data"
    "$SPACEPLAN" generate --seed 7 --buildings "$n" --out "$data"
  fi
  rm -rf bench/out/{swift,swift-nogpkg,gpd,gpd-nogpkg,duck}-"$n" \
         "$LOGS"/{crosscheck,crosscheck-gpd,crosscheck-duck}-"$n".txt

  # --no-maps: the references draw no maps (spaceplan still writes more: the GeoJSON space map,
  # summaries, validation and the report).
  echo "== $n: spaceplan spacemap --no-maps"
  timed "swift-$n" "$SPACEPLAN" spacemap --no-maps --data "$data" --out "bench/out/swift-$n"
  sg_rc=$rc sg_wall=$wall sg_cpu=$cpu sg_rss=$rss sg_note=$(failed "swift-$n")

  echo "== $n: spaceplan spacemap --no-maps --no-geopackage"
  timed "swift-nogpkg-$n" "$SPACEPLAN" spacemap --no-maps --no-geopackage --data "$data" --out "bench/out/swift-nogpkg-$n"
  sn_rc=$rc sn_wall=$wall sn_cpu=$cpu sn_rss=$rss sn_note=$(failed "swift-nogpkg-$n")

  echo "== $n: GeoPandas reference"
  timed "gpd-$n" "$PYTHON" bench/geopandas_spacemap.py "$data" "bench/out/gpd-$n"
  gg_rc=$rc gg_wall=$wall gg_cpu=$cpu gg_rss=$rss gg_note=$(failed "gpd-$n")
  cat "$LOGS/gpd-$n.err"

  echo "== $n: GeoPandas reference --no-gpkg"
  timed "gpd-nogpkg-$n" "$PYTHON" bench/geopandas_spacemap.py "$data" "bench/out/gpd-nogpkg-$n" --no-gpkg
  gn_rc=$rc gn_wall=$wall gn_cpu=$cpu gn_rss=$rss gn_note=$(failed "gpd-nogpkg-$n")
  cat "$LOGS/gpd-nogpkg-$n.err"

  echo "== $n: DuckDB reference ($DUCKDB_THREADS threads)"
  timed "duck-$n" "$PYTHON" bench/duckdb_spacemap.py "$data" "bench/out/duck-$n" --threads "$DUCKDB_THREADS"
  d_rc=$rc d_wall=$wall d_cpu=$cpu d_rss=$rss d_note=$(failed "duck-$n")
  cat "$LOGS/duck-$n.err"

  # The joins and totals do not depend on the GeoPackage: check the three runs that write none,
  # spaceplan's against each reference.
  check_gpd=$(crosscheck "crosscheck-gpd-$n" "bench/out/swift-nogpkg-$n" "bench/out/gpd-nogpkg-$n" "$sn_rc" "$gn_rc")
  check_duck=$(crosscheck "crosscheck-duck-$n" "bench/out/swift-nogpkg-$n" "bench/out/duck-$n" "$sn_rc" "$d_rc")

  buildings=$(lines "bench/out/swift-nogpkg-$n/joins/building_parcel.csv")
  firms=$(lines "bench/out/swift-nogpkg-$n/joins/enterprise_building.csv")
  rows+=("| $n | $buildings | $firms | spaceplan$sg_note | $sg_wall | $sg_cpu | $sg_rss | | | |"
         "| | | | spaceplan --no-geopackage$sn_note | $sn_wall | $sn_cpu | $sn_rss | | | |"
         "| | | | GeoPandas$gg_note | $gg_wall | $gg_cpu | $gg_rss | $(ratio "$gg_wall" "$sg_wall") | $(ratio "$gg_cpu" "$sg_cpu") | |"
         "| | | | GeoPandas --no-gpkg$gn_note | $gn_wall | $gn_cpu | $gn_rss | $(ratio "$gn_wall" "$sn_wall") | $(ratio "$gn_cpu" "$sn_cpu") | $check_gpd |"
         "| | | | DuckDB, $DUCKDB_THREADS threads$d_note | $d_wall | $d_cpu | $d_rss | $(ratio "$d_wall" "$sn_wall") | $(ratio "$d_cpu" "$sn_cpu") | $check_duck |")
done

# One row per run; "× spaceplan" divides by the spaceplan run doing the same work: GeoPandas by
# spaceplan (both write space-map.gpkg), GeoPandas --no-gpkg and DuckDB by spaceplan --no-geopackage.
# The crosscheck is of spaceplan --no-geopackage's output against that reference's.
echo
echo "| size | buildings | firms | run | wall s | CPU s | peak MB | wall × spaceplan | CPU × spaceplan | crosscheck |"
echo "|---:|---:|---:|---|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
