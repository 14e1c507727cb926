#!/usr/bin/env bash
# The store benchmark (docs/store.md), on a generated district of N buildings (default 500,000),
# side by side in one run:
#   - importing the district into PostGIS: `spaceplan store import` against `ogr2ogr -f
#     PostgreSQL` of the same layer files and GeoPandas `read_file` + `to_crs` + `to_postgis`;
#   - importing it into the embedded GeoPackage store;
#   - opening a workspace (read, check, join, sum) from the files, the GeoPackage store and PostGIS;
#   - an applied vacancy edit (checked and written), and the time from it to the next
#     snapshot's district figures, on both stores.
#
#   bench/store.sh [N]
#
# Needs: a release build (`swift build -c release`; SPACEPLAN_BIN=folder of spaceplan and
# store-bench, default .build/release), PostgreSQL with PostGIS (SPACEPLAN_TEST_POSTGRES, else
# `scripts/test-postgres.sh` is run), ogr2ogr (gdal-bin), Python's geopandas, sqlalchemy,
# geoalchemy2 and psycopg (installed from PyPI when missing). Data go to bench/data/N, stores and
# logs to bench/out/store-N. Prints one markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500000}
bin=${SPACEPLAN_BIN:-.build/release}
PYTHON=${PYTHON:-python3}
[ -x "$bin/spaceplan" ] && [ -x "$bin/store-bench" ] || { echo "no release build in $bin: run swift build -c release" >&2; exit 2; }
command -v ogr2ogr >/dev/null || { echo "needs ogr2ogr (apt-get install gdal-bin)" >&2; exit 2; }
$PYTHON -c "import geopandas, sqlalchemy, geoalchemy2, psycopg" 2>/dev/null \
  || $PYTHON -m pip install --quiet --break-system-packages sqlalchemy geoalchemy2 psycopg
[ -n "${SPACEPLAN_TEST_POSTGRES:-}" ] || eval "$(scripts/test-postgres.sh)"
pg=$SPACEPLAN_TEST_POSTGRES
data=bench/data/$n out=bench/out/store-$n LOGS=bench/out/store-$n/logs
mkdir -p bench/data "$LOGS"; rm -f "$LOGS"/*
source bench/timed.sh
if [ ! -f "$data/layers.json" ]; then
  echo "== generating $data" >&2
  "$bin/spaceplan" generate --seed 7 --buildings "$n" --out "$data" >&2
fi
# GDAL's PostgreSQL driver takes key=value connection strings, not URLs.
ogrpg=$($PYTHON -c "
import sys, urllib.parse as u
p = u.urlparse(sys.argv[1]); q = dict(u.parse_qsl(p.query))
parts = {'dbname': p.path.lstrip('/'), 'user': p.username, 'password': p.password, 'host': q.get('host') or p.hostname, 'port': p.port}
print('PG:' + ' '.join(f\"{k}='{v}'\" for k, v in parts.items() if v))" "$pg")
# psql on the test database, for dropping the schemas each import makes.
sql() { $PYTHON -c "import psycopg, sys; c = psycopg.connect(sys.argv[1], autocommit=True); c.execute(sys.argv[2])" "$pg" "$1"; }
for s in bench_spaceplan bench_ogr bench_gpd; do sql "DROP SCHEMA IF EXISTS $s CASCADE"; done
rm -f "$out/district.gpkg"

rows=()
row() { rows+=("| $1 | $2 | $3 |"); }

echo "== import into PostGIS: spaceplan" >&2
timed import-spaceplan "$bin/spaceplan" store import --data "$data" --store "$pg&schema=bench_spaceplan"
[ "$rc" = 0 ] || { cat "$LOGS/import-spaceplan.err" >&2; exit 1; }
t_spaceplan=$wall; row "import into PostGIS: spaceplan store import (reads, checks, writes every layer)" "$wall s" "$rss MB"

echo "== import into PostGIS: ogr2ogr" >&2
sql "CREATE SCHEMA bench_ogr"
start=$EPOCHREALTIME
for layer in zones parcels buildings; do
  ogr2ogr -f PostgreSQL "$ogrpg" "$data/$layer.geojson" -nln "$layer" -lco SCHEMA=bench_ogr \
    -t_srs EPSG:4547 -nlt PROMOTE_TO_MULTI --config PG_USE_COPY YES 2>>"$LOGS/ogr2ogr.err"
done
ogr2ogr -f PostgreSQL "$ogrpg" "$data/carriers.csv" -nln carriers -lco SCHEMA=bench_ogr --config PG_USE_COPY YES 2>>"$LOGS/ogr2ogr.err"
# Firms as points from their lon/lat (ogr2ogr knows no GCJ-02: read as WGS84, so the same work, not the same points).
ogr2ogr -f PostgreSQL "$ogrpg" "$data/enterprises.csv" -nln enterprises -lco SCHEMA=bench_ogr -oo X_POSSIBLE_NAMES=lon \
  -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326 -t_srs EPSG:4547 --config PG_USE_COPY YES 2>>"$LOGS/ogr2ogr.err"
t_ogr=$(awk "BEGIN { printf \"%.2f\", $EPOCHREALTIME - $start }")
row "import into PostGIS: ogr2ogr -f PostgreSQL (reads, reprojects, writes)" "$t_ogr s" "–"

echo "== import into PostGIS: GeoPandas" >&2
start=$EPOCHREALTIME
$PYTHON - "$data" "$pg" <<'PY' 2>>"$LOGS/geopandas.err"
import sys, geopandas as gpd, pandas as pd, sqlalchemy
data, url = sys.argv[1], sys.argv[2]
engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
with engine.begin() as c:
    c.exec_driver_sql("CREATE SCHEMA bench_gpd")
for layer in ("zones", "parcels", "buildings"):
    gpd.read_file(f"{data}/{layer}.geojson", engine="pyogrio").to_crs(4547).to_postgis(layer, engine, schema="bench_gpd", index=False)
pd.read_csv(f"{data}/carriers.csv").to_sql("carriers", engine, schema="bench_gpd", index=False)
firms = pd.read_csv(f"{data}/enterprises.csv")
gpd.GeoDataFrame(firms, geometry=gpd.points_from_xy(firms.lon, firms.lat), crs=4326).to_crs(4547).to_postgis(
    "enterprises", engine, schema="bench_gpd", index=False)
PY
t_gpd=$(awk "BEGIN { printf \"%.2f\", $EPOCHREALTIME - $start }")
row "import into PostGIS: GeoPandas read_file + to_crs + to_postgis" "$t_gpd s" "–"

echo "== import into a GeoPackage store" >&2
timed import-gpkg "$bin/spaceplan" store import --data "$data" --store "$out/district.gpkg"
row "import into a GeoPackage store: spaceplan store import" "$wall s" "$rss MB"

declare -A open_ms
for source in "--data $data" "--store $out/district.gpkg" "--store $pg&schema=bench_spaceplan"; do
  name=$(echo "$source" | cut -c3-7)
  echo "== open a workspace: $source" >&2
  timed "open-$name" "$bin/store-bench" open $source
  ms=$(cut -f2 "$LOGS/open-$name.out")
  case "$source" in --data*) open_ms[files]=$ms ;; *.gpkg) open_ms[gpkg]=$ms ;; *) open_ms[pg]=$ms ;; esac
  row "open a workspace (read, check, join, sum) from $(echo "$source" | sed "s|$pg|postgresql://…|")" "$(awk "BEGIN { printf \"%.2f\", $ms / 1000 }") s" "$rss MB"
done

for store in "$out/district.gpkg" "$pg&schema=bench_spaceplan"; do
  echo "== a vacancy edit: $store" >&2
  "$bin/store-bench" edit --store "$store" --edits 5 > "$LOGS/edit.out"
  median() { grep "^$1" "$LOGS/edit.out" | cut -f2 | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
  label=$(echo "$store" | sed "s|$pg|postgresql://…|")
  row "vacancy edit applied (checked as a whole, written), median of 5: $label" "$(median apply) ms" "–"
  row "from the applied edit to the next snapshot's district figures, median of 5: $label" "$(median figures) ms" "–"
done

echo
echo "District: $n buildings ($data). $(date -u +%F), $(nproc) cores, commit $(git rev-parse --short HEAD)."
echo
echo "| step | time | peak memory |"
echo "|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
awk "BEGIN { printf \"PostGIS import: ogr2ogr / spaceplan %.2f×, GeoPandas / spaceplan %.2f×\n\", $t_ogr / $t_spaceplan, $t_gpd / $t_spaceplan }"
awk "BEGIN { printf \"Opening a workspace: from the files / from the GeoPackage store %.2f×, from the files / from PostGIS %.2f×\n\", ${open_ms[files]} / ${open_ms[gpkg]}, ${open_ms[files]} / ${open_ms[pg]} }"
