#!/usr/bin/env bash
# Benchmark the workbench server: for generated districts of 100,000 and 500,000 buildings,
# the server's time and the size of its answer for a district-wide view, a street-level view
# and a building click, as the page asks them; one markdown table, in one go.
#
#   bench/workbench.sh [sizes...]        default sizes: 100000 500000 buildings
#
# Data go to bench/data/N (generated once, shared with bench/run.sh). SPACEPLAN=path uses
# that binary instead of building .build/release/spaceplan.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 500000)
if [ -z "${SPACEPLAN:-}" ]; then
  swift build -c release --product spaceplan
  SPACEPLAN=.build/release/spaceplan
fi
mkdir -p bench/data bench/out/logs
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; true' EXIT

rows=()
for n in "${sizes[@]}"; do
  data=bench/data/$n log=bench/out/logs/serve-$n.log
  if [ ! -f "$data/layers.json" ]; then
    echo "== generating $data"
    "$SPACEPLAN" generate --seed 7 --buildings "$n" --out "$data"
  fi
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "== $n: spaceplan serve on port $port"
  : >"$log"  # the server writes here; an old log must not say it is ready
  start=$(date +%s.%N)
  SPACEPLAN_PROGRESS=1 "$SPACEPLAN" serve --data "$data" --port "$port" --config GIS/config/policy.json >"$log" 2>&1 &
  pid=$!
  until grep -q "spaceplan workbench: open" "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.2
  done
  ready=$(echo "$(date +%s.%N) - $start" | bc)
  rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
  echo "   ready in ${ready} s, ${rss} MB resident"
  rows+=("| $n | opening the workspace and publishing the layers | until the address is printed | $(printf '%.0f' "$(echo "$ready * 1000" | bc)") | ${rss} MB resident |")
  while IFS= read -r row; do rows+=("$row"); done < <(python3 bench/workbench_requests.py "http://127.0.0.1:$port" "$n")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done

echo
echo "| buildings | request | answer | server ms (median of 5) | response KB |"
echo "|---:|---|---|---:|---:|"
printf '%s\n' "${rows[@]}"
