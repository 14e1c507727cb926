#!/usr/bin/env bash
# The platform served by two `spaceplan serve` processes on one PostGIS database, behind one
# loopback port (nginx from Debian), with a streaming read replica (pg_basebackup) answering the
# map's reads and the primary taking the edits. Everything is made in a temporary folder and
# removed at the end: a throwaway primary cluster, its replica, the servers and nginx.
#
# It shows, and fails unless: a session opened through the proxy is known to both processes (the
# sessions are in the store); an edit made through one process is on the map of the other within
# 2 s (LISTEN/NOTIFY, then the replica read); a stale edit sent to the other process is refused
# with the current values; the replica answered the map's reads.
#   scripts/platform-cluster.sh            (SPACEPLAN names the binary; default .build/debug/spaceplan)
set -euo pipefail
cd "$(dirname "$0")/.."
SPACEPLAN=${SPACEPLAN:-.build/debug/spaceplan}
[ -x "$SPACEPLAN" ] || swift build --product spaceplan
SPACEPLAN=$(realpath "$SPACEPLAN")
bin=/usr/lib/postgresql/15/bin
for tool in "$bin/initdb" "$bin/pg_ctl" "$bin/pg_basebackup" /usr/sbin/nginx psql; do
  command -v "$tool" >/dev/null || { echo "platform-cluster: $tool is missing (apt-get install postgresql-15-postgis-3 nginx)"; exit 1; }
done

tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=()
# As root the clusters run as the postgres user (initdb refuses root); otherwise as this user.
as_db() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
  for cluster in replica primary; do
    [ -d "$tmp/$cluster" ] && as_db "$bin/pg_ctl -D $tmp/$cluster -m immediate stop" >/dev/null 2>&1 || true
  done
  rm -rf "$tmp"
}
trap stop EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
[ "$(id -u)" = 0 ] && chown postgres "$tmp"

primary_port=$(free_port); replica_port=$(free_port)
echo "platform-cluster: a primary on 127.0.0.1:$primary_port and its streaming replica on :$replica_port"
as_db "$bin/initdb -D $tmp/primary --auth=trust -U postgres --no-sync" >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log"; exit 1; }
settings="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$tmp -c wal_level=replica -c max_wal_senders=4 -c fsync=off"
as_db "$bin/pg_ctl -D $tmp/primary -o '-p $primary_port $settings' -l $tmp/primary.log -w start" >/dev/null
as_db "psql -qX -h 127.0.0.1 -p $primary_port -U postgres -c 'CREATE DATABASE platform'" >/dev/null
as_db "psql -qX -h 127.0.0.1 -p $primary_port -U postgres -d platform -c 'CREATE EXTENSION postgis'" >/dev/null
as_db "$bin/pg_basebackup -h 127.0.0.1 -p $primary_port -U postgres -D $tmp/replica -R -X stream -c fast" >/dev/null
as_db "$bin/pg_ctl -D $tmp/replica -o '-p $replica_port $settings -c hot_standby=on' -l $tmp/replica.log -w start" >/dev/null

store="postgresql://postgres@127.0.0.1:$primary_port/platform?schema=district"
replica="postgresql://postgres@127.0.0.1:$replica_port/platform?schema=district"
"$SPACEPLAN" store import --data GIS/sample --store "$store" | tail -n 1
password="correct horse battery"
printf '%s\n' "$password" | "$SPACEPLAN" users add --store "$store" --name chief --role bureau >/dev/null
printf '%s\n' "$password" | "$SPACEPLAN" users add --store "$store" --name ops --role operator --carriers C00001 >/dev/null
# The replica holds the import before the servers read it.
for _ in $(seq 1 100); do
  as_db "psql -qXAt -h 127.0.0.1 -p $replica_port -U postgres -d platform -c 'SELECT count(*) FROM district.platform_users'" 2>/dev/null | grep -q 2 && break
  sleep 0.1
done

serve() {
  local port=$1 log=$tmp/serve-$1.log
  "$SPACEPLAN" serve --store "$store" --read-replica "$replica" --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do
    grep -q "spaceplan workbench: open" "$log" && return
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$log"; echo "platform-cluster: serve on $port stopped"; exit 1; }
    sleep 0.5
  done
  cat "$log"; echo "platform-cluster: serve on $port did not start"; exit 1
}
port_a=$(free_port); port_b=$(free_port); proxy_port=$(free_port)
serve "$port_a"
serve "$port_b"
cat >"$tmp/nginx.conf" <<EOF
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx-body;
  proxy_temp_path $tmp/nginx-proxy;
  upstream spaceplan { server 127.0.0.1:$port_a; server 127.0.0.1:$port_b; }
  server {
    listen 127.0.0.1:$proxy_port;
    location / { proxy_pass http://spaceplan; proxy_set_header Host \$host:\$server_port; proxy_buffering off; }
  }
}
EOF
/usr/sbin/nginx -p "$tmp" -c "$tmp/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$proxy_port/main.js" && break; sleep 0.1; done
echo "platform-cluster: serve on :$port_a and :$port_b behind nginx on :$proxy_port"

replica_reads() {
  as_db "psql -qXAt -h 127.0.0.1 -p $replica_port -U postgres -d platform -c \"SELECT tup_returned FROM pg_stat_database WHERE datname = 'platform'\""
}
before=$(replica_reads)
python3 - "$proxy_port" "$port_a" "$port_b" "$password" <<'EOF'
import base64, http.cookiejar, json, sys, time, urllib.error, urllib.request

proxy, a, b, password = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
def url(port, path): return f"http://127.0.0.1:{port}{path}"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
def call(port, path, method="GET", body=None, headers=None, use=opener):
    request = urllib.request.Request(url(port, path), method=method, data=None if body is None else json.dumps(body).encode(), headers=headers or {})
    try:
        with use.open(request) as r: return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e: return e.code, json.loads(e.read() or b"null")
def check(ok, what):
    if not ok: sys.exit(f"platform-cluster: FAILED: {what}")
    print(f"  ok: {what}")

status, login = call(proxy, "/api/session", "POST", {"name": "ops", "password": password})
check(status == 200, "ops logs in through the proxy")
csrf = login["csrf_token"]
statuses = [call(proxy, "/api/session")[0] for _ in range(6)]
check(statuses == [200] * 6, "the session is known to both processes (6 requests through the round-robin proxy)")
basic = {"Authorization": "Basic " + base64.b64encode(f"chief:{password}".encode()).decode()}
plain = urllib.request.build_opener()
def vacant(port):
    return call(port, "/collections/carriers/items/C00001", headers=basic, use=plain)[1]["properties"]["vacant_m2"]
status, mine = call(proxy, "/api/my/carriers")
carrier = mine["carriers"][0]
new = carrier["vacant_m2"] - 35
status, answer = call(proxy, "/api/carriers/C00001", "PATCH", {"version": carrier["version"], "set": {"vacant_m2": new}, "reason": "cluster check"},
                      {"X-CSRF-Token": csrf})
check(status == 200, f"an edit through the proxy is written (vacancy {carrier['vacant_m2']} → {new}) {status} {answer}")
start = time.time()
seen = {}
while time.time() - start < 2.0 and len(seen) < 2:
    for port in (a, b):
        if port not in seen and vacant(port) == new: seen[port] = time.time() - start
    time.sleep(0.05)
check(len(seen) == 2, "both processes show the edit within 2 s: " + ", ".join(f":{p} after {t:.2f} s" for p, t in sorted(seen.items())))
status, stale = call(b, "/api/carriers/C00001", "PATCH", {"version": carrier["version"], "set": {"vacant_m2": new - 1}, "reason": "stale"},
                     dict(basic))
check(status == 409 and stale["current"][0]["current"]["vacant_m2"] == new, "a stale edit sent to the other process is refused with the current values")
EOF
after=$(replica_reads)
[ "$after" -gt "$before" ] || { echo "platform-cluster: FAILED: the replica answered no reads"; exit 1; }
echo "  ok: the replica answered the map's reads ($((after - before)) rows returned there during the check)"
echo "platform-cluster: passed"
