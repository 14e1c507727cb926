#!/usr/bin/env bash
# GeoPackage loading speed: spaceplan's GDAL path against its GeoJSON path and against pyogrio
# reading the same GeoPackage, on generated districts; one markdown table.
#
#   bench/gdal.sh [sizes...]          default sizes: 100000 500000 buildings
#
# For each size N: bench/data/N is generated once (as bench/run.sh does) and its zones, parcels
# and buildings are converted by ogr2ogr into one GeoPackage, bench/data/N-gpkg/bureau.gpkg,
# with a layers.json naming its layers and the carriers/enterprises CSVs copied beside it. Then,
# each under /usr/bin/time -v:
#   (a) spaceplan validate --data bench/data/N        the GeoJSON path
#   (b) spaceplan validate --data bench/data/N-gpkg   the GDAL path
#   (c) pyogrio.read_dataframe of the three GeoPackage layers (default, and use_arrow=True)
#   (d) pyogrio.read_dataframe of buildings.geojson, for comparison
#   (e) spaceplan inspect of the GeoPackage: GDAL's read of every feature alone, like for like with (c)
# validate does more than read: it checks every record, projects to the working CRS and repairs
# invalid polygons (and reads the two CSVs); pyogrio only reads.
#
# With OLD_SPACEPLAN=path (a spaceplan built before GDAL, e.g. at 2b96b58) it also times
# `spaceplan spacemap --no-maps` at the largest size with both binaries, twice each, alternately:
# the difference is mostly the cost of writing space-map.gpkg.
#
# SPACEPLAN=path uses that binary instead of .build/release/spaceplan; PYTHON picks the
# interpreter (default python3). Logs go to bench/out/logs/gdal-*.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 500000)
if [ -z "${SPACEPLAN:-}" ]; then
  swift build -c release --product spaceplan
  SPACEPLAN=.build/release/spaceplan
fi
LOGS=bench/out/logs
mkdir -p bench/data "$LOGS"

source bench/timed.sh

# checked NAME CMD...: timed, and a failed command says so and shows as "fail(rc)" in the table.
checked() {
  timed "$@"
  if [ "$rc" -ne 0 ]; then echo "   $1 failed (rc $rc, see $LOGS/$1.err)" >&2; wall="fail($rc)"; fi
}

# ratio A B: A / B to two decimals ("-" when either is not a number).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }

# make_gpkg N: bench/data/N-gpkg from bench/data/N (once; redone if the district is newer).
make_gpkg() {
  local src=bench/data/$1 dst=bench/data/$1-gpkg
  if [ -f "$dst/bureau.gpkg" ] && [ "$dst/bureau.gpkg" -nt "$src/layers.json" ]; then return; fi
  echo "== converting $src to $dst/bureau.gpkg (ogr2ogr)"
  rm -rf "$dst" && mkdir -p "$dst"
  local update=()
  for layer in zones parcels buildings; do
    ogr2ogr -f GPKG "${update[@]}" "$dst/bureau.gpkg" "$src/$layer.geojson" -nln "$layer" -gt 65536
    update=(-update)
  done
  cp "$src/carriers.csv" "$src/enterprises.csv" "$dst/"
  # The district's own manifest, with zones, parcels and buildings pointing at the GeoPackage.
  "$PYTHON" - "$src/layers.json" "$dst/layers.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
for layer in ("zones", "parcels", "buildings"):
    m["layers"][layer] = {**m["layers"][layer], "file": "bureau.gpkg", "layer": layer}
m["note"] = m.get("note", "") + " Zones, parcels and buildings converted to one GeoPackage by ogr2ogr (bench/gdal.sh)."
json.dump(m, open(sys.argv[2], "w"), ensure_ascii=False, indent=2)
EOF
}

rows=()
for n in "${sizes[@]}"; do
  data=bench/data/$n gpkg=bench/data/$n-gpkg/bureau.gpkg
  if [ ! -f "$data/layers.json" ]; then
    echo "== generating $data"
    "$SPACEPLAN" generate --seed 7 --buildings "$n" --out "$data"
  fi
  make_gpkg "$n"
  features=$(ogrinfo -so "$gpkg" buildings | awk -F': ' '/Feature Count/ { print $2 }')

  echo "== $n: (a) validate, GeoJSON path"
  checked "gdal-validate-geojson-$n" "$SPACEPLAN" validate --data "$data"; a_wall=$wall a_rss=$rss
  echo "== $n: (b) validate, GDAL path (GeoPackage)"
  checked "gdal-validate-gpkg-$n" "$SPACEPLAN" validate --data "$data-gpkg"; b_wall=$wall b_rss=$rss
  # Say how validate read it (its report names the driver), so a table never times the wrong path.
  grep -h "read through GDAL" "$LOGS/gdal-validate-gpkg-$n.out" "$LOGS/gdal-validate-gpkg-$n.err" | sed 's/^/   /' || true
  echo "== $n: (e) spaceplan inspect: GDAL's read alone (every feature's values and WKB, no checks)"
  checked "gdal-inspect-gpkg-$n" "$SPACEPLAN" inspect "$gpkg" --output "bench/out/gdal-inspect-$n.json"; e_wall=$wall e_rss=$rss
  echo "== $n: (c) pyogrio, the three GeoPackage layers"
  checked "gdal-pyogrio-gpkg-$n" "$PYTHON" bench/gdal_read.py "$gpkg" zones parcels buildings; c_wall=$wall c_rss=$rss
  checked "gdal-pyogrio-gpkg-arrow-$n" "$PYTHON" bench/gdal_read.py --arrow "$gpkg" zones parcels buildings
  c2_wall=$wall c2_rss=$rss
  [ "$rc" -eq 3 ] && c2_wall="no pyarrow" c2_rss="-"
  echo "== $n: (d) pyogrio, buildings.geojson"
  checked "gdal-pyogrio-geojson-$n" "$PYTHON" bench/gdal_read.py "$data/buildings.geojson"; d_wall=$wall d_rss=$rss
  for f in gdal-pyogrio-gpkg-$n gdal-pyogrio-gpkg-arrow-$n gdal-pyogrio-geojson-$n; do
    echo "   $f: $(tail -1 "$LOGS/$f.err")"
  done
  # read_s LOG: the in-process read time gdal_read.py printed (without start-up and imports).
  read_s() { sed -n 's/.*read \([0-9.]*\) s.*/\1/p' "$LOGS/$1.err" | tail -1; }
  c_read=$(read_s "gdal-pyogrio-gpkg-$n") c2_read=$(read_s "gdal-pyogrio-gpkg-arrow-$n") d_read=$(read_s "gdal-pyogrio-geojson-$n")
  rows+=("| $n | $features | $a_wall / $a_rss | $b_wall / $b_rss | $e_wall / $e_rss | $c_wall / $c_rss (${c_read:-?}) | $c2_wall / $c2_rss (${c2_read:-?}) | $d_wall / $d_rss (${d_read:-?}) | $(ratio "$b_wall" "$a_wall") | $(ratio "$e_wall" "$c_wall") | $(ratio "$e_wall" "$c2_wall") |")
done

echo
echo "Wall s / peak RSS MB. (a), (b): spaceplan validate, which reads zones, parcels, buildings and the"
echo "carriers and enterprises CSVs, checks every record, projects to the working CRS and repairs invalid"
echo "polygons, and runs the building-parcel and firm-building joins its warnings report; (c), (d): pyogrio"
echo "only reads (into GeoDataFrames), Python start-up and imports included (the read alone in brackets);"
echo "(e): spaceplan inspect reads every feature of the three layers through GDAL, as the GDAL source does,"
echo "and nothing else: the like-for-like comparison with (c)."
echo
echo "| size | buildings | (a) validate GeoJSON | (b) validate GeoPackage | (e) inspect GeoPackage | (c) pyogrio GPKG | (c) pyogrio GPKG, arrow | (d) pyogrio buildings.geojson | b / a | e / c | e / c arrow |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"

# The cost of writing space-map.gpkg: spacemap with this binary and one from before GDAL.
if [ -n "${OLD_SPACEPLAN:-}" ]; then
  n=${sizes[${#sizes[@]} - 1]} write_rows=()
  for round in 1 2; do
    for which in new old; do
      bin=$SPACEPLAN; [ "$which" = old ] && bin=$OLD_SPACEPLAN
      out=bench/out/gdal-spacemap-$which-$n
      rm -rf "$out"
      echo "== $n: spacemap --no-maps, $which binary, round $round"
      checked "gdal-spacemap-$which-$n-$round" "$bin" spacemap --no-maps --data "bench/data/$n" --out "$out"
      gpkg_mb=$( [ -f "$out/space-map.gpkg" ] && du -m "$out/space-map.gpkg" | cut -f1 || echo "-")
      write_rows+=("| $n | $which ($bin) | $round | $wall | $rss | $gpkg_mb |")
    done
  done
  echo
  echo "| size | binary | round | spacemap --no-maps s | peak MB | space-map.gpkg MB |"
  echo "|---:|---|---:|---:|---:|---:|"
  printf '%s\n' "${write_rows[@]}"
fi
