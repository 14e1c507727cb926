#!/usr/bin/env bash
# Edits a platform server through OGC API – Features Part 4 as QGIS's OAPIF provider does, and
# checks every answer against docs/platform.md (scripts/oapif-edit-client.py does the checks).
#
#   scripts/oapif-edit-test.sh [--postgis]
#
# Makes a fresh store from GIS/sample (a GeoPackage in a temporary folder, or with --postgis a new
# schema oapif_edit_<pid>_<time> of the database SPACEPLAN_TEST_POSTGRES names; when that is not
# set, `eval "$(scripts/test-postgres.sh)"` gives it), adds three people (the operator ops1 of
# C00001 and C00002, the operator ops2 of C00003, the bureau chief), starts `spaceplan serve
# --store` on a free loopback port, runs the client as ops1 on C00001 with C00003 as another
# operator's carrier, then stops the server and removes the folder (and drops the schema), also
# when interrupted. Uses the built binary (.build/debug/spaceplan, or SPACEPLAN=path); builds
# nothing. Exits with the client's status (0: every check held).
set -euo pipefail
cd "$(dirname "$0")/.."

postgis=
usage() { echo "usage: scripts/oapif-edit-test.sh [--postgis]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --postgis) postgis=yes; shift ;;
    *) usage ;;
  esac
done

bin=${SPACEPLAN:-$PWD/.build/debug/spaceplan}
[ -x "$bin" ] || { echo "oapif-edit-test: no spaceplan binary at $bin (build it, or give SPACEPLAN=path)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "oapif-edit-test: needs python3" >&2; exit 1; }
python=$(python3 -c 'import sys; print(sys.executable)')
if [ -n "$postgis" ]; then
  "$python" -c 'import psycopg' 2>/dev/null || { echo "oapif-edit-test: --postgis needs python3 psycopg (v3), to drop the schema: pip install psycopg" >&2; exit 1; }
  if [ -z "${SPACEPLAN_TEST_POSTGRES:-}" ]; then eval "$(scripts/test-postgres.sh)"; fi
  schema=oapif_edit_$$_$(date +%s)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/oapif-edit-test.XXXXXX")
server=
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  # The schema as scripts/store-concurrency.sh drops its own (psycopg, a lock timeout, IF EXISTS), and its roles.
  if [ -n "$postgis" ]; then
    "$python" - "$store" <<'PY' || echo "oapif-edit-test: could not drop the schema of $store" >&2
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
export TMPDIR=$work/tmp  # the server's uploads folder, removed with the rest
if [ -n "$postgis" ]; then
  case $SPACEPLAN_TEST_POSTGRES in *\?*) store="$SPACEPLAN_TEST_POSTGRES&schema=$schema" ;; *) store="$SPACEPLAN_TEST_POSTGRES?schema=$schema" ;; esac
  backend="PostGIS, schema $schema"
else
  store=$work/store.gpkg
  backend="GeoPackage"
fi

password=$("$python" -c 'import secrets; print("oapif-" + secrets.token_hex(8))')
echo "oapif-edit-test: $backend (spaceplan: $bin)"
"$bin" store import --data GIS/sample --store "$store" >/dev/null
printf '%s\n' "$password" | "$bin" users add --store "$store" --name ops1 --role operator --carriers C00001,C00002 >/dev/null
printf '%s\n' "$password" | "$bin" users add --store "$store" --name ops2 --role operator --carriers C00003 >/dev/null
printf '%s\n' "$password" | "$bin" users add --store "$store" --name chief --role bureau >/dev/null

# A free loopback port: the kernel's pick, released just before the server takes it.
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$bin" serve --store "$store" --host 127.0.0.1 --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for ((i = 0; i < 600; i++)); do
  grep -q "spaceplan workbench: open" "$work/serve.log" && break
  kill -0 "$server" 2>/dev/null || { echo "oapif-edit-test: the server stopped before it was ready:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "spaceplan workbench: open" "$work/serve.log" || { echo "oapif-edit-test: the server was not ready in 60 s:" >&2; cat "$work/serve.log" >&2; exit 1; }

status=0
"$python" scripts/oapif-edit-client.py --url "http://127.0.0.1:$port" --operator "ops1:$password" --own C00001 --other C00003 \
  --bureau "chief:$password" || status=$?
if [ "$status" -ne 0 ]; then
  echo "oapif-edit-test: FAILED ($backend); the server's log:" >&2
  tail -n 40 "$work/serve.log" >&2
fi
exit "$status"
