#!/usr/bin/env bash
# Many writers on one district store at once: optimistic versions must lose no edit and count
# none twice. Imports GIS/sample into a new store, then starts N writer processes together; each
# makes M edits on the same 10 carriers (C00001…C00010): it reads the carrier's current version
# (python3 sqlite3, read-only), writes an edit file setting vacant_m2 to a value within the
# carrier's floor area, and runs `spaceplan store apply`. Exit 0 is an accepted edit, exit 3 a
# conflict (its message must name the carrier, "is at version N now" and the current values);
# any other exit fails the test. At the end, for each carrier:
#   - final version − 1 = edits accepted on it, and attempts − accepted = conflicts;
#   - store_changes holds one 'update' row per accepted edit, versions 2…final, none twice, each
#     with the author and reason of the writer whose edit made that version;
#   - carriers_history holds versions 1…final−1 once each; vacant_m2 is the value of the last
#     accepted edit and occupied_m2 = floor_area_m2 − vacant_m2;
# and over the store: one edit set per accepted edit, no other record changed, integrity_check ok,
# and nothing left in the temporary folder the processes were given.
#
#   scripts/store-concurrency.sh [--writers N] [--edits M] [--seed S] [--postgis]
#
# Default 8 writers × 200 edits; CI mode: --writers 4 --edits 25. Uses the built binary
# (.build/debug/spaceplan, or SPACEPLAN=path), copied to the temporary folder first; builds nothing.
# Exits 1 on any failed apply or any count or row that does not agree.
#
# --postgis: the same run and checks on the PostGIS backend: the store is a new schema
# (store_conc_<pid>_<time>) of the database SPACEPLAN_TEST_POSTGRES names (a postgresql:// URL
# without schema=; when it is not set, `eval "$(scripts/test-postgres.sh)"` gives it, which
# starts Debian's cluster and makes the database spaceplan_test if it is missing), dropped on exit. The
# versions and rows are read with python3 psycopg (v3) instead of sqlite3. Left out there, as
# they are the file's: PRAGMA integrity_check (a PostgreSQL database has none to run).
set -euo pipefail
cd "$(dirname "$0")/.."

writers=8 edits=200 seed=$$ postgis=
usage() { echo "usage: scripts/store-concurrency.sh [--writers N] [--edits M] [--seed S] [--postgis]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --writers) [ $# -ge 2 ] || usage; writers=$2; shift 2 ;;
    --edits) [ $# -ge 2 ] || usage; edits=$2; shift 2 ;;
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    --postgis) postgis=yes; shift ;;
    *) usage ;;
  esac
done
[[ "$writers" =~ ^[1-9][0-9]*$ && "$edits" =~ ^[1-9][0-9]*$ && "$seed" =~ ^[0-9]+$ ]] || usage

source_bin=${SPACEPLAN:-$PWD/.build/debug/spaceplan}
[ -x "$source_bin" ] || { echo "store-concurrency: no spaceplan binary at $source_bin (build it, or give SPACEPLAN=path)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "store-concurrency: needs python3 (with sqlite3)" >&2; exit 1; }
# The interpreter itself, not a pyenv shim (a shim adds 0.3 s to each of the writers' reads).
python=$(python3 -c 'import sys; print(sys.executable)')
if [ -n "$postgis" ]; then
  "$python" -c 'import psycopg' 2>/dev/null || { echo "store-concurrency: --postgis needs python3 psycopg (v3): pip install psycopg" >&2; exit 1; }
  if [ -z "${SPACEPLAN_TEST_POSTGRES:-}" ]; then eval "$(scripts/test-postgres.sh)"; fi
  schema=store_conc_$$_$(date +%s)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/store-concurrency.XXXXXX")
writer_pids=()
cleanup() {
  # Writers run in their own process groups (set -m below): end each group, then drop the schema
  # (PostGIS) and remove the folder.
  for p in ${writer_pids[@]+"${writer_pids[@]}"}; do kill -TERM -- "-$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$postgis" ] && [ -e "$work/store.py" ]; then "$python" "$work/store.py" drop "$store" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bin=$work/spaceplan
cp "$source_bin" "$bin"
mkdir -p "$work/tmp"
export TMPDIR=$work/tmp  # what the spaceplan and python processes make goes here, checked at the end
if [ -n "$postgis" ]; then
  case $SPACEPLAN_TEST_POSTGRES in *\?*) store="$SPACEPLAN_TEST_POSTGRES&schema=$schema" ;; *) store="$SPACEPLAN_TEST_POSTGRES?schema=$schema" ;; esac
  backend="PostGIS, schema $schema"
else
  store=$work/store.gpkg
  backend=GeoPackage
fi
carriers=(C00001 C00002 C00003 C00004 C00005 C00006 C00007 C00008 C00009 C00010)

cat >"$work/store.py" <<'PY'
import glob, os, sqlite3, sys
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

def postgis(path):
    return path.startswith(("postgresql://", "postgres://"))

def split(url):
    # spaceplan's store URL: libpq's URL with schema=NAME added; libpq does not know schema=.
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    schema = dict(query)["schema"]
    return urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k != "schema"]))), schema

class PostGIS:
    # The store's schema through psycopg, autocommit (each read sees what is committed), with
    # sqlite3's "?" placeholders and execute(…).fetchone()/fetchall() as the checks use them.
    def __init__(self, url):
        import psycopg
        base, self.schema = split(url)
        self.db = psycopg.connect(base, autocommit=True)
        self.db.execute("SET statement_timeout = '60s'")
        self.db.execute(f'SET search_path = "{self.schema}", public')
    def execute(self, sql, parameters=()):
        return self.db.execute(sql.replace("?", "%s"), parameters)

def connect(path):
    if postgis(path):
        return PostGIS(path)
    # Read-only: the test only reads; writers wait at most 60 s for a commit to finish.
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)

def drop(url):
    import psycopg
    base, schema = split(url)
    with psycopg.connect(base, autocommit=True) as db:
        db.execute("SET lock_timeout = '30s'")
        db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

def current(path, record):
    db = connect(path)
    row = db.execute("SELECT version, vacant_m2, floor_area_m2 FROM carriers WHERE id = ?", (record,)).fetchone()
    if row is None:
        sys.exit(f"store-concurrency: {path} has no carrier {record}")
    print(row[0], round(row[1]), round(row[2]))

def check(path, logs, ids):
    ids = ids.split(",")
    problems = []
    attempts = {i: 0 for i in ids}
    accepted = {i: [] for i in ids}  # (version edited, value, writer, reason)
    conflicts = {i: 0 for i in ids}
    for log in sorted(glob.glob(os.path.join(logs, "w*", "log"))):
        for line in open(log, encoding="utf-8"):
            writer, edit, record, version, value, outcome = line.split()
            attempts[record] += 1
            if outcome == "accepted":
                accepted[record].append((int(version), int(value), writer, f"concurrency test: {writer}, edit {edit}"))
            elif outcome == "conflict":
                conflicts[record] += 1
            else:
                problems.append(f"{writer} edit {edit} on {record}: {outcome}")
    db = connect(path)
    if not postgis(path):  # PostgreSQL has no integrity_check to run
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity[:5]}")
    for record in ids:
        version, vacant, occupied, area = db.execute(
            "SELECT version, vacant_m2, occupied_m2, floor_area_m2 FROM carriers WHERE id = ?", (record,)).fetchone()
        ok = accepted[record]
        if version - 1 != len(ok):
            problems.append(f"{record}: version {version}, but {len(ok)} edits were accepted (expected version {len(ok) + 1})")
        if conflicts[record] != attempts[record] - len(ok):
            problems.append(f"{record}: {conflicts[record]} conflicts, but {attempts[record]} attempts − {len(ok)} accepted")
        made = {}
        for seen, value, writer, reason in ok:
            if seen + 1 in made:
                problems.append(f"{record}: two accepted edits both made on version {seen} ({made[seen + 1][1]} and {writer}): a lost update")
            made[seen + 1] = (value, writer, reason)
        rows = db.execute(
            "SELECT version, change, author, reason FROM store_changes WHERE layer = 'carriers' AND record_id = ? ORDER BY seq",
            (record,)).fetchall()
        versions = [r[0] for r in rows]
        if versions != list(range(2, version + 1)):
            problems.append(f"{record}: store_changes versions {versions[:8]}{'…' if len(versions) > 8 else ''} "
                            f"({len(versions)} rows, {len(versions) - len(set(versions))} repeated), expected 2…{version}")
        if len(rows) != len(ok):
            problems.append(f"{record}: {len(rows)} store_changes rows for {len(ok)} accepted edits")
        for v, change, author, reason in rows:
            if change != "update":
                problems.append(f"{record} version {v}: change '{change}', expected 'update'")
            expected = made.get(v)
            if expected is None:
                problems.append(f"{record} version {v}: in store_changes (by {author}), but no writer's edit made it")
            elif (author, reason) != expected[1:]:
                problems.append(f"{record} version {v}: store_changes says {author!r} ({reason!r}), but {expected[1]!r} made it ({expected[2]!r})")
        history = [r[0] for r in db.execute("SELECT version FROM carriers_history WHERE id = ? ORDER BY version", (record,))]
        if history != list(range(1, version)):
            problems.append(f"{record}: carriers_history versions {history[:8]}{'…' if len(history) > 8 else ''} "
                            f"({len(history)} rows), expected 1…{version - 1} once each")
        if version in made and round(vacant) != made[version][0]:
            problems.append(f"{record}: vacant_m2 {vacant}, but the edit that made version {version} set {made[version][0]}")
        if abs(vacant + occupied - area) > 1e-6:
            problems.append(f"{record}: vacant_m2 {vacant} + occupied_m2 {occupied} ≠ floor_area_m2 {area}")
    total = sum(len(v) for v in accepted.values())
    edit_sets = db.execute("SELECT count(*) FROM store_edit_sets").fetchone()[0]
    if edit_sets != total:
        problems.append(f"{edit_sets} edit sets in store_edit_sets for {total} accepted edits")
    placeholders = ",".join("?" * len(ids))
    others = db.execute(f"SELECT count(*) FROM store_changes WHERE NOT (layer = 'carriers' AND record_id IN ({placeholders}))", ids).fetchone()[0]
    if others:
        problems.append(f"{others} store_changes rows for records no writer edited")
    concat = "string_agg(id, ',')" if postgis(path) else "group_concat(id)"
    moved = db.execute(f"SELECT {concat} FROM carriers WHERE version <> 1 AND id NOT IN ({placeholders})", ids).fetchone()[0]
    if moved:
        problems.append(f"carriers no writer edited are past version 1: {moved}")
    for record in ids:
        print(f"  {record}: {attempts[record]} attempts, {len(accepted[record])} accepted, {conflicts[record]} conflicts")
    for p in problems:
        print("PROBLEM: " + p)
    sys.exit(1 if problems else 0)

if __name__ == "__main__":
    {"current": current, "check": check, "drop": drop}[sys.argv[1]](*sys.argv[2:])
PY

echo "store-concurrency: $writers writers × $edits edits on ${#carriers[@]} carriers, $backend (spaceplan: $source_bin, built $(date -r "$source_bin" '+%Y-%m-%d %H:%M'))"
"$bin" store import --data GIS/sample --store "$store" >/dev/null
for id in "${carriers[@]}"; do
  read -r version _ _ < <("$python" "$work/store.py" current "$store" "$id")
  [ "$version" = 1 ] || { echo "store-concurrency: $id starts at version $version after the import, not 1" >&2; exit 1; }
done

# One writer: M edits, each on a random carrier of the ten, at the version it reads just before.
# Its log has one line per attempt: writer, edit, carrier, version edited, value, outcome.
writer() {
  local w=writer-$1 dir=$work/w$1 i id version vacant area value status
  RANDOM=$((seed * 100 + $1))
  mkdir -p "$dir"
  : >"$dir/log"
  for ((i = 1; i <= edits; i++)); do
    id=${carriers[RANDOM % ${#carriers[@]}]}
    if ! current=$("$python" "$work/store.py" current "$store" "$id" 2>"$dir/err"); then
      echo "$w $i $id - - cannot-read-the-version" >>"$dir/log"
      { echo "$w edit $i: cannot read the version of $id:"; cat "$dir/err"; } >>"$work/failures"
      continue
    fi
    read -r version vacant area <<<"$current"
    value=$((RANDOM % (area + 1)))
    if [ "$value" -eq "$vacant" ]; then value=$(((value + 1) % (area + 1))); fi
    printf '{"edits": [{"edit": "carrier", "id": "%s", "version": %d, "set": {"vacant_m2": %d}}]}\n' "$id" "$version" "$value" >"$dir/edit.json"
    set +e
    "$bin" store apply --store "$store" --edits "$dir/edit.json" --author "$w" --reason "concurrency test: $w, edit $i" >"$dir/out" 2>"$dir/err"
    status=$?
    set -e
    case $status in
      0) echo "$w $i $id $version $value accepted" >>"$dir/log" ;;
      3)
        if grep -q "$id" "$dir/err" && grep -Eq "is at version [0-9]+ now" "$dir/err" && grep -q "current values" "$dir/err"; then
          echo "$w $i $id $version $value conflict" >>"$dir/log"
        else
          echo "$w $i $id $version $value conflict-without-the-message" >>"$dir/log"
          { echo "$w edit $i ($id at version $version): exit 3 without naming the record, 'is at version N now' and its values:"; cat "$dir/err"; } >>"$work/failures"
        fi ;;
      *)
        echo "$w $i $id $version $value exit-$status" >>"$dir/log"
        { echo "$w edit $i ($id at version $version): exit $status:"; cat "$dir/err"; } >>"$work/failures" ;;
    esac
  done
}

now_ms() { date +%s%3N; }
start=$(now_ms)
set -m  # each writer in its own process group, so that an interrupted run can end it whole
for ((w = 1; w <= writers; w++)); do
  writer "$w" &
  writer_pids+=($!)
done
set +m
for p in "${writer_pids[@]}"; do
  wait "$p" || echo "store-concurrency: a writer stopped early (status $?)" >>"$work/failures"
done
writer_pids=()
elapsed_ms=$(($(now_ms) - start))
seconds=$(printf '%d.%d' $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100)))

attempted=$(cat "$work"/w*/log | wc -l)
accepted=$(cat "$work"/w*/log | grep -c " accepted$" || true)
conflicts=$(cat "$work"/w*/log | grep -c " conflict$" || true)
failed=$((attempted - accepted - conflicts))
for ((w = 1; w <= writers; w++)); do
  echo "  writer-$w: $(grep -c " accepted$" "$work/w$w/log" || true) accepted, $(grep -c " conflict$" "$work/w$w/log" || true) conflicts"
done

status=0
"$python" "$work/store.py" check "$store" "$work" "$(IFS=,; echo "${carriers[*]}")" || status=1
if [ -s "$work/failures" ]; then
  echo "store apply failed ($failed of $attempted):"
  head -n 40 "$work/failures"
  status=1
fi
if [ "$attempted" -ne $((writers * edits)) ]; then echo "PROBLEM: $attempted attempts logged, expected $((writers * edits))"; status=1; fi
left=$(ls -A "$work/tmp")
if [ -n "$left" ]; then echo "PROBLEM: left in TMPDIR by the spaceplan runs: $left"; status=1; fi
left=$(ls -A "$work" | grep -Ev '^(spaceplan|store\.gpkg|store\.py|tmp|w[0-9]+|failures)$' || true)
if [ -n "$left" ]; then echo "PROBLEM: left beside the store: $left"; status=1; fi

echo "store-concurrency: $writers writers × $edits edits on ${#carriers[@]} carriers ($( [ -n "$postgis" ] && echo PostGIS || echo GeoPackage)): $attempted attempts, $accepted accepted, $conflicts conflicts (exit 3), $failed failed, in $seconds s; $( [ "$status" -eq 0 ] && echo "versions, store_changes, history and authors agree" || echo "FAILED")"
exit "$status"
