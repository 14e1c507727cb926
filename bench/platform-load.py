#!/usr/bin/env python3
"""The platform under load: N clients for S seconds against one or more `spaceplan serve --store`
processes on one store, mixing what the page asks (map views, inspector clicks) with operators'
vacancy edits, then a check that no accepted edit was lost. Run by bench/platform-load.sh, which
makes the district, the store, the people and the servers.

    python3 bench/platform-load.py --url http://127.0.0.1:P1 [--url http://127.0.0.1:P2] \
        --store STORE --people people.json [--clients 50] [--seconds 60] [--seed 1]

people.json: {"password": "…", "bureau": "chief", "operators": {"ops1": ["C00001", …], …}}.

Each client is a closed loop without think time (each request follows the last one's answer),
on persistent loopback connections, one to each server; every request goes to a server picked at
random (the load spread over all). Four clients in five are operators (HTTP Basic as an operator,
clients shared round-robin among the operators), the fifth the bureau. Each round a client does
one of:
  - a map view (45 %): what the page asks when panned, GET /api/layers/{parcels,buildings,
    enterprises}?bbox=…&mpp=… (SpaceMapController, web/map.js loadDynamic); a view is the whole
    district (generalised, 1 in 4) or a street-level 1 km × 700 m window at a random place;
  - an inspector click (35 %): GET /api/buildings/{id} of a random building (web/inspector.js);
  - a vacancy edit (20 %, operators only; the bureau makes a view instead): GET /api/my/carriers
    (the operator page's read: the versions), then PATCH /api/carriers/{id} {"version", "set":
    {"vacant_m2": random within the floor area}, "reason"} on one of the operator's carriers;
    a 409 is a conflict (counted, not an error): the client reads the version again from
    GET /collections/carriers/items/{id} (its ETag, from the store) and retries, at most 20 times
    (not after the end: no request starts after S seconds, and the last ones end within the
    timeout, so the run is bounded by S + 300 s).

Before the load, each kind is timed alone, 3 times, on the idle server ("idle p50").

Reported per kind: count, p50 and p99 latency (ms, nearest rank), max, errors. An error is any
5xx answer, a connection error or a timeout (300 s); any other answer a kind does not expect
(e.g. a 422 or 403 to an edit) is "unexpected" and also fails the run. 409 to an edit is not an
error. At the end, for every carrier of the store: its version = 1 + the accepted edits (200)
made to it, the versions the accepted edits were answered with are 2…final once each, and
store_changes holds one carrier row per accepted edit; any difference is a lost (or invented)
update. Exit status 1 on any error, unexpected answer or lost update.
"""

import argparse
import base64
import http.client
import json
import math
import random
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict

TIMEOUT = 300.0
MAX_ATTEMPTS = 20
KINDS = ["map view, district", "map view, street", "inspector click", "my carriers", "carrier read", "carrier edit"]
WHAT = {
    "map view, district": "GET /api/layers/{parcels,buildings,enterprises}?bbox&mpp, the whole district (generalised)",
    "map view, street": "the same, 1 km × 700 m (every feature)",
    "inspector click": "GET /api/buildings/{id}",
    "my carriers": "GET /api/my/carriers (an operator's)",
    "carrier read": "GET /collections/carriers/items/{id} (after a 409)",
    "carrier edit": "PATCH /api/carriers/{id}",
}


# MARK: the store, read directly for the check

def open_store(store):
    if store.startswith(("postgresql://", "postgres://")):
        import psycopg
        parts = urllib.parse.urlsplit(store)
        query = urllib.parse.parse_qsl(parts.query)
        schema = dict(query)["schema"]
        base = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode([(k, v) for k, v in query if k != "schema"])))
        db = psycopg.connect(base, autocommit=True)
        db.execute(f'SET search_path = "{schema}", public')
        return lambda sql: db.execute(sql).fetchall()
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=60)
    return lambda sql: db.execute(sql).fetchall()


# MARK: HTTP

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.errors = Counter()
        self.unexpected = Counter()
        self.samples = []  # the first problems, whole
        self.accepted = defaultdict(list)  # carrier → versions the accepted edits were answered with
        self.conflicts = 0
        self.gave_up = 0
        self.left_at_end = 0  # edits refused (409) after the end, not tried again
        self.edit_cycles = 0
        self.unknown = Counter()  # carrier → edits whose answer never came (an error): outcome unknown

    def record(self, kind, ms, status, problem=None, unexpected=False):
        with self.lock:
            self.times[kind].append(ms)
            self.statuses[kind][status] += 1
            if problem:
                (self.unexpected if unexpected else self.errors)[kind] += 1
                if len(self.samples) < 12:
                    self.samples.append(f"{kind}: {problem}")


class Connection:
    """A persistent connection to one server, opened again after an error."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.conn = None

    def request(self, method, path, headers, body=None):
        data = None if body is None else json.dumps(body).encode()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, dict(response.getheaders()), payload
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                # A kept-alive connection the server closed meanwhile: once more on a new one.
                self.conn.close()
                self.conn = None
                if attempt == 2 or method not in ("GET", "HEAD"):
                    raise error
        raise AssertionError("unreachable")


class Client(threading.Thread):
    def __init__(self, k, args, urls, login, carriers, views, buildings, stats, deadline, rng_seed):
        super().__init__(name=f"client-{k}", daemon=True)
        self.k, self.args, self.login, self.carriers = k, args, login, carriers
        self.connections = [Connection(u) for u in urls]
        self.views, self.buildings, self.stats, self.deadline = views, buildings, stats, deadline
        self.rng = random.Random(rng_seed)
        token = base64.b64encode(f"{login[0]}:{login[1]}".encode()).decode()
        self.headers = {"Authorization": "Basic " + token, "Accept": "application/json"}

    def call(self, kind, method, path, body=None, expected=(200,)):
        """One timed request to a random server: (status, headers, body) or None on an error."""
        connection = self.rng.choice(self.connections)
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        try:
            status, answer_headers, payload = connection.request(method, path, headers, body)
        except Exception as error:  # connection refused, reset, timed out: an error
            ms = (time.perf_counter() - start) * 1000
            connection.conn = None
            self.stats.record(kind, ms, "connection error", f"{method} {path} on {connection.host}:{connection.port}: {type(error).__name__}: {error}")
            return None
        ms = (time.perf_counter() - start) * 1000
        if status >= 500:
            self.stats.record(kind, ms, status, f"{method} {path} on :{connection.port} → {status}: {payload[:300].decode('utf-8', 'replace')}")
            return None
        if status not in expected:
            self.stats.record(kind, ms, status, f"{method} {path} on :{connection.port} → {status}: {payload[:300].decode('utf-8', 'replace')}",
                              unexpected=True)
            return None
        self.stats.record(kind, ms, status)
        return status, answer_headers, payload

    def map_view(self, which=None):
        kind, view = which or self.rng.choice(self.views)
        query = view()
        for layer in ("parcels", "buildings", "enterprises"):
            if time.monotonic() > self.deadline or self.call(kind, "GET", f"/api/layers/{layer}?{query}") is None:
                return

    def inspect(self):
        self.call("inspector click", "GET", f"/api/buildings/{urllib.parse.quote(self.rng.choice(self.buildings))}")

    def edit(self):
        answer = self.call("my carriers", "GET", "/api/my/carriers")
        if answer is None:
            return
        mine = json.loads(answer[2])["carriers"]
        if not mine:
            self.stats.record("my carriers", 0, "empty", f"{self.login[0]} has no carriers in /api/my/carriers", unexpected=True)
            return
        carrier = self.rng.choice(mine)
        cid, version, area, vacant = carrier["id"], carrier["version"], carrier["floor_area_m2"], carrier["vacant_m2"]
        with self.stats.lock:
            self.stats.edit_cycles += 1
        for attempt in range(MAX_ATTEMPTS):
            value = self.rng.randint(0, int(area))
            if value == vacant:  # an edit that changes nothing makes no version (docs/store.md)
                value = (value + 1) % (int(area) + 1)
            body = {"version": version, "set": {"vacant_m2": value}, "reason": f"load test, client {self.k}"}
            answer = self.call("carrier edit", "PATCH", f"/api/carriers/{urllib.parse.quote(cid)}", body, expected=(200, 409))
            if answer is None:
                with self.stats.lock:
                    self.stats.unknown[cid] += 1
                return
            status, _, payload = answer
            if status == 200:
                changes = [c for c in json.loads(payload)["changes"] if c["layer"] == "carriers" and c["id"] == cid]
                with self.stats.lock:
                    self.stats.accepted[cid].append(changes[-1]["version"] if changes else None)
                return
            with self.stats.lock:
                self.stats.conflicts += 1
            if time.monotonic() > self.deadline:
                with self.stats.lock:
                    self.stats.left_at_end += 1
                return
            # Read the version again, from the store (the feature's ETag), and redo the edit on it.
            answer = self.call("carrier read", "GET", f"/collections/carriers/items/{urllib.parse.quote(cid)}")
            if answer is None:
                return
            tag = answer[1].get("ETag") or answer[1].get("etag") or ""
            version = int(tag.strip('"'))
            properties = json.loads(answer[2])["properties"]
            area, vacant = properties["floor_area_m2"], properties["vacant_m2"]
        with self.stats.lock:
            self.stats.gave_up += 1

    def run(self):
        operator = bool(self.carriers)
        while time.monotonic() < self.deadline:
            r = self.rng.random()
            if r < 0.45 or (r >= 0.80 and not operator):
                self.map_view()
            elif r < 0.80:
                self.inspect()
            else:
                self.edit()


# MARK: the run

def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def views_of(config):
    x0, y0, x1, y1 = config["district_bbox"]
    metres_per_degree = 111_320 * math.cos(math.radians((y0 + y1) / 2))
    district = f"bbox={x0:.6f},{y0:.6f},{x1:.6f},{y1:.6f}&mpp={(x1 - x0) * metres_per_degree / 684:.3f}"
    hx, hy = 500 / metres_per_degree, 350 / 110_574

    def street(rng=random.Random(7), lock=threading.Lock()):
        with lock:
            cx, cy = rng.uniform(x0 + hx, x1 - hx), rng.uniform(y0 + hy, y1 - hy)
        return f"bbox={cx - hx:.6f},{cy - hy:.6f},{cx + hx:.6f},{cy + hy:.6f}&mpp=1.5"

    # One view in four is the whole district.
    return [("map view, district", lambda: district)] + [("map view, street", street)] * 3


def publishing(args, query, people):
    """Where a PATCH's time goes, measured after the load on the idle servers: one vacancy edit
    applied by `spaceplan store apply` (the store's part: checked and written, process start
    included), then how long until each server publishes it (GET /api/changes: "published"); a
    server looks for edits every second and then rebuilds its published district."""
    rows = query("SELECT id, version, floor_area_m2, vacant_m2 FROM carriers WHERE version = 1 ORDER BY id DESC")
    if not rows:
        return []
    cid, version, area, vacant = rows[0]
    value = vacant + 1 if vacant + 1 <= area else vacant - 1
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"edits": [{"edit": "carrier", "id": cid, "version": version, "set": {"vacant_m2": value}}]}, f)
    try:
        start = time.perf_counter()
        run = subprocess.run([args.spaceplan, "store", "apply", "--store", args.store, "--edits", f.name, "--author", "platform-load",
                              "--reason", "platform-load: the time to publish an edit"], capture_output=True, text=True)
        applied = time.perf_counter()
    finally:
        os.unlink(f.name)
    if run.returncode != 0:
        return [f"store apply of the publishing probe failed ({run.returncode}): {run.stderr.strip()[:300]}"]
    seq = query("SELECT max(seq) FROM store_changes")[0][0]
    auth = {"Authorization": "Basic " + base64.b64encode(f"{people['bureau']}:{people['password']}".encode()).decode()}
    lags = []
    for url in args.url:
        connection = Connection(url)
        while True:
            status, _, body = connection.request("GET", f"/api/changes?after={seq}", auth)
            if status == 200 and json.loads(body)["published"] >= seq:
                lags.append(time.perf_counter() - applied)
                break
            if time.perf_counter() - applied > 600:
                return [f"{url} had not published change {seq} 600 s after it was applied"]
            time.sleep(0.05)
    print(f"after the load, idle: one vacancy edit by `spaceplan store apply` took {applied - start:.2f} s (process start included); "
          + ", ".join(f"server {i + 1} published it {lag:.1f} s later" for i, lag in enumerate(lags))
          + " (each looks for edits every second, then rebuilds its published district)")
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", action="append", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--people", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spaceplan", help="the binary: after the check, time one edit by `store apply` and until each server publishes it")
    args = parser.parse_args()
    people = json.load(open(args.people, encoding="utf-8"))
    password, operators = people["password"], people["operators"]
    query = open_store(args.store)

    versions = dict(query("SELECT id, version FROM carriers"))
    if any(v != 1 for v in versions.values()):
        sys.exit(f"platform-load: the store's carriers must start at version 1; {sum(v != 1 for v in versions.values())} do not")
    buildings = [r[0] for r in query("SELECT id FROM buildings ORDER BY id")]
    base_changes = query("SELECT count(*) FROM store_changes")[0][0]

    stats = Stats()
    first = Connection(args.url[0])
    status, _, body = first.request("GET", "/api/config", {"Authorization": "Basic " + base64.b64encode(f"{people['bureau']}:{password}".encode()).decode()})
    if status != 200:
        sys.exit(f"platform-load: GET /api/config → {status}: {body[:300]!r}")
    views = views_of(json.loads(body))

    # Each kind alone on the idle server(s), three times (the logins' bcrypt is paid here, not in the load).
    names = sorted(operators)
    idle = Stats()
    probe = Client(0, args, args.url, (names[0], password), operators[names[0]], views, buildings, idle, time.monotonic() + 3600, args.seed)
    for name in names + [people["bureau"]]:
        for url in args.url:
            Connection(url).request("GET", "/api/session", {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()})
    for _ in range(3):
        probe.map_view(views[0])
        probe.map_view(views[1])
        probe.inspect()
        probe.edit()
    if idle.errors or idle.unexpected:
        print("platform-load: the idle probe failed:\n  " + "\n  ".join(idle.samples))
        sys.exit(1)
    # The probe's edits count in the final check like any other.
    for cid, made in idle.accepted.items():
        stats.accepted[cid].extend(made)

    clients = []
    deadline = time.monotonic() + args.seconds
    for k in range(args.clients):
        if k % 5 == 4 or not names:
            login, carriers = (people["bureau"], password), []
        else:
            name = names[(k - k // 5) % len(names)]
            login, carriers = (name, password), operators[name]
        clients.append(Client(k + 1, args, args.url, login, carriers, views, buildings, stats, deadline, args.seed * 1000 + k))
    started = time.monotonic()
    for c in clients:
        c.start()
    # No request starts after the deadline; the last ones end within the timeout.
    hard_stop = deadline + 2 * TIMEOUT + 10
    for c in clients:
        c.join(max(0.0, hard_stop - time.monotonic()))
    elapsed = time.monotonic() - started
    stuck = [c.name for c in clients if c.is_alive()]

    # The report.
    total = sum(len(v) for v in stats.times.values())
    print(f"platform-load: {args.clients} clients × {args.seconds:g} s on {len(args.url)} server(s) "
          f"({', '.join(args.url)}); all done after {elapsed:.1f} s; {total:,} requests, {total / elapsed:,.1f} per second")
    print()
    print("| request | what | count | p50 ms | p99 ms | max ms | idle p50 ms | errors | other answers |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for kind in KINDS:
        t = stats.times.get(kind, [])
        others = ", ".join(f"{n} × {s}" for s, n in sorted(stats.statuses[kind].items(), key=str) if s != 200)
        idle_times = idle.times.get(kind, [])
        ms = lambda values, p: f"{percentile(values, p):,.0f}" if values else "-"
        print(f"| {kind} | {WHAT[kind]} | {len(t):,} | {ms(t, 50)} | {ms(t, 99)} | {ms(t, 100)} | {ms(idle_times, 50)} | "
              f"{stats.errors[kind] + stats.unexpected[kind]} | {others or '-'} |")
    accepted = sum(len(v) for v in stats.accepted.values())
    print()
    print(f"edits: {stats.edit_cycles} edit rounds (+{idle.edit_cycles} idle), {accepted} accepted, {stats.conflicts + idle.conflicts} conflicts (409, each "
          f"read again and retried), {stats.gave_up} given up after {MAX_ATTEMPTS} attempts, {stats.left_at_end} refused after the end and not retried")

    problems = []
    if stuck:
        problems.append(f"{len(stuck)} clients still waiting for an answer {hard_stop - deadline:.0f} s after the end: {', '.join(stuck[:5])}")
    errors = sum(stats.errors.values())
    unexpected = sum(stats.unexpected.values())
    if errors:
        problems.append(f"{errors} server errors (5xx, connection errors, timeouts)")
    if unexpected:
        problems.append(f"{unexpected} unexpected answers")

    # No lost update: each carrier's version is 1 + the edits accepted on it, and each accepted
    # edit's answer names a version of its own.
    final = dict(query("SELECT id, version FROM carriers"))
    logged = dict(query("SELECT record_id, count(*) FROM store_changes WHERE layer = 'carriers' GROUP BY record_id"))
    lost = []
    for cid in sorted(final):
        made = stats.accepted.get(cid, [])
        if 0 < final[cid] - 1 - len(made) <= stats.unknown[cid]:
            lost.append(f"{cid}: version {final[cid]}, {len(made)} edits accepted and {stats.unknown[cid]} without an answer (an error above): "
                        "not a lost update, but the check cannot tell")
        elif final[cid] != 1 + len(made):
            lost.append(f"{cid}: version {final[cid]} in the store, but {len(made)} edits were accepted (expected version {1 + len(made)})")
        elif sorted(made) != list(range(2, final[cid] + 1)):
            lost.append(f"{cid}: the accepted edits were answered with versions {sorted(made)[:10]}, expected 2…{final[cid]} once each")
        if logged.get(cid, 0) != len(made):
            lost.append(f"{cid}: {logged.get(cid, 0)} store_changes rows, {len(made)} accepted edits")
    other_changes = query("SELECT count(*) FROM store_changes WHERE layer <> 'carriers'")[0][0]
    if other_changes:
        lost.append(f"{other_changes} store_changes rows of other layers, though only carriers were edited")
    touched = sum(1 for cid in final if final[cid] > 1)
    print(f"lost updates: {len(lost)} (checked {len(final):,} carriers, {touched} edited; store_changes {base_changes} → "
          f"{query('SELECT count(*) FROM store_changes')[0][0]} rows)")
    problems += lost[:20]
    if stats.samples:
        print("first problems:")
        for s in stats.samples:
            print("  " + s)
    if args.spaceplan and not stuck:
        problems += publishing(args, query, people)
    for p in problems:
        print("PROBLEM: " + p)
    print("platform-load: " + ("PASS" if not problems else "FAIL"))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
