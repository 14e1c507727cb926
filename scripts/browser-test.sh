#!/usr/bin/env bash
# The workbench in a real browser and in GDAL's OGC API client: builds spaceplan, serves
# GIS/sample and GIS/futian-real on free loopback ports, runs Tests/browser (pytest: headless
# Chromium through Debian's chromedriver, then ogrinfo/ogr2ogr) and stops the servers.
# Screenshots go to $WORKBENCH_SCREENSHOTS (default out/browser). Tests skip, saying why,
# when chromium, chromedriver, selenium or gdal-bin is missing.
#   scripts/browser-test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product spaceplan
SPACEPLAN=${SPACEPLAN:-.build/debug/spaceplan}
logs=$(mktemp -d)
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$logs"; }
trap stop EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve NAME DIR: starts spaceplan serve and waits until it says where to open it; sets url.
serve() {
  local name=$1 data=$2 port
  port=$(free_port)
  "$SPACEPLAN" serve --data "$data" --host 127.0.0.1 --port "$port" >"$logs/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do
    if grep -q "spaceplan workbench: open" "$logs/$name.log"; then url="http://127.0.0.1:$port"; return; fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then cat "$logs/$name.log"; echo "spaceplan serve --data $data stopped"; exit 1; fi
    sleep 0.5
  done
  cat "$logs/$name.log"; echo "spaceplan serve --data $data did not start in 120 s"; exit 1
}

serve sample GIS/sample
export WORKBENCH_URL=$url
serve real GIS/futian-real
export WORKBENCH_REAL_URL=$url
echo "serving GIS/sample at $WORKBENCH_URL and GIS/futian-real at $WORKBENCH_REAL_URL"
python3 -m pytest -v -p no:cacheprovider Tests/browser "$@"
