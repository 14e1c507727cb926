#!/usr/bin/env bash
# Records every output of a built spaceplan, so that two builds can be compared byte for byte
# with scripts/compare-outputs.py (the "before" and "after" of a refactor):
#
#   scripts/outputs.sh BINARY OUTDIR [--large N]
#
# Runs each command that writes outputs on GIS/sample, with the shipped config (GIS/config),
# proposals, scenarios and demand as README.md's examples use them. Each command's output set
# goes to OUTDIR/<name>/ and its stdout, stderr and exit code to OUTDIR/<name>.stdout, .stderr,
# .rc. With --large N it also generates a district of N buildings into OUTDIR/district-N and runs
# spacemap, capacity and a heuristic allocation on it. Inputs are named relative to this
# checkout (the script runs from its root); OUTDIR/_provenance/ holds the binary, checkout,
# date and each command's time, which the comparison skips. OUTDIR must not exist yet.
set -euo pipefail
[ $# = 2 ] || [ $# = 4 -a "${3:-}" = --large ] || { echo "usage: $0 BINARY OUTDIR [--large N]" >&2; exit 2; }
bin=$(realpath "$1"); large=${4:-}
[ -x "$bin" ] || { echo "$1: not an executable" >&2; exit 2; }
[ ! -e "$2" ] || { echo "$2 exists: give a new folder" >&2; exit 2; }
mkdir -p "$2"; out=$(realpath "$2")
cd "$(dirname "$0")/.."
mkdir "$out/_provenance"
printf 'binary=%s\ncheckout=%s\ncommit=%s\ndate=%s\nlarge=%s\n' "$bin" "$PWD" \
  "$(git rev-parse HEAD 2>/dev/null || echo -)" "$(date -u +%FT%TZ)" "${large:--}" > "$out/_provenance/env"
unset SPACEPLAN_PROGRESS

failed=0
# run NAME ARGS…: one command, its streams and exit code beside its output folder.
run() {
  local name=$1; shift
  local start=$EPOCHREALTIME rc=0
  "$bin" "$@" > "$out/$name.stdout" 2> "$out/$name.stderr" || rc=$?
  echo "$rc" > "$out/$name.rc"
  printf '%s\t%.1f s\trc=%s\t%s\n' "$name" "$(awk "BEGIN { print $EPOCHREALTIME - $start }")" "$rc" "$*" | tee -a "$out/_provenance/timings.tsv"
  [ "$rc" = 0 ] || failed=1
}

d=GIS/sample s=GIS/sample/scenarios
run spacemap spacemap --data $d --out "$out/spacemap"
run spacemap-gbk spacemap --data $d --out "$out/spacemap-gbk" --shapefile-encoding GBK
run map-all map --data $d --out "$out/map-all" --theme all
run renewal renewal evaluate --data $d --proposals $d/proposals.geojson --out "$out/renewal"
run supply supply --data $d --out "$out/supply" --scenario $s/renewal-only.json \
  --scenario $s/rent-buy-convert-build.json --scenario $s/flexible-land.json
for f in $s/*.json; do
  run "supply-$(basename "$f" .json)" supply --data $d --out "$out/supply-$(basename "$f" .json)" --scenario "$f"
done
run allocate-heuristic allocate --data $d --demand $d/demand.csv --out "$out/allocate-heuristic" --solver heuristic
# CBC on all 400 firms may stop at its time limit (not reproducible): the 112 moving in by 2022.
run allocate-exact allocate --data $d --demand $d/demand.csv --out "$out/allocate-exact" --solver exact --until 2022
run capacity capacity --data $d --out "$out/capacity"
run target target --data $d --out "$out/target" --scenario $s/flexible-land.json
run validate validate --data $d
run validate-all validate --data $d --all
mkdir "$out/inspect"
run inspect inspect $d --output "$out/inspect/layers.json"
run generate generate --seed 2021 --buildings 3000 --out "$out/generate"
mkdir "$out/generate-demand"
run generate-demand generate-demand --data $d --firms 400 --seed 1 --out "$out/generate-demand/demand.csv"
run crs-transform-gcj02-wgs84 crs transform --from GCJ-02 --to WGS84 114.0579 22.5431
run crs-transform-wgs84-4547 crs transform --from WGS84 --to EPSG:4547 114.0579 22.5431
run crs-transform-bd09-gcj02 crs transform --from BD-09 --to GCJ-02 114.0644 22.5490
run crs-transform-4547-wgs84 crs transform --from EPSG:4547 --to WGS84 500000 2495000
for c in WGS84 EPSG:4547 GCJ-02 BD-09 EPSG:32650; do run "crs-describe-${c/:/-}" crs describe "$c"; done

if [ -n "$large" ]; then
  g=$out/district-$large
  run "district-$large" generate --seed 7 --buildings "$large" --out "$g"
  run "district-$large-spacemap" spacemap --data "$g" --out "$out/district-$large-spacemap"
  run "district-$large-capacity" capacity --data "$g" --out "$out/district-$large-capacity"
  mkdir "$out/district-$large-demand"
  run "district-$large-demand" generate-demand --data "$g" --firms $((large / 10)) --seed 1 --out "$out/district-$large-demand/demand.csv"
  run "district-$large-allocate" allocate --data "$g" --demand "$out/district-$large-demand/demand.csv" \
    --out "$out/district-$large-allocate" --solver heuristic
fi
[ "$failed" = 0 ] || { echo "some commands exited non-zero: see $out/*.rc" >&2; exit 1; }
