#!/usr/bin/env bash
# The workbench against its own OpenAPI document: builds spaceplan, serves GIS/sample on a free
# loopback port, runs schemathesis (PyPI) against http://127.0.0.1:PORT/api/openapi.json with
# the checks scripts/schemathesis.toml enables (no server error; every status, content type and JSON body as documented; no
# request the document allows refused, none it forbids accepted; a wrong method is a 405 with
# Allow) and stops the server. Any failure fails the script.
#   scripts/schemathesis.sh [SECONDS]   (the time budget of the main pass; default 100)
# SCHEMATHESIS_SEED=N another seed (default 20: CI asks the same questions every time).
# Examples per operation are bounded (--max-examples 30). The job routes POST /api/target,
# POST /api/allocation and POST /api/simulate start a run each time they are accepted, so they get 3 fuzzed
# examples each in a pass of their own; the server runs one job at a time and queues the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-100}
swift build --product spaceplan
SPACEPLAN=${SPACEPLAN:-.build/debug/spaceplan}
python3 -c "import schemathesis" 2>/dev/null || {
  echo "schemathesis is not installed: python3 -m pip install --break-system-packages schemathesis"; exit 1; }
# Run from the scratch folder: schemathesis keeps a cache (.schemathesis) where it runs.
st() { (cd "$logs" && python3 -m schemathesis.cli --config-file "$root/scripts/schemathesis.toml" "$@"); }
logs=$(mktemp -d)
pid=
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$logs"; }
trap stop EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$SPACEPLAN" serve --data GIS/sample --host 127.0.0.1 --port "$port" >"$logs/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
  grep -q "spaceplan workbench: open" "$logs/serve.log" && break
  if ! kill -0 "$pid" 2>/dev/null; then cat "$logs/serve.log"; echo "spaceplan serve stopped"; exit 1; fi
  sleep 0.5
done
grep -q "spaceplan workbench: open" "$logs/serve.log" || { cat "$logs/serve.log"; echo "spaceplan serve did not start in 120 s"; exit 1; }
url="http://127.0.0.1:$port"
echo "serving GIS/sample at $url"

jobs='^/api/(target|allocation|simulate)$'
common=(--seed "${SCHEMATHESIS_SEED:-20}" --request-timeout 60 --suppress-health-check all --warnings off --generation-database none)
status=0
# Everything but the jobs, for the time budget (fuzzing repeats until it is spent).
st run "$url/api/openapi.json" "${common[@]}" --max-examples 30 --max-time "$seconds" \
  --exclude-path-regex "$jobs" || status=1
# The jobs, a few examples each (each accepted one is a solver run, queued on the server).
st run "$url/api/openapi.json" "${common[@]}" --max-examples 3 \
  --include-path-regex "$jobs" --phases fuzzing || status=1
exit $status
