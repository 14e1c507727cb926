#!/usr/bin/env bash
# Benchmark the workbench server: for generated districts of 100,000 and 500,000 buildings,
# opened from files (serve --data) and from a GeoPackage store (serve --store --public-read),
# the time until it is ready and until it answers its first request, its memory, and the
# server's time and the size of its answer for a district-wide view, a street-level view and
# a building click, as the page asks them; one markdown table, in one go.
#
#   bench/workbench.sh [sizes...]        default sizes: 100000 500000 buildings
#
# Data go to bench/data/N (generated once, shared with bench/run.sh), the store to
# bench/data/N.store.gpkg (imported once from bench/data/N; remade when the data are newer).
# SPACEPLAN=path uses that binary instead of building .build/release/spaceplan.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 500000)
if [ -z "${SPACEPLAN:-}" ]; then
  swift build -c release --product spaceplan
  SPACEPLAN=.build/release/spaceplan
fi
mkdir -p bench/data bench/out/logs
pid= importing=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  # An import cut short leaves a store that must not pass for a whole one next time.
  [ -n "$importing" ] && rm -f "$importing" "$importing-wal" "$importing-shm" "$importing-journal"
  true
}
trap cleanup EXIT

# Waits for the server PID started at START (epoch seconds): polls, every 50 ms, its log for
# "spaceplan workbench: open" and GET /api/config (the page's first request) for a 200. Prints
# the seconds from START to each: "READY FIRST_ANSWER". Fails, showing the log, if the server
# exits first.
wait_open() {
  python3 - "$@" <<'PY'
import sys, time, urllib.error, urllib.request
url, log, pid, start = sys.argv[1] + "/api/config", sys.argv[2], sys.argv[3], float(sys.argv[4])

def alive():
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except OSError:
        return False

ready = answered = None
while ready is None or answered is None:
    if ready is None:
        with open(log, errors="replace") as f:
            if "spaceplan workbench: open" in f.read():
                ready = time.time() - start
    if answered is None:
        try:
            with urllib.request.urlopen(url, timeout=120) as r:
                r.read()
                if r.status == 200:
                    answered = time.time() - start
        except urllib.error.HTTPError as e:
            if ready is not None:  # open, and answering something else: it will not become 200
                sys.exit(f"the server is open but GET /api/config answers {e.code} ({log})")
        except (urllib.error.URLError, OSError):
            pass  # not listening yet
    if not alive():
        sys.stderr.write(open(log, errors="replace").read())
        sys.exit(f"the server exited before it was open ({log})")
    if ready is None or answered is None:
        time.sleep(0.05)
print(f"{ready:.3f} {answered:.3f}")
PY
}

ms() { printf '%.0f' "$(echo "$1 * 1000" | bc)"; }

rows=()
for n in "${sizes[@]}"; do
  data=bench/data/$n store=bench/data/$n.store.gpkg
  if [ ! -f "$data/layers.json" ]; then
    echo "== generating $data"
    "$SPACEPLAN" generate --seed 7 --buildings "$n" --out "$data"
  fi
  if [ ! -f "$store" ] || [ "$data/layers.json" -nt "$store" ]; then
    echo "== importing $data into $store (once; not in the table)"
    rm -f "$store" "$store-wal" "$store-shm" "$store-journal"
    importing=$store
    start=$(date +%s.%N)
    "$SPACEPLAN" store import --data "$data" --config GIS/config/policy.json --store "$store" \
      >"bench/out/logs/store-import-$n.log" 2>&1 || { cat "bench/out/logs/store-import-$n.log"; exit 1; }
    importing=
    echo "   imported in $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s"
  fi
  declare -A opening=() requests=()
  for source in files store; do
    if [ "$source" = files ]; then
      args=(--data "$data" --config GIS/config/policy.json)
    else
      args=(--store "$store" --public-read)  # the store's configuration comes with it
    fi
    log=bench/out/logs/serve-$n-$source.log
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "== $n from $source: spaceplan serve ${args[*]} on port $port"
    : >"$log"  # the server writes here; an old log must not say it is ready
    start=$(date +%s.%N)
    SPACEPLAN_PROGRESS=1 "$SPACEPLAN" serve "${args[@]}" --port "$port" >"$log" 2>&1 &
    pid=$!
    read -r ready answered < <(wait_open "http://127.0.0.1:$port" "$log" "$pid" "$start")
    read -r rss peak < <(awk '/VmRSS/ { r = $2 } /VmHWM/ { h = $2 } END { printf "%.0f %.0f\n", r / 1024, h / 1024 }' "/proc/$pid/status")
    echo "   ready in ${ready} s, first answer in ${answered} s, ${rss} MB resident (peak ${peak} MB)"
    opening[$source]="| $n | $source | opening: the workbench ready | until \"spaceplan workbench: open\" is in the log | $(ms "$ready") | ${rss} MB resident (peak ${peak} MB) |
| $n | $source | opening: the first answer | until GET /api/config answers 200 (asked every 50 ms from the start) | $(ms "$answered") | |"
    requests[$source]=$(python3 bench/workbench_requests.py "http://127.0.0.1:$port" "$n" "$source")
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  done
  # Files and store side by side: the two opening rows of each, then each request from both.
  mapfile -t fo <<<"${opening[files]}"; mapfile -t so <<<"${opening[store]}"
  mapfile -t fr <<<"${requests[files]}"; mapfile -t sr <<<"${requests[store]}"
  for i in "${!fo[@]}"; do rows+=("${fo[$i]}" "${so[$i]}"); done
  for i in "${!fr[@]}"; do rows+=("${fr[$i]}" "${sr[$i]:-}"); done
  unset opening requests
done

echo
echo "| buildings | source | request | answer | ms (requests: server, median of 5) | response KB |"
echo "|---:|---|---|---|---:|---:|"
printf '%s\n' "${rows[@]}"
