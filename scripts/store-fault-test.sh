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
#   scripts/store-fault-test.sh [--kills N] [--seed S] [--max-delay MS] [--postgis]
#
# Uses the built binary (.build/debug/spaceplan, or SPACEPLAN=path), copied to the temporary
# folder first; builds nothing. Exits 1 on any store that does not open, fails its integrity
# check, holds neither state, or leaves a file beside it after a later command.
#
# --postgis: the same kills on the PostGIS backend. The store is a new schema
# (store_fault_<pid>_<time>) of the database SPACEPLAN_TEST_POSTGRES names (a postgresql:// URL
# without schema=; when it is not set, `eval "$(scripts/test-postgres.sh)"` gives it), dropped on
# exit; no other schema is touched. Before each kill the store is reset: `store import --replace`
# and the same three setup edit sets, so the old state is the same each time. Every spaceplan run
# that is killed has PGAPPNAME=spaceplan-fault-<pid>-<kill>, so that its server process can be
# seen in pg_stat_activity: "while writing" is from the moment its transaction has an id (the
# import's DROP SCHEMA, the apply's first write) to the end of a timed run. After each kill:
#   - its server processes must be gone within 2 s (none left "idle in transaction", holding
#     the rows or the schema it locked);
#   - the store holds the old state or the new one: digests (python3 psycopg v3) of the schema's
#     tables, ORDER BY fid (seq, id or key where a table has no fid), times left out (the at and
#     superseded_at columns, store_meta.imported_at): for apply carriers, store_changes,
#     carriers_history and store_edit_sets; for import every table of the schema (an import runs
#     in one transaction: a kill leaves the previous store exactly, or the new one);
#   - `store log` and then a later `store apply` succeed, each under `timeout` (a hang, as on a
#     lock a dead writer still holds, is a failure); the next kill's reset is a later import.
# With strace installed, four pinned kills, each at the send of COMMIT: an apply killed as it
# sends "COMMIT" (must leave the old state), and as it waits for the reply (the server received
# the COMMIT: the new state, or the old if the server gave it up); an import killed as it sends
# "ANALYZE …; COMMIT" (one message: the old state) and as it waits for its reply. strace cannot
# choose a call by the bytes it sends; it counts (inject …:when=N). So a traced run without a kill
# first finds N, the place of the sendto carrying the message that ends in "COMMIT" among the
# sendto calls of the thread that sends it (or of the poll after it); then the kill run injects
# SIGKILL at the Nth call, and its own trace (each call is printed with its buffer) shows where
# the kill landed. An apply's sendto count is the same each run; its poll count moves when a
# reply comes in two parts, and an import's COPY adds a sendto (and a poll) each time the socket
# is full (EAGAIN): a kill that did not land there is checked as any kill and tried again (up to
# 8 times) at the place the last trace gave. The summary says on which try each one landed.
# Left out on PostGIS, as they are the file's: PRAGMA integrity_check, the -journal and the
# staging-file checks (a PostgreSQL transaction leaves no file to find).
set -euo pipefail
cd "$(dirname "$0")/.."

kills=50 seed=$$ max_delay=300 postgis=
usage() { echo "usage: scripts/store-fault-test.sh [--kills N] [--seed S] [--max-delay MS] [--postgis]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) [ $# -ge 2 ] || usage; kills=$2; shift 2 ;;
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    --max-delay) [ $# -ge 2 ] || usage; max_delay=$2; shift 2 ;;
    --postgis) postgis=yes; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
[[ "$kills" =~ ^[0-9]+$ && "$seed" =~ ^[0-9]+$ && "$max_delay" =~ ^[0-9]+$ ]] || usage
RANDOM=$seed

source_bin=${SPACEPLAN:-$PWD/.build/debug/spaceplan}
[ -x "$source_bin" ] || { echo "store-fault-test: no spaceplan binary at $source_bin (build it, or give SPACEPLAN=path)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "store-fault-test: needs python3 (with sqlite3)" >&2; exit 1; }
if [ -n "$postgis" ]; then
  # The interpreter itself, not a pyenv shim (a shim adds 0.3 s to each call).
  python=$(python3 -c 'import sys; print(sys.executable)')
  "$python" -c 'import psycopg' 2>/dev/null || { echo "store-fault-test: --postgis needs python3 psycopg (v3): pip install psycopg" >&2; exit 1; }
  command -v timeout >/dev/null || { echo "store-fault-test: --postgis needs timeout (coreutils)" >&2; exit 1; }
  if [ -z "${SPACEPLAN_TEST_POSTGRES:-}" ]; then eval "$(scripts/test-postgres.sh)"; fi
  schema=store_fault_$$_$(date +%s)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/store-fault-test.XXXXXX")
running=
cleanup() {
  if [ -n "$running" ]; then kill -KILL "$running" 2>/dev/null || true; wait "$running" 2>/dev/null || true; fi
  if [ -n "$postgis" ]; then
    # The watcher ends at the end of its input; then the schema this run made is dropped.
    if [ -n "${watch_pid:-}" ]; then kill "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true; fi
    if [ -e "$work/store.py" ]; then "$python" "$work/store.py" drop "$store" || true; fi
  fi
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
if [ -n "$postgis" ]; then
  case $SPACEPLAN_TEST_POSTGRES in *\?*) store="$SPACEPLAN_TEST_POSTGRES&schema=$schema" ;; *) store="$SPACEPLAN_TEST_POSTGRES?schema=$schema" ;; esac
fi

cat >"$work/store.py" <<'PY'
import hashlib, re, sqlite3, sys, time

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

# PostGIS (--postgis): the store is a schema, named by spaceplan's URL (libpq's, with schema=NAME).
def split(url):
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    schema = dict(query)["schema"]
    return urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k != "schema"]))), schema

def drop(url):
    import psycopg
    base, schema = split(url)
    if not schema.startswith("store_fault_"):
        sys.exit(f"store-fault-test: will not drop schema {schema}: not one this test made")
    with psycopg.connect(base, autocommit=True, application_name="store-fault-test") as db:
        db.execute("SET lock_timeout = '30s'")
        db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

def alive(pid):
    # The killed or timed spaceplan is the shell's child: a zombie until the shell waits for it.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False

class Watch:
    # One connection, autocommit (each look at pg_stat_activity sees it as it is now), kept for
    # the whole run; commands on stdin, one answer line each on stdout.
    def __init__(self, url):
        import psycopg
        base, self.schema = split(url)
        self.db = psycopg.connect(base, autocommit=True, application_name="store-fault-test")
        self.db.execute("SET statement_timeout = '60s'")

    def backends(self, app):
        return self.db.execute(
            "SELECT pid, coalesce(state, '-'), backend_xid IS NOT NULL, coalesce(left(regexp_replace(query, '\\s+', ' ', 'g'), 60), '')"
            " FROM pg_stat_activity WHERE application_name = %s AND datname = current_database() ORDER BY backend_start", (app,)).fetchall()

    @staticmethod
    def describe(rows):
        return "; ".join(f"pid {pid}, {state}, {'a transaction id' if xid else 'no transaction id'}, query {query!r}" for pid, state, xid, query in rows)

    def writing(self, app, pid, limit_ms):
        # Until a server process of APP has a transaction id (it has begun to write), PID has
        # ended, or LIMIT_MS have passed.
        start = time.monotonic()
        while True:
            if any(xid for _, _, xid, _ in self.backends(app)):
                return "writing"
            if not alive(int(pid)):
                return "ended"
            if (time.monotonic() - start) * 1000 > int(limit_ms):
                return "timeout"
            time.sleep(0.001)

    def snapshot(self, app):
        # Just before a kill: whether it was writing, and what its server process was running.
        rows = self.backends(app)
        writing = [r for r in rows if r[2]]
        if not writing:
            return "connected" if rows else "none"
        _, state, _, query = writing[0]
        word = (query.split() or ["-"])[0].upper()
        return f"writing {state.replace(' ', '_')} {word}"

    def gone(self, app, limit_ms):
        start = time.monotonic()
        while True:
            rows = self.backends(app)
            waited = round((time.monotonic() - start) * 1000)
            if not rows:
                return f"gone {waited}"
            if waited > int(limit_ms):
                return f"present {waited} {self.describe(rows)}"
            time.sleep(0.005)

    def terminate(self, app):
        ended = self.db.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s", (app,)).fetchone()[0]
        return f"terminated {ended}"

    def order(self, table, names):
        key = [r[0] for r in self.db.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            " WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum", (f'"{self.schema}"."{table}"',))]
        if "fid" in names:  # the layers (fid is their key) and their history (fid, version)
            key = ["fid"] + (["version"] if "version" in names else [])
        return ", ".join(f'"{n}"' for n in key) if key else ", ".join(str(i + 1) for i in range(len(names)))

    def digest(self, which):
        leave_out = {"store_changes": ("at",), "store_edit_sets": ("at",)}
        h = hashlib.sha256()
        with self.db.transaction():
            self.db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            present = [r[0] for r in self.db.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", (self.schema,))]
            if not present:
                return f"error: no schema {self.schema}, or no table in it"
            if which == "apply":
                tables = ["carriers", "store_changes", "carriers_history", "store_edit_sets"]
                missing = [t for t in tables if t not in present]
                if missing:
                    return f"error: no table {', '.join(missing)} in schema {self.schema}"
            else:
                tables = present
            for t in tables:
                names = [r[0] for r in self.db.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                    (self.schema, t))]
                out = leave_out.get(t, ("superseded_at",) if t.endswith("_history") else ())
                names = [n for n in names if n not in out]
                select = ", ".join(f'"{n}"' for n in names)
                h.update(f"table {t}\n".encode())
                for r in self.db.execute(f'SELECT {select} FROM "{self.schema}"."{t}" ORDER BY {self.order(t, names)}'):
                    if t == "store_meta" and r[0] == "imported_at":
                        continue
                    h.update(repr(tuple(r)).encode() + b"\n")
        return h.hexdigest()

def watch(url):
    import psycopg
    w = Watch(url)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            answer = getattr(w, words[0])(*words[1:])
        except psycopg.Error as error:
            answer = "error: " + " ".join(str(error).split())[:300]
        print(answer, flush=True)

# The strace traces of the pinned kills: -f, sendto and poll, buffers printed whole (-s).
def calls(log):
    entries = []  # (pid, syscall, the line), in order; a call another thread interrupted counts once
    for line in open(log, encoding="utf-8", errors="replace"):
        m = re.match(r"(\d+) +(sendto|poll)\(", line)
        if m:
            entries.append((m.group(1), m.group(2), line))
    return entries

COMMIT = re.compile(r'sendto\(\d+, "Q.*COMMIT\\0", ')  # a simple query whose text ends in COMMIT

def places(log):
    # The place of the sendto carrying the query that ends in COMMIT among its thread's sendto
    # calls, and of the poll after it among its polls (waiting for the reply); "none" if none.
    entries = calls(log)
    for i, (pid, call, line) in enumerate(entries):
        if call == "sendto" and COMMIT.search(line):
            send = sum(1 for p, c, _ in entries[: i + 1] if p == pid and c == "sendto")
            later = [j for j in range(i + 1, len(entries)) if entries[j][0] == pid and entries[j][1] == "poll"]
            poll = sum(1 for p, c, _ in entries[: later[0] + 1] if p == pid and c == "poll") if later else 0
            return f"{send} {poll}"
    return "none"

def landed(log, at):
    # Where the kill of a pinned run landed: "landed" (on the COMMIT's sendto, or on the poll
    # right after it), "early" (before the COMMIT was sent), "late SEND POLL" (after: the
    # places in this run), from the last call the killed thread entered.
    killed = open(log, encoding="utf-8", errors="replace").read().rstrip().endswith("+++ killed by SIGKILL +++")
    entries = calls(log)
    found = places(log)
    if found == "none":
        return "early" if killed else "late none"
    send, poll = map(int, found.split())
    pid = next(p for p, c, l in entries if c == "sendto" and COMMIT.search(l))
    mine = [(c, l) for p, c, l in entries if p == pid]
    last_call, last_line = mine[-1]
    count = sum(1 for c, _ in mine if c == last_call)
    if killed and at == "send" and last_call == "sendto" and count == send:
        return "landed"
    if killed and at == "reply" and last_call == "poll" and count == poll:
        return "landed"
    return f"late {send} {poll}"

if __name__ == "__main__":
    try:
        {"digest-apply": digest_apply, "digest-all": digest_all, "integrity": integrity,
         "drop": drop, "watch": watch, "places": lambda log: print(places(log)),
         "landed": lambda log, at: print(landed(log, at))}[sys.argv[1]](*sys.argv[2:])
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

if [ -n "$postgis" ]; then
  # ---- PostGIS: the store is the schema $schema; nothing here looks at files beside it. ----
  limit_apply=60 limit_import=180  # seconds: a later command that takes longer hangs
  coproc watch { exec "$python" "$work/store.py" watch "$store"; }
  watch_pid=$watch_PID
  watch_in=${watch[1]} watch_out=${watch[0]}
  pgw() {  # pgw COMMAND ARG…: one command to the watcher; its answer in $reply
    echo "$*" >&"$watch_in"
    IFS= read -r reply <&"$watch_out" || { echo "store-fault-test: the PostgreSQL watcher stopped" >&2; exit 1; }
  }
  # run_limited SECONDS WHAT command…: runs a command under timeout; on failure a problem naming
  # WHAT, the exit (124: a hang) and its first error line; returns its status.
  run_limited() {
    local limit=$1 what=$2 status
    shift 2
    set +e
    timeout "$limit" "$@" >/dev/null 2>"$work/cmd.err"
    status=$?
    set -e
    if [ "$status" -eq 124 ]; then problem "$what: still running after $limit s (killed by timeout): a hang"
    elif [ "$status" -ne 0 ]; then problem "$what: exits $status: $(head -c 300 "$work/cmd.err")"; fi
    return "$status"
  }
  problems=0
  problem() { problems=$((problems + 1)); echo "PROBLEM: $*"; }
  import_cmd=("$bin" store import --data "$data" --store "$store" --replace)
  apply_cmd=("$bin" store apply --store "$store" --edits "$work/kill-edit.json" --author fault-test --reason "the killed edit")
  later_cmd=("$bin" store apply --store "$store" --edits "$work/later-edit.json" --author fault-test --reason "after the kill")
  # The old state: a fresh import and the three setup edit sets, made anew before each kill.
  reset_store() {  # reset_store WHAT
    run_limited "$limit_import" "$1: the reset's store import --replace" "${import_cmd[@]}" || return 1
    for id in C00011 C00012 C00013; do
      carrier_edit "$id" 1 100 >"$work/setup.json"
      run_limited "$limit_apply" "$1: the reset's apply on $id" \
        "$bin" store apply --store "$store" --edits "$work/setup.json" --author fault-test --reason "the old state" || return 1
    done
  }
  carrier_edit C00001 1 111 C00002 1 222 C00003 1 333 >"$work/kill-edit.json"
  carrier_edit C00020 1 444 >"$work/later-edit.json"

  # The references, in the schema itself: a fresh import (twice: the digests must agree), the old
  # store, and the old store with the killed edit set applied.
  "$bin" store import --data "$data" --store "$store" >/dev/null
  pgw digest all; fresh_all=$reply
  [[ "$fresh_all" =~ ^[0-9a-f]{64}$ ]] || { echo "store-fault-test: cannot read the store: $fresh_all" >&2; exit 1; }
  "${import_cmd[@]}" >/dev/null
  pgw digest all
  [ "$reply" = "$fresh_all" ] || { echo "store-fault-test: two imports of $data differ: cannot tell a fresh import by its digest" >&2; exit 1; }
  reset_store "the references" || exit 1
  pgw digest all; old_all=$reply
  pgw digest apply; old_apply=$reply
  [ "$old_all" != "$fresh_all" ] || { echo "store-fault-test: the old store and a fresh import have the same digest" >&2; exit 1; }
  "${apply_cmd[@]}" >/dev/null
  pgw digest apply; new_apply=$reply
  [ "$old_apply" != "$new_apply" ] || { echo "store-fault-test: the edit set changes nothing the digest sees" >&2; exit 1; }

  tag_base=spaceplan-fault-$$
  pg_start() {  # pg_start apply|import TAG: the run to kill, in the background, tagged
    if [ "$1" = apply ]; then PGAPPNAME=$2 "${apply_cmd[@]}" >/dev/null 2>&1 &
    else PGAPPNAME=$2 "${import_cmd[@]}" >/dev/null 2>&1 &
    fi
    running=$!
  }
  # One timed run of each: when its transaction has an id (it has begun to write), when it ends.
  for kind in apply import; do
    reset_store "the timed $kind" || exit 1
    began=$(now_ms)
    pg_start "$kind" "$tag_base-timed-$kind"
    pgw writing "$tag_base-timed-$kind" "$running" 120000
    writing=$(($(now_ms) - began))
    [ "$reply" = writing ] || { echo "store-fault-test: the timed $kind was never seen writing under application_name $tag_base-timed-$kind ($reply): does the store URL set application_name?" >&2; exit 1; }
    wait "$running" || { echo "store-fault-test: the timed $kind failed" >&2; exit 1; }
    running=
    total=$(($(now_ms) - began))
    eval "${kind}_total=$total ${kind}_writing=$writing"
  done
  echo "store-fault-test: spaceplan from $source_bin, built $(date -r "$source_bin" '+%Y-%m-%d %H:%M'); $kills kills; PostGIS, schema $schema"
  echo "store-fault-test: an apply takes $apply_total ms (its transaction has an id after $apply_writing ms); an import --replace $import_total ms (after $import_writing ms)"

  # After a kill: its server processes gone within 2 s (else a problem, and they are ended so
  # that the next kill starts clean); the store opens; it holds the old state or the new one.
  gone_max=0
  check_gone() {  # check_gone TAG WHAT
    pgw gone "$1" 2000
    case $reply in
      gone\ *) local ms=${reply#gone }; ((ms > gone_max)) && gone_max=$ms; return 0 ;;
      present\ *) problem "$2: its server process is still there 2 s after the kill (${reply#present }): $(pgw terminate "$1"; echo "$reply")" ;;
      *) problem "$2: cannot look at pg_stat_activity: $reply" ;;
    esac
  }
  check_state() {  # check_state apply|import WHAT: sets state to old, new or mixed
    local kind=$1 what=$2 old new
    run_limited "$limit_apply" "$what: store log (the store must open)" "$bin" store log --store "$store" || true
    pgw digest "$kind"
    if [ "$kind" = apply ]; then old=$old_apply new=$new_apply; else old=$old_all new=$fresh_all; fi
    if [ "$reply" = "$old" ]; then state=old
    elif [ "$reply" = "$new" ]; then state=new
    else state=mixed; problem "$what: the store holds neither the old state nor the new one ($reply)"; fi
  }
  check_later() {  # check_later WHAT: a later apply must succeed, in time
    run_limited "$limit_apply" "$1: the later store apply" "${later_cmd[@]}" || true
  }

  declare -A tally=()
  from_start=0 while_writing=0 in_commit=0
  for ((k = 1; k <= kills; k++)); do
    if ((k % 2 == 1)); then kind=apply; else kind=import; fi
    total_var=${kind}_total writing_var=${kind}_writing
    total=${!total_var} writing=${!writing_var}
    tag=$tag_base-$k
    reset_store "before kill $k" || continue
    began=$(now_ms)
    pg_start "$kind" "$tag"
    if (((k - 1) / 2 % 2 == 0)); then
      delay=$((RANDOM % (max_delay + 1)))
      from_start=$((from_start + 1))
    else
      # While it writes: from the moment its transaction has an id, a random share of the rest.
      pgw writing "$tag" "$running" $((total * 3))
      delay=$((RANDOM % (total - writing + 1)))
      while_writing=$((while_writing + 1))
    fi
    sleep_ms "$delay"
    pgw snapshot "$tag"
    at_kill=$reply
    if kill -KILL "$running" 2>/dev/null; then finished=; else finished=yes; fi
    wait "$running" 2>/dev/null || true
    running=
    at=$(($(now_ms) - began))
    what="kill $k ($kind, after ${at} ms)"
    check_gone "$tag" "$what"
    check_state "$kind" "$what"
    case $at_kill in writing\ active\ COMMIT | writing\ active\ ANALYZE) committing=yes ;; *) committing= ;; esac
    if [ -n "$finished" ]; then
      outcome=finished
      [ "$state" != old ] || problem "kill $k ($kind): the run ended before the kill, but the store holds the old state"
    elif [ "$state" = new ]; then outcome=new
    elif [ "$state" = mixed ]; then outcome=mixed
    elif [[ "$at_kill" == writing* ]]; then outcome=mid-write
    else outcome=before; fi
    if [ -n "$committing" ] && [ -z "$finished" ]; then
      in_commit=$((in_commit + 1))
      tally[$kind-commit-$state]=$((${tally[$kind-commit-$state]:-0} + 1))
    fi
    tally[$kind-$outcome]=$((${tally[$kind-$outcome]:-0} + 1))
    check_later "$what, $outcome"
  done

  # Pinned kills: strace delivers SIGKILL at the COMMIT's send, or at the poll after it.
  pinned="not run (no strace)"
  if command -v strace >/dev/null; then
    pinned_problems=$problems pinned_notes=
    strace_run() {  # strace_run LOG TAG INJECT|- command…: traced (sendto, poll), buffers whole
      local log=$1 tag=$2 inject=$3
      shift 3
      local args=(-f -q -s 4096 -o "$log" -e trace=sendto,poll)
      [ "$inject" = - ] || args+=(-e "inject=$inject")
      # strace ends by the tracee's signal; the braces keep the shell's "Killed" notice out.
      { PGAPPNAME=$tag strace "${args[@]}" "$@" >/dev/null; } 2>/dev/null || true
    }
    pinned_kill() {  # pinned_kill apply|import send|reply WHAT EXPECTED: up to 8 tries
      local kind=$1 at=$2 what=$3 expected=$4 try send poll n where cmd
      if [ "$kind" = apply ]; then cmd=("${apply_cmd[@]}"); else cmd=("${import_cmd[@]}"); fi
      # A traced run without a kill: the places of COMMIT's sendto and of the poll after it.
      reset_store "$what (the traced run)" || return
      strace_run "$work/trace.log" "$tag_base-trace" - "${cmd[@]}"
      read -r send poll < <("$python" "$work/store.py" places "$work/trace.log"; echo)
      if [ "$send" = none ] || [ -z "$poll" ]; then problem "$what: the traced run sent no query ending in COMMIT (strace: $(tail -c 200 "$work/trace.log"))"; return; fi
      check_gone "$tag_base-trace" "$what (the traced run)"
      for ((try = 1; try <= 8; try++)); do
        if [ "$at" = send ]; then n=$send; else n=$poll; fi
        reset_store "$what, try $try" || return
        local tag=$tag_base-pinned-$kind-$at-$try
        if [ "$at" = send ]; then strace_run "$work/pinned.log" "$tag" "sendto:signal=KILL:when=$n" "${cmd[@]}"
        else strace_run "$work/pinned.log" "$tag" "poll:signal=KILL:when=$n" "${cmd[@]}"; fi
        where=$("$python" "$work/store.py" landed "$work/pinned.log" "$at")
        check_gone "$tag" "$what, try $try"
        check_state "$kind" "$what, try $try ($where)"
        check_later "$what, try $try ($where)"
        if [ "$where" = landed ]; then
          pinned_runs+=("$kind $at: $state, try $try")
          [ "$expected" = any ] || [ "$state" = "$expected" ] || problem "$what: the store holds the $state state, not the $expected one"
          return
        fi
        # It landed before (the COPY's count was higher this time: try again) or after the
        # COMMIT (this run's places are the ones to aim at).
        if [[ "$where" == late\ [0-9]* ]]; then read -r _ send poll <<<"$where"; fi
      done
      pinned_notes+=" $kind at the $at of COMMIT: not landed in 8 tries;"
    }
    pinned_runs=()
    pinned_kill apply send "apply killed as it sends COMMIT" old
    pinned_kill apply reply "apply killed as it waits for COMMIT's reply" any
    pinned_kill import send "import killed as it sends ANALYZE …; COMMIT" old
    pinned_kill import reply "import killed as it waits for the reply of ANALYZE …; COMMIT" any
    pinned="${#pinned_runs[@]} of 4 landed ($(printf '%s; ' "${pinned_runs[@]}" | sed 's/; $//')),$pinned_notes $((problems - pinned_problems)) problems"
  fi

  left=$(ls -A "$work/tmp")
  if [ -n "$left" ]; then problem "left in TMPDIR by the spaceplan runs: $left"; fi

  t() { echo "${tally[$1]:-0}"; }
  echo "store-fault-test: $kills kills on PostGIS ($from_start 0–$max_delay ms after the start, $while_writing while writing)"
  echo "  apply:  $(t apply-before) before writing, $(t apply-mid-write) mid-write with the state unchanged (rolled back), $(t apply-new) with the state changed (committed), $(t apply-finished) finished before the kill, $(t apply-mixed) mixed"
  echo "  import: $(t import-before) before writing, $(t import-mid-write) mid-write with the state unchanged (rolled back), $(t import-new) with the state changed (committed), $(t import-finished) finished before the kill, $(t import-mixed) mixed"
  echo "  killed while the server ran the COMMIT (apply) or ANALYZE …; COMMIT (import): $in_commit (apply: $(t apply-commit-new) new, $(t apply-commit-old) old; import: $(t import-commit-new) new, $(t import-commit-old) old)"
  echo "  server processes gone after a kill within $gone_max ms at most; pinned kills: $pinned; problems: $problems"
  if [ "$problems" -ne 0 ]; then exit 1; fi
  exit 0
fi

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
