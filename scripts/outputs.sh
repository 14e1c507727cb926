#!/usr/bin/env bash
# Records every output of a built spaceplan, so that two builds can be compared byte for byte
# with scripts/compare-outputs.py (the "before" and "after" of a refactor):
#
#   scripts/outputs.sh BINARY OUTDIR [--large N] [--store | --postgis]
#
# Runs each command that writes outputs on GIS/sample, with the shipped config (GIS/config),
# proposals, scenarios and demand as README.md's examples use them. Each command's output set
# goes to OUTDIR/<name>/ and its stdout, stderr and exit code to OUTDIR/<name>.stdout, .stderr,
# .rc. With --large N it also generates a district of N buildings into OUTDIR/district-N and runs
# spacemap, capacity and a heuristic allocation on it. Inputs are named relative to this
# checkout (the script runs from its root); OUTDIR/_provenance/ holds the binary, checkout,
# date and each command's time, which the comparison skips. OUTDIR must not exist yet.
#
# With --store every command that reads a district reads it from a store instead (`store import`
# of GIS/sample, and of the large district, into OUTDIR/_provenance/*.gpkg), with the same
# proposal, scenario and demand files: compare-outputs.py then shows whether the store gives
# the same outputs as the files (the stores' configuration documents count as GIS/config).
# --postgis does the same with PostGIS stores: schemas outputs_<name>_<pid> of the database
# SPACEPLAN_TEST_POSTGRES names (scripts/test-postgres.sh), dropped at the end.
set -euo pipefail
usage() { echo "usage: $0 BINARY OUTDIR [--large N] [--store | --postgis]" >&2; exit 2; }
[ $# -ge 2 ] || usage
bin=$(realpath "$1"); large= from_store=0
rest=("${@:3}")
while [ ${#rest[@]} -gt 0 ]; do
  case ${rest[0]} in
    --large) [ ${#rest[@]} -ge 2 ] || usage; large=${rest[1]}; rest=("${rest[@]:2}") ;;
    --store) from_store=1; rest=("${rest[@]:1}") ;;
    --postgis) from_store=2; rest=("${rest[@]:1}") ;;
    *) usage ;;
  esac
done
[ -x "$bin" ] || { echo "$1: not an executable" >&2; exit 2; }
[ ! -e "$2" ] || { echo "$2 exists: give a new folder" >&2; exit 2; }
mkdir -p "$2"; out=$(realpath "$2")
cd "$(dirname "$0")/.."
mkdir "$out/_provenance"
printf 'binary=%s\ncheckout=%s\ncommit=%s\ndate=%s\nlarge=%s\n' "$bin" "$PWD" \
  "$(git rev-parse HEAD 2>/dev/null || echo -)" "$(date -u +%FT%TZ)" "${large:--}" > "$out/_provenance/env"
stores=()
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
# district_args FOLDER NAME: the arguments that name the district: --data FOLDER, or a store imported from it.
district_args() {
  if [ "$from_store" = 1 ]; then
    local store=$out/_provenance/$2.gpkg
    [ -e "$store" ] || "$bin" store import --data "$1" --store "$store" > "$out/_provenance/$2-import.stdout"
    echo "--store $store"
  elif [ "$from_store" = 2 ]; then
    local store="$SPACEPLAN_TEST_POSTGRES&schema=outputs_${2//-/_}_$$"
    "$bin" store import --data "$1" --store "$store" --replace > "$out/_provenance/$2-import.stdout"
    echo "--store $store"
  else
    echo "--data $1"
  fi
}
if [ "$from_store" = 2 ]; then
  [ -n "${SPACEPLAN_TEST_POSTGRES:-}" ] || eval "$(scripts/test-postgres.sh)"
  # Where a PostGIS store's documents are read (/postgis/DATABASE/SCHEMA), for compare-outputs.py.
  db=$(python3 -c "import sys, urllib.parse as u; print(u.urlparse(sys.argv[1]).path.strip('/'))" "$SPACEPLAN_TEST_POSTGRES")
  drop_schemas() {
    python3 -c "import psycopg, sys; c = psycopg.connect(sys.argv[1], autocommit=True)
for (s,) in c.execute(\"SELECT nspname FROM pg_namespace WHERE nspname LIKE %s\", (sys.argv[2],)).fetchall(): c.execute(f'DROP SCHEMA \"{s}\" CASCADE')" \
      "$SPACEPLAN_TEST_POSTGRES" "outputs\\_%\\_$$"
  }
  trap drop_schemas EXIT
fi
src=$(district_args $d sample)
[ "$from_store" = 1 ] && stores+=("$out/_provenance/sample.gpkg")
[ "$from_store" = 2 ] && stores+=("/postgis/$db/outputs_sample_$$")
run spacemap spacemap $src --out "$out/spacemap"
run spacemap-gbk spacemap $src --out "$out/spacemap-gbk" --shapefile-encoding GBK
run map-all map $src --out "$out/map-all" --theme all
run renewal renewal evaluate $src --proposals $d/proposals.geojson --out "$out/renewal"
run supply supply $src --out "$out/supply" --scenario $s/renewal-only.json \
  --scenario $s/rent-buy-convert-build.json --scenario $s/flexible-land.json
for f in $s/*.json; do
  run "supply-$(basename "$f" .json)" supply $src --out "$out/supply-$(basename "$f" .json)" --scenario "$f"
done
run allocate-heuristic allocate $src --demand $d/demand.csv --out "$out/allocate-heuristic" --solver heuristic
# CBC on all 400 firms may stop at its time limit (not reproducible): the 112 moving in by 2022.
run allocate-exact allocate $src --demand $d/demand.csv --out "$out/allocate-exact" --solver exact --until 2022
run capacity capacity $src --out "$out/capacity"
run target target $src --out "$out/target" --scenario $s/flexible-land.json
run validate validate $src
run validate-all validate $src --all
mkdir "$out/inspect"
run inspect inspect $d --output "$out/inspect/layers.json"
run generate generate --seed 2021 --buildings 3000 --out "$out/generate"
mkdir "$out/generate-demand"
run generate-demand generate-demand $src --firms 400 --seed 1 --out "$out/generate-demand/demand.csv"
run crs-transform-gcj02-wgs84 crs transform --from GCJ-02 --to WGS84 114.0579 22.5431
run crs-transform-wgs84-4547 crs transform --from WGS84 --to EPSG:4547 114.0579 22.5431
run crs-transform-bd09-gcj02 crs transform --from BD-09 --to GCJ-02 114.0644 22.5490
run crs-transform-4547-wgs84 crs transform --from EPSG:4547 --to WGS84 500000 2495000
for c in WGS84 EPSG:4547 GCJ-02 BD-09 EPSG:32650; do run "crs-describe-${c/:/-}" crs describe "$c"; done

if [ -n "$large" ]; then
  g=$out/district-$large
  run "district-$large" generate --seed 7 --buildings "$large" --out "$g"
  gsrc=$(district_args "$g" "district-$large")
  [ "$from_store" = 1 ] && stores+=("$out/_provenance/district-$large.gpkg")
  [ "$from_store" = 2 ] && stores+=("/postgis/$db/outputs_district_${large}_$$")
  run "district-$large-spacemap" spacemap $gsrc --out "$out/district-$large-spacemap"
  run "district-$large-capacity" capacity $gsrc --out "$out/district-$large-capacity"
  mkdir "$out/district-$large-demand"
  run "district-$large-demand" generate-demand $gsrc --firms $((large / 10)) --seed 1 --out "$out/district-$large-demand/demand.csv"
  run "district-$large-allocate" allocate $gsrc --demand "$out/district-$large-demand/demand.csv" \
    --out "$out/district-$large-allocate" --solver heuristic
fi
[ ${#stores[@]} = 0 ] || printf 'stores=%s\n' "$(IFS=:; echo "${stores[*]}")" >> "$out/_provenance/env"
[ "$failed" = 0 ] || { echo "some commands exited non-zero: see $out/*.rc" >&2; exit 1; }
