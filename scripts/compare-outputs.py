#!/usr/bin/env python3
"""Compares two output folders of scripts/outputs.sh: a "before" and an "after" build of spaceplan.

    scripts/compare-outputs.py BEFORE AFTER [--allow-field PATTERN]...

Both must hold the same files with the same bytes, except for what differs between two runs of
the same binary, which is normalised away and nothing more:

  - absolute paths of the run's own OUTDIR and of the checkout it ran from (stdout, validation,
    summaries, reports, inspect's draft), read from OUTDIR/_provenance/env, become $OUTDIR and
    $CHECKOUT;
  - the solvers' wall-clock time: "seconds" in allocation.json and target.json, and the
    ", 0.82 s" ending the solver's line in allocation.md, target.md and allocate's and
    target's stdout;
  - GeoPackages are compared table by table, row by row, without gpkg_contents.last_change (the
    newest input file's modification time);
  - Shapefile .dbf files are compared field by field, record by record, without the header's date
    of last update (bytes 1-3: the day the file was written).

OUTDIR/_provenance (binary, checkout, date, timings) is not compared. Each differing file is
described: JSON/GeoJSON by the key paths or feature properties that differ (with a sample
feature id), CSV, .dbf and GeoPackage tables by their columns, other text by its first differing
lines. Exits 1 if anything differs.

--allow-field PATTERN drops a field renamed or changed on purpose from both sides: SCOPE.FIELD,
where SCOPE is a file's name without extension (enterprise_building, space-map), its path
without extension (spacemap/summary) or a GeoPackage table (enterprises); FIELD alone matches
everywhere; shell wildcards work (*.match). It drops JSON keys at any depth (so GeoJSON
properties), CSV, .dbf and GeoPackage columns, and SVG attributes FIELD and data-FIELD; in
other text (Markdown, stdout) a renamed field still shows as a difference.
"""
import argparse, csv, difflib, fnmatch, io, json, os, re, sqlite3, sys

PROVENANCE = "_provenance"
TIMESTAMP_COLUMNS = {("gpkg_contents", "last_change")}
SOLVER_FILES = re.compile(r"^(allocation|target)\.(json|md)$|(^|-)(allocate|target)[\w-]*\.stdout$")
SECONDS_KEY = re.compile(rb'("seconds"\s*:\s*)-?[0-9][0-9.eE+-]*')
SECONDS_LINE_END = re.compile(rb", [0-9]+(?:\.[0-9]+)? s(\.?)$", re.M)  # formatFixed(s, 2): "0.82", "0.5", "1"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--allow-field", action="append", default=[], metavar="PATTERN",
                        help="drop a field changed on purpose: SCOPE.FIELD or FIELD, wildcards allowed")
    args = parser.parse_args()
    problems = Comparison(args.before, args.after, args.allow_field).run()
    print("\n".join(problems) if problems else f"identical after normalisation: {args.before} and {args.after}")
    sys.exit(1 if problems else 0)


class Comparison:
    def __init__(self, before, after, allowed):
        self.roots, self.patterns = (before, after), allowed
        self.paths = [path_tokens(root) for root in self.roots]

    def run(self):
        sets = [files(root) for root in self.roots]
        out = [f"only in BEFORE: {rel}" for rel in sorted(sets[0] - sets[1])]
        out += [f"only in AFTER: {rel}" for rel in sorted(sets[1] - sets[0])]
        for rel in sorted(sets[0] & sets[1]):
            out += [f"{rel}: {line}" for line in self.compare(rel, *(os.path.join(r, rel) for r in self.roots))]
        return out

    def allowed(self, rel, field, scope=None):
        stem, path = os.path.splitext(os.path.basename(rel))[0], os.path.splitext(rel)[0]
        names = [f"{s}.{field}" for s in ([scope, f"{path}/{scope}"] if scope else [stem, path])]
        return any(fnmatch.fnmatchcase(n, p) for p in self.patterns for n in (names if "." in p else [field]))

    def compare(self, rel, a, b):
        if rel.endswith(".gpkg"):
            return compare_geopackage(a, b, lambda t, c: (t, c) in TIMESTAMP_COLUMNS or self.allowed(rel, c, t))
        if rel.endswith(".dbf"):
            return compare_dbf(a, b, lambda c: self.allowed(rel, c))
        data = [self.normalise(side, rel, open(p, "rb").read()) for side, p in enumerate((a, b))]
        if data[0] == data[1]:
            return []
        return describe(rel, *data, lambda k: self.allowed(rel, k))

    def normalise(self, side, rel, data):
        for path, token in self.paths[side]:
            data = data.replace(path, token)
        if SOLVER_FILES.search(os.path.basename(rel)):
            data = SECONDS_LINE_END.sub(rb", N s\1", SECONDS_KEY.sub(rb"\g<1>0", data) if rel.endswith(".json") else data)
        return data


def path_tokens(root):
    """The run's OUTDIR and checkout as (path, token), longest first."""
    lines = open(os.path.join(root, PROVENANCE, "env"), encoding="utf-8").read().splitlines()
    env = dict(line.split("=", 1) for line in lines)
    pairs = [(os.path.realpath(root).encode(), b"$OUTDIR"), (env["checkout"].encode(), b"$CHECKOUT")]
    # A run from stores (outputs.sh --store) read its configuration from the stores' documents:
    # STORE/config/x.json stands for the checkout's GIS/config/x.json it was imported from.
    for store in filter(None, env.get("stores", "").split(":")):
        pairs.append(((store + "/config").encode(), b"$CHECKOUT/GIS/config"))
    return sorted(pairs, key=lambda p: -len(p[0]))


def files(root):
    out = set()
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not (folder == root and d == PROVENANCE)]
        out |= {os.path.relpath(os.path.join(folder, n), root) for n in names}
    return out


def describe(rel, a, b, allowed):
    """What differs between two normalised files; [] if nothing does once allowed fields are dropped."""
    ext = os.path.splitext(rel)[1]
    try:
        if ext in (".json", ".geojson"):
            return compare_json(json.loads(a), json.loads(b), allowed)
        if ext == ".csv":
            ra, rb = (list(csv.reader(io.StringIO(x.decode("utf-8-sig")))) for x in (a, b))
            return compare_table(ra[0] if ra else [], ra[1:], rb[0] if rb else [], rb[1:], allowed)
        if ext == ".svg":
            a, b = (re.sub(rb' (?:data-)?([A-Za-z_][\w.:-]*)="[^"]*"',
                           lambda m: b"" if allowed(m.group(1).decode()) else m.group(0), x) for x in (a, b))
        if a == b:
            return []
        la, lb = a.decode().splitlines(), b.decode().splitlines()
    except (ValueError, UnicodeDecodeError) as e:
        return [] if a == b else [f"bytes differ ({len(a)} and {len(b)} bytes; {type(e).__name__})"]
    diff = [l for l in difflib.unified_diff(la, lb, lineterm="", n=0) if not l.startswith(("---", "+++"))]
    hunks = sum(l.startswith("@@") for l in diff)
    return [f"{hunks} differing hunk(s), first:"] + ["    " + l[:240] for l in diff[:7]] if diff else ["line endings differ"]


def strip(value, allowed):
    if isinstance(value, dict):
        return {k: strip(v, allowed) for k, v in value.items() if not allowed(k)}
    if isinstance(value, list):
        return [strip(v, allowed) for v in value]
    return value


def json_differences(a, b, path, out):
    """Key paths (list items as []) where a and b differ, each with its first pair of values."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k in a and k in b:
                json_differences(a[k], b[k], f"{path}.{k}", out)
            else:
                out.setdefault(f"{path}.{k}", "only in " + ("AFTER" if k in b else "BEFORE"))
        if a.keys() == b.keys() and list(a) != list(b):
            out.setdefault(f"{path} (key order)", f"{list(a)[:6]} → {list(b)[:6]}")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.setdefault(f"{path} (length)", f"{len(a)} → {len(b)}")
        for x, y in zip(a, b):
            json_differences(x, y, f"{path}[]", out)
    elif a != b or type(a) != type(b):
        out.setdefault(path, f"{json.dumps(a, ensure_ascii=False)[:60]} → {json.dumps(b, ensure_ascii=False)[:60]}")


def compare_json(a, b, allowed):
    same = lambda x, y: x == y and json.dumps(x) == json.dumps(y)
    if same(a, b):
        return ["formatting differs (same values)"]
    a, b = strip(a, allowed), strip(b, allowed)
    if same(a, b):
        return []
    out = []
    if all(isinstance(x, dict) and x.get("type") == "FeatureCollection" for x in (a, b)):
        fa, fb = a.pop("features", []), b.pop("features", [])
        if len(fa) != len(fb):
            out.append(f"{len(fa)} features → {len(fb)}")
        keys = {}
        for x, y in zip(fa, fb):
            diffs = {}
            json_differences(x, y, "", diffs)
            for key, sample in diffs.items():
                entry = keys.setdefault(key.lstrip("."), [0, feature_id(x), sample])
                entry[0] += 1
        out += [f"features: {key} differs in {n} (e.g. {fid}: {sample})" for key, (n, fid, sample) in keys.items()]
    diffs = {}
    json_differences(a, b, "", diffs)
    return out + [f"{key or '(root)'}: {sample}" for key, sample in list(diffs.items())[:20]]


def feature_id(feature):
    return feature.get("id", (feature.get("properties") or {}).get("id", "?"))


def compare_table(ha, rows_a, hb, rows_b, allowed, same_bytes=False):
    """Columns that differ between two tables of rows compared in order, each with a sample row."""
    out = [f"column only in BEFORE: {c}" for c in ha if c not in hb and not allowed(c)]
    out += [f"column only in AFTER: {c}" for c in hb if c not in ha and not allowed(c)]
    common = [c for c in ha if c in hb and not allowed(c)]
    if [c for c in hb if c in common] != common:
        out.append("column order differs")
    if len(rows_a) != len(rows_b):
        out.append(f"{len(rows_a)} rows → {len(rows_b)}")
    ia, ib = [ha.index(c) for c in common], [hb.index(c) for c in common]
    cell = lambda row, i: row[i] if i < len(row) else None
    key = next((ha.index(c) for c in ["id"] + [c for c in ha if c.endswith("_id")] if c in ha), 0)  # for samples
    counts = {}
    for x, y in zip(rows_a, rows_b):
        for c, i, j in zip(common, ia, ib):
            if cell(x, i) != cell(y, j):
                counts.setdefault(c, [0, cell(x, key), cell(x, i), cell(y, j)])[0] += 1
    out += [f"column {c} differs in {n} row(s) (e.g. {rid!s:.30}: {va!r:.50} → {vb!r:.50})"
            for c, (n, rid, va, vb) in counts.items()]
    dropped = any(allowed(c) for c in ha + hb)
    return out if out or dropped or same_bytes else ["formatting differs (quoting, line endings)"]


def compare_geopackage(a, b, skip):
    """Schema objects and every table's rows, without the skipped (table, column)s."""
    dbs = [sqlite3.connect(f"file:{p}?mode=ro", uri=True) for p in (a, b)]
    out = []
    for pragma in ("application_id", "user_version"):
        va, vb = (db.execute(f"PRAGMA {pragma}").fetchone()[0] for db in dbs)
        if va != vb:
            out.append(f"PRAGMA {pragma}: {va} → {vb}")
    objects = [{(t, n): sql for t, n, sql in db.execute("SELECT type, name, sql FROM sqlite_master")} for db in dbs]
    for kind, name in sorted(objects[0].keys() ^ objects[1].keys()):
        out.append(f"{kind} {name} only in {'BEFORE' if (kind, name) in objects[0] else 'AFTER'}")
    for kind, name in sorted(objects[0].keys() & objects[1].keys()):
        if kind != "table":
            if objects[0][kind, name] != objects[1][kind, name]:
                out.append(f"{kind} {name}: definition differs")
            continue
        infos = [[r[1:] for r in db.execute(f'PRAGMA table_info("{name}")')] for db in dbs]
        heads = [[c[0] for c in info] for info in infos]
        kept = [[c for c in info if not skip(name, c[0])] for info in infos]
        if kept[0] != kept[1]:
            out.append(f"table {name}: column definitions differ")
        select = lambda cols: f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}" ORDER BY rowid'
        try:
            rows = [list(db.execute(select(h))) for db, h in zip(dbs, heads)]
        except sqlite3.OperationalError:  # a table without rowid: compare its rows sorted
            rows = [sorted(db.execute(select(h).rsplit(" ORDER", 1)[0])) for db, h in zip(dbs, heads)]
        found = compare_table(heads[0], rows[0], heads[1], rows[1], lambda c: skip(name, c), same_bytes=True)
        out += [f"table {name}: {line}" for line in found]
    return out


def dbf(path):
    """A dBASE file's header without its date, its fields (name, type, width, decimals), records."""
    data = open(path, "rb").read()
    count, header, size = (int.from_bytes(data[i:j], "little") for i, j in ((4, 8), (8, 10), (10, 12)))
    fields, offset = [], 1  # a record starts with its deletion flag
    for i in range(32, header - 1, 32):
        if data[i] == 0x0D:
            break
        fields.append((data[i:i + 11].split(b"\0")[0].decode("latin-1"), chr(data[i + 11]), data[i + 16], data[i + 17], offset))
        offset += data[i + 16]
    records = [data[header + r * size: header + (r + 1) * size] for r in range(count)]
    return data[0:1] + data[4:8] + data[12:32], fields, records, data[header + count * size:]


def compare_dbf(a, b, allowed):
    (ha, fa, ra, ta), (hb, fb, rb, tb) = dbf(a), dbf(b)
    kept = [[f for f in fields if not allowed(f[0])] for fields in (fa, fb)]
    heads = [["(deleted flag)"] + [f[0] for f in k] for k in kept]
    rows = [[[r[o:o + w].decode("latin-1") for _, _, w, _, o in [("", "", 1, 0, 0)] + k] for r in recs]
            for k, recs in zip(kept, (ra, rb))]
    out = [] if [f[:4] for f in kept[0]] == [f[:4] for f in kept[1]] else ["field definitions differ"]
    if kept == [fa, fb] and (ha != hb or ta != tb):
        out.append("header or end-of-file bytes differ")
    return out + compare_table(heads[0], rows[0], heads[1], rows[1], lambda c: False, same_bytes=True)


if __name__ == "__main__":
    main()
