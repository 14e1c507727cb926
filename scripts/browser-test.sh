#!/usr/bin/env bash
# The workbench in a real browser and in GDAL's OGC API client: builds spaceplan (unless
# $SPACEPLAN names a binary), serves GIS/sample and GIS/futian-real on free loopback ports, and
# GIS/sample imported into a store as the platform (docs/platform.md) with three people (ops1,
# an operator of C00001 and C00002; chief, the bureau; firm1, an applicant; their password is
# $WORKBENCH_PASSWORD), runs Tests/browser (pytest: headless Chromium through Debian's
# chromedriver, then ogrinfo/ogr2ogr) and stops the servers.
# Screenshots go to $WORKBENCH_SCREENSHOTS (default out/browser). Tests skip, saying why,
# when chromium, chromedriver, selenium or gdal-bin is missing.
#   scripts/browser-test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SPACEPLAN:-}" ]; then
  swift build --product spaceplan
  SPACEPLAN=.build/debug/spaceplan
fi
logs=$(mktemp -d)
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$logs"; }
trap stop EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve NAME ARGUMENTS…: starts spaceplan serve ARGUMENTS and waits until it says where to
# open it; sets url.
serve() {
  local name=$1 port
  shift
  port=$(free_port)
  "$SPACEPLAN" serve "$@" --host 127.0.0.1 --port "$port" >"$logs/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do
    if grep -q "spaceplan workbench: open" "$logs/$name.log"; then url="http://127.0.0.1:$port"; return; fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then cat "$logs/$name.log"; echo "spaceplan serve $* stopped"; exit 1; fi
    sleep 0.5
  done
  cat "$logs/$name.log"; echo "spaceplan serve $* did not start in 120 s"; exit 1
}

serve sample --data GIS/sample
export WORKBENCH_URL=$url
serve real --data GIS/futian-real
export WORKBENCH_REAL_URL=$url
# The platform: the sample in a store of its own, its people added with their password on stdin.
"$SPACEPLAN" store import --data GIS/sample --store "$logs/platform.gpkg" >"$logs/import.log" 2>&1 || { cat "$logs/import.log"; exit 1; }
export WORKBENCH_PASSWORD=${WORKBENCH_PASSWORD:-correct horse battery}
add_person() { printf '%s\n' "$WORKBENCH_PASSWORD" | "$SPACEPLAN" users add --store "$logs/platform.gpkg" "$@" >>"$logs/import.log" 2>&1 || { cat "$logs/import.log"; exit 1; }; }
add_person --name ops1 --role operator --carriers C00001,C00002
add_person --name chief --role bureau
add_person --name firm1 --role applicant
serve platform --store "$logs/platform.gpkg"
export WORKBENCH_PLATFORM_URL=$url
echo "serving GIS/sample at $WORKBENCH_URL, GIS/futian-real at $WORKBENCH_REAL_URL, the platform at $WORKBENCH_PLATFORM_URL"
python3 -m pytest -v -p no:cacheprovider Tests/browser "$@"
