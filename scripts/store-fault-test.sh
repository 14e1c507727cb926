#!/usr/bin/env bash
# Kills `spaceplan store apply` and `spaceplan store import --replace` with SIGKILL at random
# moments, alternately, and checks the store after each kill:
#   - it opens: `spaceplan store log --store S` exits 0;
#   - PRAGMA integrity_check is ok (python3 sqlite3);
#   - it holds the old state or the new one, never a mix. For apply, the digest of the carriers
#     rows, store_changes, carriers_history and store_edit_sets (times left out) must equal the
#     digest before, or the digest of the same edit set applied to a copy without a kill; for
#     import --replace, the digest of every table (the R-tree shadow tables, the import time in
#     store_meta and gpkg_contents.last_change left out) must equal the old store's or that of a
#     fresh import of the same folder;
#   - a later command on it succeeds (a store apply after an apply kill, an import --replace after
#     an import kill), and then nothing is left beside the store: no `-journal` file and no
#     staging file (".<store>.importing-<pid>").
# The old store is GIS/sample imported and then edited (three edit sets), so that it differs from
# a fresh import; the killed apply is one edit set of three carrier edits, so that half of it
# would show. Kills alternate between apply and import; for each, half the kills come a random
# 0…--max-delay ms (default 300) after the start, half while it writes: a random moment between
# the appearance of its rollback journal (apply) or staging file (import) and the end of a timed
# run. Then, if strace is installed, three kills pinned to the commit point, where a random kill
# rarely lands: an apply killed as it deletes its journal (the transaction's last step), checked
# as above; the same, followed at once by an import --replace over the store; an import killed as
# it renames its staging file over the store, followed by a later import.
#
#   scripts/store-fault-test.sh [--kills N] [--seed S] [--max-delay MS]
#
# Uses the built binary (.build/debug/spaceplan, or SPACEPLAN=path), copied to the temporary
# folder first; builds nothing. Exits 1 on any store that does not open, fails its integrity
# check, holds neither state, or leaves a file beside it after a later command.
set -euo pipefail
cd "$(dirname "$0")/.."

kills=50 seed=$$ max_delay=300
usage() { echo "usage: scripts/store-fault-test.sh [--kills N] [--seed S] [--max-delay MS]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) [ $# -ge 2 ] || usage; kills=$2; shift 2 ;;
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    --max-delay) [ $# -ge 2 ] || usage; max_delay=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$kills" =~ ^[0-9]+$ && "$seed" =~ ^[0-9]+$ && "$max_delay" =~ ^[0-9]+$ ]] || usage
RANDOM=$seed

source_bin=${SPACEPLAN:-$PWD/.build/debug/spaceplan}
[ -x "$source_bin" ] || { echo "store-fault-test: no spaceplan binary at $source_bin (build it, or give SPACEPLAN=path)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "store-fault-test: needs python3 (with sqlite3)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/store-fault-test.XXXXXX")
running=
cleanup() {
  if [ -n "$running" ]; then kill -KILL "$running" 2>/dev/null || true; wait "$running" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bin=$work/spaceplan
cp "$source_bin" "$bin"
mkdir -p "$work/tmp"
export TMPDIR=$work/tmp  # what the spaceplan and python processes make goes here, checked at the end
data=GIS/sample
runs=$work/runs          # holds the store under test and nothing else
store=$runs/store.gpkg

cat >"$work/store.py" <<'PY'
import hashlib, sqlite3, sys

def connect(path):
    # Read-write, as a later writer opens it: SQLite rolls back a hot journal left by a kill.
    return sqlite3.connect(path, timeout=30)

def rows(db, table, leave_out=()):
    names = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")') if r[1] not in leave_out]
    select = ", ".join(f'"{n}"' for n in names)
    return db.execute(f'SELECT {select} FROM "{table}" ORDER BY rowid')

def digest(db, tables, leave_out):
    h = hashlib.sha256()
    for t in tables:
        h.update(f"table {t}\n".encode())
        for r in rows(db, t, leave_out.get(t, ())):
            if t == "store_meta" and r[0] == "imported_at":
                continue
            h.update(repr(r).encode() + b"\n")
    return h.hexdigest()

# What an apply changes: the carriers, the change log, the history, the edit sets (times left out).
def digest_apply(path):
    db = connect(path)
    print(digest(db, ["carriers", "store_changes", "carriers_history", "store_edit_sets"],
                 {"store_changes": ("at",), "carriers_history": ("superseded_at",), "store_edit_sets": ("at",)}))

# Every table of the file but the R-tree's own shadow tables; times left out.
def digest_all(path):
    db = connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
              if not (r[0].startswith("rtree_") and r[0].endswith(("_node", "_parent", "_rowid")))]
    print(digest(db, tables, {"gpkg_contents": ("last_change",), "store_changes": ("at",),
                              "store_edit_sets": ("at",), **{t: ("superseded_at",) for t in tables if t.endswith("_history")}}))

def integrity(path):
    result = connect(path).execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        print("; ".join(str(r[0]) for r in result[:5]))
        sys.exit(1)

if __name__ == "__main__":
    try:
        {"digest-apply": digest_apply, "digest-all": digest_all, "integrity": integrity}[sys.argv[1]](*sys.argv[2:])
    except sqlite3.Error as error:
        sys.exit(f"sqlite3: {error}")
PY
py() { python3 "$work/store.py" "$@"; }
now_ms() { date +%s%3N; }
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }
carrier_edit() {  # carrier_edit ID VERSION VACANT …: one edit set of carrier edits
  local list= sep=
  while [ $# -gt 0 ]; do
    list+="$sep{\"edit\": \"carrier\", \"id\": \"$1\", \"version\": $2, \"set\": {\"vacant_m2\": $3}}"
    sep=", "
    shift 3
  done
  echo "{\"edits\": [$list]}"
}

# The references: a fresh import (twice: it must give the same digest), the old store (imported,
# then three edit sets), the old store with the killed edit set applied, and their digests.
"$bin" store import --data "$data" --store "$work/fresh.gpkg" >/dev/null
"$bin" store import --data "$data" --store "$work/fresh-again.gpkg" >/dev/null
fresh_all=$(py digest-all "$work/fresh.gpkg")
[ "$fresh_all" = "$(py digest-all "$work/fresh-again.gpkg")" ] || { echo "store-fault-test: two imports of $data differ: cannot tell a fresh import by its digest" >&2; exit 1; }
cp "$work/fresh.gpkg" "$work/old.gpkg"
for id in C00011 C00012 C00013; do
  carrier_edit "$id" 1 100 >"$work/setup.json"
  "$bin" store apply --store "$work/old.gpkg" --edits "$work/setup.json" --author fault-test --reason "the old state" >/dev/null
done
old_all=$(py digest-all "$work/old.gpkg")
[ "$old_all" != "$fresh_all" ] || { echo "store-fault-test: the old store and a fresh import have the same digest" >&2; exit 1; }
carrier_edit C00001 1 111 C00002 1 222 C00003 1 333 >"$work/kill-edit.json"
carrier_edit C00020 1 444 >"$work/later-edit.json"
cp "$work/old.gpkg" "$work/applied.gpkg"
"$bin" store apply --store "$work/applied.gpkg" --edits "$work/kill-edit.json" --author fault-test --reason "the killed edit" >/dev/null
old_apply=$(py digest-apply "$work/old.gpkg")
new_apply=$(py digest-apply "$work/applied.gpkg")
[ "$old_apply" != "$new_apply" ] || { echo "store-fault-test: the edit set changes nothing the digest sees" >&2; exit 1; }
rm -f "$work/fresh-again.gpkg"

start_apply() {
  "$bin" store apply --store "$store" --edits "$work/kill-edit.json" --author fault-test --reason "the killed edit" >/dev/null 2>&1 &
  running=$!
}
start_import() {
  "$bin" store import --data "$data" --store "$store" --replace >/dev/null 2>&1 &
  running=$!
}
# The file whose appearance means the command has begun to write.
marker_of() { if [ "$1" = apply ]; then echo "$store-journal"; else echo "$runs/.store.gpkg.importing-$running"; fi; }
fresh_runs() { rm -rf "$runs"; mkdir -p "$runs"; cp "$work/old.gpkg" "$store"; }

# One timed run of each: when it begins to write, when it ends.
for kind in apply import; do
  fresh_runs
  began=$(now_ms)
  "start_$kind"
  marker=$(marker_of "$kind") writing=
  while kill -0 "$running" 2>/dev/null; do
    if [ -z "$writing" ] && [ -e "$marker" ]; then writing=$(($(now_ms) - began)); fi
    sleep 0.002
  done
  wait "$running" || { echo "store-fault-test: the timed $kind failed" >&2; exit 1; }
  running=
  total=$(($(now_ms) - began))
  writing=${writing:-$((total / 2))}
  eval "${kind}_total=$total ${kind}_writing=$writing"
done
echo "store-fault-test: spaceplan from $source_bin, built $(date -r "$source_bin" '+%Y-%m-%d %H:%M'); $kills kills"
echo "store-fault-test: an apply takes $apply_total ms (its journal appears after $apply_writing ms); an import --replace $import_total ms (its staging file after $import_writing ms)"

problems=0
problem() { problems=$((problems + 1)); echo "PROBLEM: $*"; }

# The checks after a kill: the store opens, is whole, and holds the old state or the new one.
# Sets state to old, new or mixed.
check_state() {  # check_state apply|import WHAT
  local kind=$1 what=$2 found old new status
  set +e
  "$bin" store log --store "$store" >/dev/null 2>"$work/log.err"
  status=$?
  set -e
  if [ "$status" -ne 0 ]; then problem "$what: the store does not open: store log exits $status: $(head -c 300 "$work/log.err")"; fi
  if ! found=$(py integrity "$store" 2>&1); then problem "$what: integrity_check: $found"; fi
  if [ "$kind" = apply ]; then old=$old_apply new=$new_apply; found=$(py digest-apply "$store" 2>&1) || true
  else old=$old_all new=$fresh_all; found=$(py digest-all "$store" 2>&1) || true; fi
  if [ "$found" = "$old" ]; then state=old
  elif [ "$found" = "$new" ]; then state=new
  else state=mixed; problem "$what: the store holds neither the old state nor the new one${found:+ ($(echo "$found" | tail -n 1 | head -c 200))}"; fi
}

# A later command that must succeed, then nothing beside the store but the store.
check_later() {  # check_later apply|import WHAT
  local kind=$1 what=$2 status left
  set +e
  if [ "$kind" = apply ]; then
    "$bin" store apply --store "$store" --edits "$work/later-edit.json" --author fault-test --reason "after the kill" >/dev/null 2>"$work/later.err"
  else
    "$bin" store import --data "$data" --store "$store" --replace >/dev/null 2>"$work/later.err"
  fi
  status=$?
  set -e
  if [ "$status" -ne 0 ]; then problem "$what: the later $kind exits $status: $(head -c 300 "$work/later.err")"; return; fi
  left=$(ls -A "$runs" | grep -vx "store.gpkg" | tr '\n' ' ' || true)
  if [ -n "$left" ]; then problem "$what: after a later successful $kind, beside the store: $left"; strays=$((strays + 1)); fi
}

declare -A tally=()
strays=0 from_start=0 while_writing=0
for ((k = 1; k <= kills; k++)); do
  if ((k % 2 == 1)); then kind=apply; else kind=import; fi
  total_var=${kind}_total writing_var=${kind}_writing
  total=${!total_var} writing=${!writing_var}
  fresh_runs
  began=$(now_ms)
  "start_$kind"
  if (((k - 1) / 2 % 2 == 0)); then
    delay=$((RANDOM % (max_delay + 1)))
    from_start=$((from_start + 1))
  else
    # While it writes: from its journal's or staging file's appearance, a random share of the rest.
    marker=$(marker_of "$kind")
    until [ -e "$marker" ] || ! kill -0 "$running" 2>/dev/null; do
      sleep 0.002
      (($(now_ms) - began > total * 3)) && break
    done
    delay=$((RANDOM % (total - writing + 1)))
    while_writing=$((while_writing + 1))
  fi
  sleep_ms "$delay"
  if kill -KILL "$running" 2>/dev/null; then finished=; else finished=yes; fi
  wait "$running" 2>/dev/null || true
  running=
  at=$(($(now_ms) - began))
  # What the kill left, before anything opens the store.
  left_writing=
  if [ -e "$store-journal" ] || compgen -G "$runs/.store.gpkg.importing-*" >/dev/null; then left_writing=yes; fi
  check_state "$kind" "kill $k ($kind, after ${at} ms)"
  if [ -n "$finished" ]; then
    outcome=finished
    [ "$state" != old ] || problem "kill $k ($kind): the run ended before the kill, but the store holds the old state"
  elif [ "$state" = new ]; then outcome=new
  elif [ "$state" = mixed ]; then outcome=mixed
  elif [ -n "$left_writing" ]; then outcome=mid-write
  else outcome=before; fi
  tally[$kind-$outcome]=$((${tally[$kind-$outcome]:-0} + 1))
  check_later "$kind" "kill $k ($kind, after ${at} ms, $outcome)"
done

# Pinned kills: strace delivers SIGKILL as the command makes the one system call named.
pinned="not run (no strace)"
if command -v strace >/dev/null; then
  pinned_kill() {  # pinned_kill SYSCALLS command…
    local calls=$1
    shift
    # strace ends by the tracee's signal; the braces keep the shell's "Killed" notice out of the output.
    { strace -f -qq -o /dev/null -e trace="$calls" -e inject="$calls":signal=KILL "$@" >/dev/null; } 2>/dev/null || true
  }
  pinned_problems=$problems
  # 1. An apply killed as it deletes its journal: the commit did not happen; the store must open
  #    and hold the old state (SQLite rolls the journal back).
  fresh_runs
  pinned_kill unlink,unlinkat "$bin" store apply --store "$store" --edits "$work/kill-edit.json" --author fault-test --reason "the killed edit"
  [ -e "$store-journal" ] || problem "pinned apply kill: no journal left: the kill did not land in the commit"
  check_state apply "apply killed as it deletes its journal"
  [ "$state" = old ] || problem "apply killed as it deletes its journal: the store holds the $state state, not the old one"
  check_later apply "apply killed as it deletes its journal"
  # 2. The same kill, then at once an import --replace over the store: the import must end with a
  #    whole fresh store and nothing beside it.
  fresh_runs
  pinned_kill unlink,unlinkat "$bin" store apply --store "$store" --edits "$work/kill-edit.json" --author fault-test --reason "the killed edit"
  set +e
  "$bin" store import --data "$data" --store "$store" --replace >/dev/null 2>"$work/later.err"
  status=$?
  set -e
  if [ "$status" -ne 0 ]; then problem "import --replace after an apply killed in its commit exits $status: $(head -c 300 "$work/later.err")"
  else
    left=$(ls -A "$runs" | grep -vx "store.gpkg" | tr '\n' ' ' || true)
    [ -z "$left" ] || { problem "import --replace after an apply killed in its commit: beside the store: $left"; strays=$((strays + 1)); }
    check_state import "import --replace after an apply killed in its commit"
    [ "$state" = new ] || problem "import --replace after an apply killed in its commit: the store holds the $state state, not a fresh import"
  fi
  # 3. An import killed as it renames its staging file over the store: the old state; a later
  #    import must leave nothing beside the store.
  fresh_runs
  pinned_kill rename,renameat,renameat2 "$bin" store import --data "$data" --store "$store" --replace
  compgen -G "$runs/.store.gpkg.importing-*" >/dev/null || problem "pinned import kill: no staging file left: the kill did not land at the rename"
  check_state import "import killed as it renames its staging file"
  [ "$state" = old ] || problem "import killed as it renames its staging file: the store holds the $state state, not the old one"
  check_later import "import killed as it renames its staging file"
  pinned="3 run, $((problems - pinned_problems)) problems"
fi

left=$(ls -A "$work/tmp")
if [ -n "$left" ]; then problem "left in TMPDIR by the spaceplan runs: $left"; fi

t() { echo "${tally[$1]:-0}"; }
echo "store-fault-test: $kills kills ($from_start 0–$max_delay ms after the start, $while_writing while writing)"
echo "  apply:  $(t apply-before) before writing, $(t apply-mid-write) mid-write with the state unchanged (journal left), $(t apply-new) with the state changed (committed), $(t apply-finished) finished before the kill, $(t apply-mixed) mixed"
echo "  import: $(t import-before) before writing, $(t import-mid-write) mid-write with the state unchanged (staging file left), $(t import-new) with the state changed (renamed), $(t import-finished) finished before the kill, $(t import-mixed) mixed"
echo "  pinned kills: $pinned; stores left with a file beside them after a later command: $strays; problems: $problems"
if [ "$problems" -ne 0 ]; then exit 1; fi
