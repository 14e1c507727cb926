#!/usr/bin/env bash
# Kills `spaceplan spacemap` with SIGKILL at random points while it writes, and checks that
# --out always holds one whole output set: the previous run's or the new run's, byte for byte,
# with nothing a later run could mistake for output. Then runs two spacemaps into one --out at
# once: one must refuse with the lock message, and the set must stay whole.
#
#   scripts/fault-test.sh [--kills N] [--seed S] [--buildings N] [--debug]
#
# --debug runs the debug build the tests already made instead of building a release one (CI:
# minutes of building saved; a smaller district keeps each run as short).
#
# The district (`spaceplan generate --seed 7 --buildings 100000`) is made once in bench/data/
# (git-ignored). The previous set is the space map of GIS/sample, so that every file of the two
# sets differs; the new set is the space map of the generated district. Each kill starts from
# the previous set; half the kills fall anywhere in the run, half while it writes its files.
# Exits 1 on any mixed set or stray file, or if the concurrent run was not refused.
set -euo pipefail
cd "$(dirname "$0")/.."

kills=50 seed=$$ buildings=100000 configuration=release
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) kills=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --buildings) buildings=$2; shift 2 ;;
    --debug) configuration=debug; shift ;;
    *) echo "usage: scripts/fault-test.sh [--kills N] [--seed S] [--buildings N] [--debug]" >&2; exit 2 ;;
  esac
done
RANDOM=$seed

swift build -c "$configuration" --product spaceplan 2>&1 | grep -E "error|Compiling|Build" | grep -v "^\[" || true
bin=$PWD/.build/$configuration/spaceplan
data=bench/data/$buildings
if [ ! -f "$data/layers.json" ]; then "$bin" generate --seed 7 --buildings "$buildings" --out "$data" >/dev/null; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fault-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=$work/runs/out
mkdir -p "$work/runs"

# Every file of a folder (hidden ones too) with its checksum, sorted: a set is this listing.
listing() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }
now_ms() { date +%s%3N; }

"$bin" spacemap --data GIS/sample --out "$work/old" >/dev/null
"$bin" spacemap --data "$data" --out "$work/new" >/dev/null
listing "$work/old" >"$work/old.sums"
listing "$work/new" >"$work/new.sums"
cmp -s "$work/old.sums" "$work/new.sums" && { echo "fault-test: the two reference sets are the same" >&2; exit 1; }

# One timed run: how long until it starts writing (its staging folder appears) and until it ends.
cp -a "$work/old" "$out"
start=$(now_ms)
"$bin" spacemap --data "$data" --out "$out" >/dev/null &
pid=$!
writing=
while kill -0 "$pid" 2>/dev/null; do
  if [ -z "$writing" ] && compgen -G "$work/runs/.out.staging-*" >/dev/null; then writing=$(( $(now_ms) - start )); fi
  sleep 0.005
done
wait "$pid"
total=$(( $(now_ms) - start ))
writing=${writing:-$(( total * 3 / 4 ))}
echo "fault-test: a run takes $total ms and starts writing after $writing ms; $kills kills"

old_whole=0 new_whole=0 mixed=0 strays=0 during_write=0
for ((k = 1; k <= kills; k++)); do
  rm -rf "$out"
  cp -a "$work/old" "$out"
  "$bin" spacemap --data "$data" --out "$out" >/dev/null 2>&1 &
  pid=$!
  if (( k % 2 == 0 )); then
    # While it writes: from its staging folder's appearance, a random share of the writing time.
    started=$(now_ms)
    until compgen -G "$work/runs/.out.staging-*" >/dev/null || ! kill -0 "$pid" 2>/dev/null; do
      sleep 0.002
      (( $(now_ms) - started > total * 3 )) && break
    done
    delay_ms=$(( RANDOM % (total - writing + 1) ))
    during_write=$((during_write + 1))
  else
    delay_ms=$(( RANDOM % (total + 1) ))
  fi
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true

  listing "$out" >"$work/found.sums" 2>/dev/null || : >"$work/found.sums"
  if cmp -s "$work/found.sums" "$work/old.sums"; then old_whole=$((old_whole + 1))
  elif cmp -s "$work/found.sums" "$work/new.sums"; then new_whole=$((new_whole + 1))
  else
    mixed=$((mixed + 1))
    echo "kill $k after ${delay_ms} ms: --out holds neither set:"
    diff <(cut -c67- "$work/old.sums") <(cut -c67- "$work/found.sums") | head -n 10 || true
  fi
done

# A later run must see no leftovers: it removes the staging folders of killed runs, and beside
# --out there is then nothing but --out itself.
"$bin" spacemap --data "$data" --out "$out" >/dev/null
listing "$out" >"$work/found.sums"
cmp -s "$work/found.sums" "$work/new.sums" || { echo "the run after the kills did not leave the new set whole"; mixed=$((mixed + 1)); }
left=$(ls -A "$work/runs" | grep -v "^out$" || true)
if [ -n "$left" ]; then strays=$(echo "$left" | wc -l); echo "left beside --out after a complete run: $left"; fi

# Two runs at once: the second starts while the first writes, so it meets the lock.
concurrent=0 refused=0
for ((c = 1; c <= 3; c++)); do
  rm -rf "$out"
  cp -a "$work/old" "$out"
  "$bin" spacemap --data "$data" --out "$out" >/dev/null 2>"$work/first.err" &
  first=$!
  until compgen -G "$work/runs/.out.staging-*" >/dev/null || ! kill -0 "$first" 2>/dev/null; do sleep 0.002; done
  set +e
  "$bin" generate --seed 1 --buildings 10 --out "$out" >/dev/null 2>"$work/second.err"
  second=$?
  wait "$first"
  first_status=$?
  set -e
  concurrent=$((concurrent + 1))
  if [ "$second" -ne 0 ] && grep -q "another spaceplan run (pid $first) is writing this folder" "$work/second.err"; then refused=$((refused + 1)); fi
  listing "$out" >"$work/found.sums"
  if [ "$first_status" -ne 0 ] || ! cmp -s "$work/found.sums" "$work/new.sums"; then
    mixed=$((mixed + 1)); echo "concurrent run $c: the first run's set is not whole (exit $first_status)"; cat "$work/first.err"
  fi
done

echo "fault-test: $kills kills ($during_write while writing), sets found whole: $old_whole old, $new_whole new; mixed: $mixed, strays: $strays; concurrent runs: $refused of $concurrent refused with the lock message, the set whole"
if [ "$mixed" -ne 0 ] || [ "$strays" -ne 0 ] || [ "$refused" -ne "$concurrent" ]; then exit 1; fi
