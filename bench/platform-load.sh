#!/usr/bin/env bash
# The platform under load (docs/platform.md): many people on `spaceplan serve --store` at once,
# reading the map and editing vacancy, with no edit lost.
#
#   bench/platform-load.sh [--postgis] [--clients 50] [--seconds 60] [--buildings 100000]
#                          [--operators 5] [--carriers-each 10] [--data DIR]
#
# --buildings N generates a district of N buildings (`spaceplan generate --seed 7`; N = 0: GIS/sample)
# into a temporary folder (or reads --data DIR, a folder generated before), imports it into a new
# store (a GeoPackage in the temporary folder, or with --postgis a new schema platform_load_<pid>_<time>
# of the database SPACEPLAN_TEST_POSTGRES names; when that is not set,
# `eval "$(scripts/test-postgres.sh)"` gives it), adds a bureau person and --operators operators,
# each keeping --carriers-each carriers of its own (C… in file order, disjoint), and starts
# `spaceplan serve --store` on free loopback ports: one process on the GeoPackage, two on the PostGIS
# schema. bench/platform-load.py then runs the clients against them for --seconds and checks the
# store; at the end the servers are stopped, the folder removed and the schema dropped (also when
# interrupted). Uses the built binary (SPACEPLAN=path, default .build/debug/spaceplan; a release
# build for figures worth keeping); builds nothing. Exits with the client's status (1: a server
# error, an unexpected answer, a lost update, or a server that stopped).
set -euo pipefail
cd "$(dirname "$0")/.."

postgis= clients=50 seconds=60 buildings=100000 operators=5 each=10 data=
usage() {
  echo "usage: bench/platform-load.sh [--postgis] [--clients N] [--seconds S] [--buildings N] [--operators K] [--carriers-each M] [--data DIR]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --postgis) postgis=yes; shift ;;
    --clients) [ $# -ge 2 ] || usage; clients=$2; shift 2 ;;
    --seconds) [ $# -ge 2 ] || usage; seconds=$2; shift 2 ;;
    --buildings) [ $# -ge 2 ] || usage; buildings=$2; shift 2 ;;
    --operators) [ $# -ge 2 ] || usage; operators=$2; shift 2 ;;
    --carriers-each) [ $# -ge 2 ] || usage; each=$2; shift 2 ;;
    --data) [ $# -ge 2 ] || usage; data=$(realpath "$2"); shift 2 ;;
    *) usage ;;
  esac
done
[[ "$clients" =~ ^[1-9][0-9]*$ && "$seconds" =~ ^[1-9][0-9]*$ && "$buildings" =~ ^[0-9]+$ && "$operators" =~ ^[1-9][0-9]*$ && "$each" =~ ^[1-9][0-9]*$ ]] || usage

bin=${SPACEPLAN:-$PWD/.build/debug/spaceplan}
[ -x "$bin" ] || { echo "platform-load: no spaceplan binary at $bin (build it, or give SPACEPLAN=path)" >&2; exit 1; }
bin=$(realpath "$bin")
python=$(python3 -c 'import sys; print(sys.executable)')
if [ -n "$postgis" ]; then
  "$python" -c 'import psycopg' 2>/dev/null || { echo "platform-load: --postgis needs python3 psycopg (v3): pip install psycopg" >&2; exit 1; }
  if [ -z "${SPACEPLAN_TEST_POSTGRES:-}" ]; then eval "$(scripts/test-postgres.sh)"; fi
  schema=platform_load_$$_$(date +%s)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/platform-load.XXXXXX")
servers=()
cleanup() {
  for p in ${servers[@]+"${servers[@]}"}; do kill -TERM "$p" 2>/dev/null || true; done
  for p in ${servers[@]+"${servers[@]}"}; do wait "$p" 2>/dev/null || true; done
  # The schema as scripts/store-concurrency.sh drops its own (psycopg, a lock timeout, IF EXISTS), and its roles.
  if [ -n "$postgis" ] && [ -n "${store:-}" ]; then
    "$python" - "$store" <<'PY' || echo "platform-load: could not drop the schema of $store" >&2
import sys
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
import psycopg
parts = urlsplit(sys.argv[1])
query = parse_qsl(parts.query)
schema = dict(query)["schema"]
base = urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k != "schema"])))
with psycopg.connect(base, autocommit=True) as db:
    db.execute("SET lock_timeout = '30s'")
    db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    # A platform store's operators may be roles of the database (<schema>_…): the cluster's, not
    # the schema's, so dropped by name, as Tests/TestSupport/StoreFixture.swift drops them.
    for (role,) in db.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s ORDER BY rolname DESC", (schema.replace("_", "\\_") + "\\_%",)).fetchall():
        db.execute(f'DROP ROLE IF EXISTS "{role}"')
PY
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$work/tmp"
export TMPDIR=$work/tmp  # the servers' upload folders go here, and with the rest

now() { date +%s.%N; }
since() { awk "BEGIN { printf \"%.1f\", $(now) - $1 }"; }

if [ -z "$data" ]; then
  if [ "$buildings" = 0 ]; then
    data=$PWD/GIS/sample
  else
    data=$work/district-$buildings
    t=$(now)
    # Seed 7, as bench/run.sh and bench/workbench.sh: with the default seed (2021) the generated
    # 100,000-building district has a carrier larger than its buildings, which the reader refuses.
    "$bin" generate --seed 7 --buildings "$buildings" --out "$data" >/dev/null
    echo "platform-load: generated $buildings buildings in $(since "$t") s"
  fi
fi
if [ -n "$postgis" ]; then
  case $SPACEPLAN_TEST_POSTGRES in *\?*) store="$SPACEPLAN_TEST_POSTGRES&schema=$schema" ;; *) store="$SPACEPLAN_TEST_POSTGRES?schema=$schema" ;; esac
  backend="PostGIS (schema $schema), 2 server processes"
else
  store=$work/district.gpkg
  backend="GeoPackage, 1 server process"
fi
t=$(now)
"$bin" store import --data "$data" --store "$store" --config GIS/config/policy.json | head -n 1
echo "platform-load: imported in $(since "$t") s into $backend"

# The people: a bureau person and operators with disjoint carriers, in carriers.csv's order.
password=$("$python" -c 'import secrets; print("load-" + secrets.token_hex(8))')
"$python" - "$data/carriers.csv" "$operators" "$each" "$password" >"$work/people.json" <<'PY'
import csv, json, sys
path, operators, each, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ids = [row["id"] for row in csv.DictReader(open(path, encoding="utf-8-sig"))]
if len(ids) < operators * each:
    sys.exit(f"platform-load: {len(ids)} carriers, fewer than {operators} operators × {each}")
people = {f"ops{k + 1}": ids[k * each:(k + 1) * each] for k in range(operators)}
json.dump({"password": password, "bureau": "chief", "operators": people}, sys.stdout)
PY
printf '%s\n' "$password" | "$bin" users add --store "$store" --name chief --role bureau >/dev/null
"$python" -c 'import json, sys; [print(n, ",".join(c)) for n, c in json.load(open(sys.argv[1]))["operators"].items()]' "$work/people.json" |
  while read -r name carriers; do
    printf '%s\n' "$password" | "$bin" users add --store "$store" --name "$name" --role operator --carriers "$carriers" >/dev/null
  done

processes=1
[ -n "$postgis" ] && processes=2
urls=()
for ((i = 1; i <= processes; i++)); do
  port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  t=$(now)
  "$bin" serve --store "$store" --host 127.0.0.1 --port "$port" >"$work/serve-$i.log" 2>&1 &
  servers+=($!)
  until grep -q "spaceplan workbench: open" "$work/serve-$i.log"; do
    kill -0 "${servers[-1]}" 2>/dev/null || { echo "platform-load: server $i stopped before it was ready:" >&2; cat "$work/serve-$i.log" >&2; exit 1; }
    awk "BEGIN { exit !($(now) - $t > 600) }" && { echo "platform-load: server $i not ready in 600 s" >&2; exit 1; }
    sleep 0.2
  done
  echo "platform-load: server $i (pid ${servers[-1]}) ready on port $port in $(since "$t") s, $(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/${servers[-1]}/status") MB resident"
  urls+=(--url "http://127.0.0.1:$port")
done

cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; }
cpu_before=()
for p in "${servers[@]}"; do cpu_before+=("$(cpu "$p")"); done
echo "platform-load: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "platform-load: $clients clients for $seconds s, $operators operators × $each carriers"
status=0
"$python" bench/platform-load.py "${urls[@]}" --store "$store" --people "$work/people.json" --clients "$clients" --seconds "$seconds" \
  --spaceplan "$bin" || status=$?
echo "platform-load: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in "${!servers[@]}"; do
  p=${servers[$i]}
  if kill -0 "$p" 2>/dev/null; then
    echo "platform-load: server $((i + 1)): $(awk "BEGIN { print $(cpu "$p") - ${cpu_before[$i]} }") CPU s during the load, peak $(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$p/status") MB resident"
  else
    echo "platform-load: PROBLEM: server $((i + 1)) (pid $p) stopped during the load; its log:" >&2
    tail -n 30 "$work/serve-$((i + 1)).log" >&2
    status=1
  fi
done
if grep -Eiq "error|fatal|crash" "$work"/serve-*.log; then
  echo "platform-load: the servers' logs name errors:"
  grep -Ei "error|fatal|crash" "$work"/serve-*.log | head -n 20
fi
exit "$status"
