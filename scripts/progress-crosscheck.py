#!/usr/bin/env python3
"""Independent check of `spaceplan progress` against the history of the store it read.

    python3 scripts/progress-crosscheck.py STORE.gpkg OUT_DIR

Reads OUT_DIR/progress.csv, zones.csv and changes.csv (as `spaceplan progress --store STORE.gpkg
--out OUT_DIR` wrote them), takes the periods from progress.csv (`period`, `last_day`), and
recomputes every figure from the store alone: the tables with Python's sqlite3, the zones and
buildings with GeoPandas (pyogrio) and shapely, the days with zoneinfo. No spaceplan code is used.

The state at the end of a period: its cutoff is the first instant of the day after its last day
in the district's time zone (store_meta.time_zone), and every store_changes row with at < cutoff
is applied, none after. It is rebuilt by rewinding: start from the current carriers and
enterprises and undo, newest first, every change with at >= cutoff, with the images of
carriers_history / enterprises_history (an update to version v restores version v-1, a delete of
version v restores version v, an insert removes the record). Tech-cultivation carriers are those
whose type is in policy.json's tech_cultivation_carrier_types.

  periods     each label (YYYY-Qn, YYYY-MM or YYYY) ends on its last_day; the periods follow
              one another without gap; the first starts on its label's first day
  stock       tech_space_m2 = sum of floor_area_m2 of tech carriers; carriers = their count;
              tech_<type>_m2 per policy type (the columns are exactly the policy's types)
  occupancy   occupied_m2 = sum of their occupied_m2; vacant_m2 = stock - occupied;
              occupancy = occupied / stock (to 4 decimals)
  plan        plan_m2 on the straight lines through (baseline year + 1, m2) and (milestone
              year + 1, m2), a day D of year Y at Y + day-of-year(D) / days-in-Y; empty outside
              the first and last point; gap_m2 = plan - stock (empty with the plan)
  changes     changes.csv has one row per carrier change (insert/update/delete within the
              periods) that moves the tech stock, keyed by `change` (store_changes.seq), with the
              same period, day (local), edit_set, author, reason, carrier_id, carrier_type, mode
              (the add_carrier edit's "mode" in store_edit_sets; compared for added carriers only,
              the output labels other rows in its own words), kind ("added" exactly when the
              carrier enters the tech stock) and delta_m2
  additions   per period: added_<mode>_m2 = the positive deltas of that supply mode (a column may
              be absent when 0); the added_* columns named after no supply mode together = the
              positive deltas without one (capacity increases); sum of added_* = sum of positive
              delta_m2 in changes.csv; lost_m2 = -sum of negative delta_m2 in changes.csv;
              stock(k) - stock(k-1) = sum of delta_m2 of
              period k in changes.csv (for the first period, against the recomputed stock at its
              start; progress.json's opening_m2 too when the file is there)
  firms       firms_moved_in: enterprise versions made within the period that put a firm into a
              carrier it was not in (an insert with carrier_id, or carrier_id changed to another
              non-empty one); firms_moved_out: a version with carrier_id whose next version has
              none or another carrier, or which is deleted, within the period (a move between
              carriers counts once each way)
  tenants     tenants_<stage>: firms whose version at the cutoff names a tech carrier existing at
              the cutoff, by simulation.json's stage_of_carrier_type of that carrier's type (the
              columns are exactly the stages of the policy's types)
  zones       zones.csv has one row per period and zone (every zone of the store, all kinds), with
              the store's zone_name and kind; a carrier counts in every zone whose polygon contains
              the shapely representative_point() of the first of its building_ids that exists in
              the buildings layer; tech_space_m2, occupied_m2 and vacant_m2 = tech - occupied

Tolerances: m2 figures are printed rounded to whole m2, so |csv - recomputed| <= 0.5 (+1e-6);
occupancy to 4 decimals, so <= 5e-5 (+1e-9); counts, ids and texts exactly. A sum of n rounded
columns gets n x 0.5, a difference of two rounded stocks 2 x 0.5 (the changes group still catches
a 1 m2 error in one delta_m2 exactly).

Limits: policy.json and simulation.json (tech types, targets, stages) are read as they are now,
not as of each cutoff; the buildings and zones layers are taken as they are now (a note is printed when their
_history tables are not empty, since this check does not rewind geometry); a carrier whose type
changes between two tech types with the same floor area moves no stock and needs no changes.csv
row; kinds other than "added" (a retirement, a change of floor area) are compared only in that
they are not "added".

Prints one line per check group and each mismatch (up to 20 per group); exits 1 on any
mismatch, 2 on a usage error or an inconsistent history.
"""

import csv
import json
import sqlite3
import sys
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import geopandas as gpd
import shapely

M2_TOL = 0.5 + 1e-6
RATIO_TOL = 0.5e-4 + 1e-9
MAX_SHOWN = 20

failures = []


def usage_error(text):
    print(f"progress-crosscheck: {text}", file=sys.stderr)
    sys.exit(2)


def report(group, what, n, problems):
    """One summary line for a group, then its mismatches (up to MAX_SHOWN)."""
    if problems:
        failures.append(group)
        print(f"FAIL {group}: {len(problems)} mismatch(es) in {n} {what}")
        for p in problems[:MAX_SHOWN]:
            print(f"       {p}")
        if len(problems) > MAX_SHOWN:
            print(f"       … and {len(problems) - MAX_SHOWN} more")
    else:
        print(f"ok   {group}: {n} {what} equal")


def note(text):
    print(f"note {text}")


# MARK: - Reading

def parse_at(text):
    """store_changes.at / superseded_at: UTC ISO 8601 (YYYY-MM-DDTHH:MM:SS.sssZ)."""
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.astimezone(timezone.utc)


def num(text):
    """A CSV number, None when empty."""
    text = (text or "").strip()
    return None if text == "" else float(text)


def empty(v):
    return v is None or (isinstance(v, str) and v.strip() == "")


def read_csv(path):
    if not path.exists():
        usage_error(f"{path} not found")
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames or [], list(reader)


def period_bounds(label, last_day):
    """(first day, last day) of a period label: YYYY-Qn, YYYY-MM or YYYY."""
    parts = label.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            first, last = date(year, 1, 1), date(year, 12, 31)
        elif parts[1].upper().startswith("Q"):
            q = int(parts[1][1:])
            first = date(year, 3 * q - 2, 1)
            last = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
        else:
            m = int(parts[1])
            first = date(year, m, 1)
            last = (date(year + 1, 1, 1) if m == 12 else date(year, m + 1, 1)) - timedelta(days=1)
    except (ValueError, IndexError):
        return None, None
    return first, last


class Store:
    def __init__(self, path):
        self.path = path
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db.row_factory = sqlite3.Row
        self.db = db
        meta = {r["key"]: r["value"] for r in db.execute("SELECT key, value FROM store_meta")}
        self.tz = ZoneInfo(meta.get("time_zone") or "UTC")
        docs = {r["id"]: r["body"] for r in db.execute("SELECT id, body FROM store_documents")}
        policy = json.loads(docs["config/policy.json"])
        simulation = json.loads(docs["config/simulation.json"])
        self.tech_types = list(policy["tech_cultivation_carrier_types"]["value"])
        self.targets = policy["tech_cultivation_targets"]
        self.stage_of = dict(simulation["stage_of_carrier_type"]["value"])

        self.current = {}   # layer -> {id: row}
        self.images = {}    # layer -> {(id, version): row}
        for layer, cols in (("carriers", "id, type, floor_area_m2, occupied_m2, vacant_m2, building_ids, version"),
                            ("enterprises", "id, carrier_id, version")):
            cur = {}
            images = {}
            for r in db.execute(f'SELECT {cols} FROM "{layer}"'):
                row = dict(r)
                if row["id"] in cur:
                    usage_error(f"{layer}: id {row['id']} twice in the current layer")
                cur[row["id"]] = row
                images[(row["id"], row["version"])] = row
            for r in db.execute(f'SELECT {cols}, superseded_at FROM "{layer}_history"'):
                row = dict(r)
                key = (row["id"], row["version"])
                if key in images:
                    usage_error(f"{layer}: version {key[1]} of {key[0]} stored twice (a re-used id?); "
                                "this check needs (id, version) to name one image")
                images[key] = row
            self.current[layer] = cur
            self.images[layer] = images

        self.changes = {"carriers": [], "enterprises": []}
        for r in db.execute("SELECT seq, layer, record_id, version, change, at, author, reason, edit_set "
                            "FROM store_changes ORDER BY seq"):
            if r["layer"] in self.changes:
                c = dict(r)
                c["t"] = parse_at(c["at"])
                self.changes[r["layer"]].append(c)
        # Supply mode of each add_carrier edit, by (edit set, carrier id) and by carrier id.
        self.mode_by_set = {}
        self.mode_by_id = {}
        for r in db.execute("SELECT id, edits FROM store_edit_sets"):
            try:
                edits = json.loads(r["edits"]).get("edits", [])
            except (ValueError, AttributeError):
                continue
            for e in edits:
                if isinstance(e, dict) and e.get("edit") == "add_carrier":
                    cid = (e.get("record") or {}).get("id") or e.get("id")
                    if cid is not None and e.get("mode"):
                        self.mode_by_set[(r["id"], cid)] = e["mode"]
                        self.mode_by_id.setdefault(cid, e["mode"])
        for layer in ("buildings", "zones"):
            n = db.execute(f'SELECT count(*) FROM "{layer}_history"').fetchone()[0]
            if n:
                note(f"{layer}_history holds {n} rows: this check uses the {layer} layer as it is now")
        self.check_history()

        buildings = gpd.read_file(path, layer="buildings", columns=["id"], engine="pyogrio")
        self.building_point = dict(zip(buildings["id"], shapely.point_on_surface(buildings.geometry.values)))
        zones = gpd.read_file(path, layer="zones", columns=["id", "name", "kind"], engine="pyogrio")
        self.zones = [(str(z.id), z.name, z.kind, z.geometry) for z in zones.itertuples()]
        for _, _, _, g in self.zones:
            shapely.prepare(g)
        self._zones_of_building = {}

    def check_history(self):
        """The change log and the images agree: each change names an image that exists, and each
        record's changes are in time order (the rewind relies on both)."""
        problems = []
        for layer, changes in self.changes.items():
            images = self.images[layer]
            # (record, version, at) of every image a change replaced: an update's previous version,
            # a delete's deleted version.
            replaced = {(c["record_id"], c["version"] - (c["change"] == "update"), c["t"]) for c in changes
                        if c["change"] in ("update", "delete")}
            last = {}
            for c in changes:
                rid, v = c["record_id"], c["version"]
                if c["change"] in ("insert", "update") and (rid, v) not in images:
                    problems.append(f"{layer} change {c['seq']}: no image of {rid} version {v}")
                if c["change"] == "update" and (rid, v - 1) not in images:
                    problems.append(f"{layer} change {c['seq']}: no image of {rid} version {v - 1}")
                if c["change"] == "delete" and (rid, v) not in images:
                    problems.append(f"{layer} change {c['seq']}: no image of deleted {rid} version {v}")
                if rid in last and c["t"] < last[rid]:
                    problems.append(f"{layer} change {c['seq']}: at {c['at']} before the record's previous change")
                last[rid] = c["t"]
            for (rid, v), row in images.items():
                if row.get("superseded_at"):
                    t = parse_at(row["superseded_at"])
                    if (rid, v, t) not in replaced:
                        problems.append(f"{layer} {rid} version {v}: superseded_at {row['superseded_at']} "
                                        "matches no change")
        if problems:
            print("history inconsistent:")
            for p in problems[:MAX_SHOWN]:
                print(f"       {p}")
            sys.exit(2)

    def cutoff(self, day):
        """The first instant (UTC) of `day` in the district's time zone."""
        return datetime.combine(day, time(0), tzinfo=self.tz).astimezone(timezone.utc)

    def local_day(self, t):
        return t.astimezone(self.tz).date()

    def zones_of(self, building_ids):
        """Ids of the zones containing the representative point of the first existing building."""
        for b in (building_ids or "").split(";"):
            b = b.strip()
            if b and b in self.building_point:
                if b not in self._zones_of_building:
                    p = self.building_point[b]
                    self._zones_of_building[b] = [zid for zid, _, _, g in self.zones if g.contains(p)]
                return self._zones_of_building[b]
        return []

    def states(self, cutoffs):
        """{cutoff: (carriers, enterprises)} as they stood at each cutoff (rewinding from now)."""
        state = {layer: dict(rows) for layer, rows in self.current.items()}
        # Newest first by time (then seq): each step undoes the changes with cut <= at < the previous
        # cut; since a record's changes are in time order (check_history), each record is rewound
        # newest version first even where the log's seq order and its times disagree across records.
        undo = sorted(self.changes["carriers"] + self.changes["enterprises"], key=lambda c: (c["t"], c["seq"]),
                      reverse=True)
        layer_of = {id(c): layer for layer, cs in self.changes.items() for c in cs}
        out = {}
        i = 0
        for cut in sorted(set(cutoffs), reverse=True):
            while i < len(undo) and undo[i]["t"] >= cut:
                c = undo[i]
                layer = layer_of[id(c)]
                rows, images = state[layer], self.images[layer]
                rid, v = c["record_id"], c["version"]
                if c["change"] == "insert":
                    rows.pop(rid, None)
                elif c["change"] == "update":
                    rows[rid] = images[(rid, v - 1)]
                elif c["change"] == "delete":
                    rows[rid] = images[(rid, v)]
                i += 1
            out[cut] = (dict(state["carriers"]), state["enterprises"].copy())
        return out


# MARK: - Recomputing

def plan_value(store, day):
    """The plan's path on day `day`, None outside its points."""
    t = store.targets
    pts = [(float(t["baseline"]["year"]) + 1.0, float(t["baseline"]["floor_area_m2"]))]
    pts += [(float(m["year"]) + 1.0, float(m["floor_area_m2"])) for m in t.get("milestones", [])]
    pts.sort()
    days_in_year = (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days
    x = day.year + day.timetuple().tm_yday / days_in_year
    if x < pts[0][0] - 1e-12 or x > pts[-1][0] + 1e-12:
        return None
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x0 - 1e-12 <= x <= x1 + 1e-12:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return pts[0][1]


def tech_part(store, row):
    return float(row["floor_area_m2"] or 0) if row is not None and row["type"] in store.tech_types else 0.0


def snapshot(store, carriers, enterprises):
    tech = {cid: r for cid, r in carriers.items() if r["type"] in store.tech_types}
    s = {
        "stock": sum(float(r["floor_area_m2"] or 0) for r in tech.values()),
        "occupied": sum(float(r["occupied_m2"] or 0) for r in tech.values()),
        "vacant_column": sum(float(r["vacant_m2"] or 0) for r in tech.values()),
        "carriers": len(tech),
        "by_type": {t: 0.0 for t in store.tech_types},
        "zones": defaultdict(lambda: [0.0, 0.0]),
        "tenants": defaultdict(int),
    }
    for r in tech.values():
        s["by_type"][r["type"]] += float(r["floor_area_m2"] or 0)
        for zid in store.zones_of(r["building_ids"]):
            s["zones"][zid][0] += float(r["floor_area_m2"] or 0)
            s["zones"][zid][1] += float(r["occupied_m2"] or 0)
    for e in enterprises.values():
        cid = e["carrier_id"]
        if not empty(cid) and cid in tech:
            s["tenants"][store.stage_of.get(tech[cid]["type"], "?")] += 1
    return s


def stock_changes(store, periods):
    """The carrier changes within the periods that move the tech stock, as changes.csv rows."""
    images = store.images["carriers"]
    rows = {}
    for c in store.changes["carriers"]:
        per = period_of(periods, c["t"])
        if per is None:
            continue
        rid, v = c["record_id"], c["version"]
        before = images.get((rid, v - 1)) if c["change"] == "update" else (
            images.get((rid, v)) if c["change"] == "delete" else None)
        after = images.get((rid, v)) if c["change"] in ("insert", "update") else None
        b, a = tech_part(store, before), tech_part(store, after)
        delta = a - b
        if delta == 0:
            continue
        before_tech = before is not None and before["type"] in store.tech_types
        after_tech = after is not None and after["type"] in store.tech_types
        kind = "added" if after_tech and not before_tech else ("retired" if before_tech and not after_tech
                                                              else "resized")
        mode = ""
        if kind == "added":
            mode = store.mode_by_set.get((c["edit_set"], rid)) or store.mode_by_id.get(rid) or ""
        rows[c["seq"]] = {
            "period": per["period"], "day": store.local_day(c["t"]).isoformat(),
            "edit_set": "" if c["edit_set"] is None else str(c["edit_set"]), "author": c["author"] or "",
            "reason": c["reason"] or "", "carrier_id": rid,
            "carrier_type": (after or before)["type"], "kind": kind, "mode": mode, "delta_m2": delta,
        }
    return rows


def firm_moves(store, periods):
    """{period label: [moved in, moved out]}."""
    images = store.images["enterprises"]
    moves = defaultdict(lambda: [0, 0])
    for c in store.changes["enterprises"]:
        per = period_of(periods, c["t"])
        if per is None:
            continue
        rid, v = c["record_id"], c["version"]
        if c["change"] == "insert":
            if not empty(images[(rid, v)]["carrier_id"]):
                moves[per["period"]][0] += 1
        elif c["change"] == "update":
            old, new = images[(rid, v - 1)]["carrier_id"], images[(rid, v)]["carrier_id"]
            if not empty(new) and (empty(old) or old != new):
                moves[per["period"]][0] += 1
            if not empty(old) and (empty(new) or old != new):
                moves[per["period"]][1] += 1
        elif c["change"] == "delete":
            if not empty(images[(rid, v)]["carrier_id"]):
                moves[per["period"]][1] += 1
    return moves


def period_of(periods, t):
    for p in periods:
        if p["start"] <= t < p["end"]:
            return p
    return None


# MARK: - Comparing

def differs(a, b, tol=M2_TOL):
    """a: the CSV's number (None when empty), b: the recomputed value (None when none)."""
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > tol


def fmt(v):
    if v is None:
        return "(empty)"
    return f"{v:.4f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        sys.exit(2)
    store_path, out = Path(sys.argv[1]), Path(sys.argv[2])
    if not store_path.exists():
        usage_error(f"{store_path} not found")
    header, prog = read_csv(out / "progress.csv")
    zheader, zrows = read_csv(out / "zones.csv")
    cheader, crows = read_csv(out / "changes.csv")
    for name, h, need in (("progress.csv", header, ["period", "last_day", "tech_space_m2", "plan_m2", "gap_m2",
                                                     "occupied_m2", "vacant_m2", "occupancy", "carriers",
                                                     "lost_m2", "firms_moved_in", "firms_moved_out"]),
                          ("zones.csv", zheader, ["period", "zone_id", "zone_name", "kind", "tech_space_m2",
                                                  "occupied_m2", "vacant_m2"]),
                          ("changes.csv", cheader, ["period", "day", "change", "edit_set", "author", "reason",
                                                    "carrier_id", "carrier_type", "kind", "mode", "delta_m2"])):
        missing = [c for c in need if c not in h]
        if missing:
            usage_error(f"{name} lacks the column(s) {', '.join(missing)}")
    if not prog:
        usage_error("progress.csv has no periods")

    store = Store(store_path)
    print(f"{out} vs {store_path} (tech types {', '.join(store.tech_types)}; days in {store.tz.key})")

    # periods
    problems = []
    periods = []
    for i, r in enumerate(prog):
        label = r["period"]
        try:
            last = date.fromisoformat(r["last_day"])
        except ValueError:
            usage_error(f"progress.csv row {i + 1}: last_day {r['last_day']!r} is not a date")
        first, label_last = period_bounds(label, last)
        if first is None:
            usage_error(f"progress.csv row {i + 1}: period {label!r} is not YYYY-Qn, YYYY-MM or YYYY")
        if label_last != last:
            problems.append(f"{label}: last_day {last}, the label ends on {label_last}")
        if periods and first != periods[-1]["last"] + timedelta(days=1):
            problems.append(f"{label}: starts {first}, the previous period ended {periods[-1]['last']}")
        periods.append({"period": label, "first": first, "last": last,
                        "start": store.cutoff(first), "end": store.cutoff(last + timedelta(days=1))})
    labels = [p["period"] for p in periods]
    if len(set(labels)) != len(labels):
        problems.append("a period appears twice in progress.csv")
    report("periods", "periods", len(periods), problems)

    states = store.states([p["start"] for p in periods] + [p["end"] for p in periods])
    opening = snapshot(store, *states[periods[0]["start"]])
    snaps = {p["period"]: snapshot(store, *states[p["end"]]) for p in periods}
    mine_changes = stock_changes(store, periods)
    moves = firm_moves(store, periods)
    by_row = dict(zip(labels, prog))

    # stock
    problems = []
    type_cols = sorted(c[len("tech_"):-len("_m2")] for c in header if c.startswith("tech_") and c.endswith("_m2")
                       and c != "tech_space_m2")
    if type_cols != sorted(store.tech_types):
        problems.append(f"tech_<type>_m2 columns {type_cols}, the policy's types {sorted(store.tech_types)}")
    for p in labels:
        r, s = by_row[p], snaps[p]
        checks = [("tech_space_m2", num(r["tech_space_m2"]), s["stock"], M2_TOL),
                  ("carriers", num(r["carriers"]), float(s["carriers"]), 0)]
        checks += [(f"tech_{t}_m2", num(r.get(f"tech_{t}_m2")), s["by_type"][t], M2_TOL) for t in store.tech_types
                   if f"tech_{t}_m2" in r]
        for col, a, b, tol in checks:
            if differs(a, b, tol):
                problems.append(f"{p} {col}: csv {fmt(a)}, store {fmt(b)}")
    report("stock", "periods", len(labels), problems)

    # occupancy
    problems = []
    for p in labels:
        r, s = by_row[p], snaps[p]
        ratio = s["occupied"] / s["stock"] if s["stock"] else None
        for col, a, b, tol in (("occupied_m2", num(r["occupied_m2"]), s["occupied"], M2_TOL),
                               ("vacant_m2", num(r["vacant_m2"]), s["stock"] - s["occupied"], M2_TOL),
                               ("occupancy", num(r["occupancy"]), ratio, RATIO_TOL)):
            if differs(a, b, tol):
                problems.append(f"{p} {col}: csv {fmt(a)}, store {fmt(b)}")
        if abs(s["vacant_column"] - (s["stock"] - s["occupied"])) > M2_TOL:
            note(f"{p}: the carriers' vacant_m2 sum to {s['vacant_column']:.1f}, floor - occupied is "
                 f"{s['stock'] - s['occupied']:.1f}")
    report("occupancy", "periods", len(labels), problems)

    # plan
    problems = []
    for per in periods:
        p, r = per["period"], by_row[per["period"]]
        plan = plan_value(store, per["last"])
        gap = None if plan is None else plan - snaps[p]["stock"]
        for col, a, b in (("plan_m2", num(r["plan_m2"]), plan), ("gap_m2", num(r["gap_m2"]), gap)):
            if differs(a, b):
                problems.append(f"{p} {col}: csv {fmt(a)}, recomputed {fmt(b)}")
    report("plan", "periods", len(labels), problems)

    # changes
    problems = []
    theirs = {}
    for r in crows:
        try:
            seq = int(r["change"])
        except ValueError:
            problems.append(f"changes.csv: change {r['change']!r} is not a store_changes seq")
            continue
        if seq in theirs:
            problems.append(f"changes.csv: change {seq} listed twice")
        theirs[seq] = r
    for seq in sorted(set(theirs) - set(mine_changes)):
        r = theirs[seq]
        problems.append(f"change {seq} ({r['period']} {r['carrier_id']} {r['kind']} {r['delta_m2']}): "
                        "in changes.csv, but it moves no tech stock within the periods")
    for seq in sorted(set(mine_changes) - set(theirs)):
        m = mine_changes[seq]
        problems.append(f"change {seq} ({m['period']} {m['carrier_id']} {m['kind']} {fmt(m['delta_m2'])}): "
                        "missing from changes.csv")
    for seq in sorted(set(mine_changes) & set(theirs)):
        m, r = mine_changes[seq], theirs[seq]
        cols = ["period", "day", "edit_set", "author", "reason", "carrier_id", "carrier_type"]
        if m["kind"] == "added" and m["mode"]:
            cols.append("mode")   # a supply mode exists only for an add_carrier edit
        for col in cols:
            if (r[col] or "") != m[col]:
                problems.append(f"change {seq} {col}: csv {r[col]!r}, store {m[col]!r}")
        if (r["kind"] == "added") != (m["kind"] == "added"):
            problems.append(f"change {seq} kind: csv {r['kind']!r}, store {m['kind']!r}")
        if differs(num(r["delta_m2"]), m["delta_m2"]):
            problems.append(f"change {seq} delta_m2: csv {r['delta_m2']}, store {fmt(m['delta_m2'])}")
    report("changes", "rows", len(mine_changes), problems)

    # additions
    problems = []
    csv_delta = defaultdict(lambda: [0.0, 0.0, 0.0])   # period -> [positive, negative, net]
    for r in crows:
        d = num(r["delta_m2"]) or 0.0
        acc = csv_delta[r["period"]]
        acc[0 if d > 0 else 1] += d
        acc[2] += d
    for p in set(csv_delta) - set(labels):
        problems.append(f"changes.csv names period {p}, which progress.csv does not have")
    mine_mode = defaultdict(lambda: defaultdict(float))
    for m in mine_changes.values():
        if m["delta_m2"] > 0:
            mine_mode[m["period"]][m["mode"]] += m["delta_m2"]
    add_cols = [c for c in header if c.startswith("added_") and c.endswith("_m2")]
    col_modes = {c[len("added_"):-len("_m2")] for c in add_cols}
    all_modes = {mode for per in mine_mode.values() for mode in per if mode}
    supply_modes = all_modes | set(store.mode_by_id.values())
    other_cols = sorted(col_modes - supply_modes)   # the output's own labels for growth without a supply mode
    for mode in sorted(all_modes - col_modes):
        problems.append(f"no added_{mode}_m2 column, though {mode} added stock")
    previous = opening["stock"]
    for p in labels:
        r = by_row[p]
        for mode in sorted((col_modes | all_modes) - set(other_cols)):
            a = num(r.get(f"added_{mode}_m2")) if f"added_{mode}_m2" in r else 0.0
            if differs(a, mine_mode[p].get(mode, 0.0)):
                problems.append(f"{p} added_{mode}_m2: csv {fmt(a)}, store {fmt(mine_mode[p].get(mode, 0.0))}")
        a = sum(num(r[f"added_{c}_m2"]) or 0.0 for c in other_cols)
        b = mine_mode[p].get("", 0.0)
        if differs(a, b, M2_TOL * max(1, len(other_cols))):
            cols = ", ".join(f"added_{c}_m2" for c in other_cols) or "no such column"
            problems.append(f"{p}: growth without a supply mode (a capacity increase, an insert without "
                            f"add_carrier mode) is {fmt(b)} m2, csv ({cols}) {fmt(a)}")
        added_total = sum(num(r[c]) or 0.0 for c in add_cols)
        pos, neg, net = csv_delta[p]
        if differs(added_total, pos, M2_TOL * max(1, len(add_cols))):
            problems.append(f"{p}: the added_*_m2 sum to {fmt(added_total)}, changes.csv's positive deltas to {fmt(pos)}")
        if differs(num(r["lost_m2"]), -neg):
            problems.append(f"{p} lost_m2: csv {r['lost_m2']}, changes.csv's negative deltas {fmt(neg)}")
        stock = num(r["tech_space_m2"])
        if stock is not None and differs(stock - previous, net, 2 * M2_TOL):
            problems.append(f"{p}: stock moved by {fmt(stock - previous)} (csv {fmt(stock)} - previous "
                            f"{fmt(previous)}), changes.csv's deltas sum to {fmt(net)}")
        previous = stock if stock is not None else previous
    pj = out / "progress.json"
    if pj.exists():
        try:
            opening_json = json.loads(pj.read_text(encoding="utf-8")).get("opening_m2")
        except ValueError:
            opening_json = None
        if opening_json is not None and differs(float(opening_json), opening["stock"]):
            problems.append(f"progress.json opening_m2 {opening_json}, store at the start of {labels[0]}: "
                            f"{fmt(opening['stock'])}")
    report("additions", "periods", len(labels), problems)

    # firms
    problems = []
    for p in labels:
        r = by_row[p]
        for col, b in (("firms_moved_in", moves[p][0]), ("firms_moved_out", moves[p][1])):
            if differs(num(r[col]), float(b), 0):
                problems.append(f"{p} {col}: csv {r[col]}, store {b}")
    report("firms", "periods", len(labels), problems)

    # tenants
    problems = []
    stages = sorted({store.stage_of.get(t, "?") for t in store.tech_types})
    stage_cols = sorted(c[len("tenants_"):] for c in header if c.startswith("tenants_"))
    if stage_cols != stages:
        problems.append(f"tenants_<stage> columns {stage_cols}, the stages of the policy's types {stages}")
    for p in labels:
        r, s = by_row[p], snaps[p]
        for stage in stages:
            col = f"tenants_{stage}"
            if col in r and differs(num(r[col]), float(s["tenants"].get(stage, 0)), 0):
                problems.append(f"{p} {col}: csv {r[col]}, store {s['tenants'].get(stage, 0)}")
    report("tenants", "periods", len(labels), problems)

    # zones
    problems = []
    seen = set()
    zone_info = {zid: (name, kind) for zid, name, kind, _ in store.zones}
    for r in zrows:
        key = (r["period"], r["zone_id"])
        if key in seen:
            problems.append(f"{key[0]} zone {key[1]}: listed twice")
            continue
        seen.add(key)
        if r["period"] not in snaps:
            problems.append(f"{key[0]} zone {key[1]}: a period progress.csv does not have")
            continue
        if r["zone_id"] not in zone_info:
            problems.append(f"{key[0]} zone {key[1]}: no such zone in the store")
            continue
        name, kind = zone_info[r["zone_id"]]
        if r["zone_name"] != name or r["kind"] != kind:
            problems.append(f"{key[0]} zone {key[1]}: csv {r['zone_name']!r} ({r['kind']}), store {name!r} ({kind})")
        tech, occ = snaps[r["period"]]["zones"].get(r["zone_id"], (0.0, 0.0))
        for col, b in (("tech_space_m2", tech), ("occupied_m2", occ), ("vacant_m2", tech - occ)):
            if differs(num(r[col]), b):
                problems.append(f"{key[0]} zone {key[1]} ({name}) {col}: csv {r[col]}, store {fmt(b)}")
    for p in labels:
        for zid in zone_info:
            if (p, zid) not in seen:
                problems.append(f"{p} zone {zid} ({zone_info[zid][0]}): missing from zones.csv")
    report("zones", "rows", len(labels) * len(zone_info), problems)

    if failures:
        print(f"FAIL: {len(failures)} group(s) differ: {', '.join(failures)}")
        sys.exit(1)
    print("PASS: the progress outputs agree with the store's history")


if __name__ == "__main__":
    main()
