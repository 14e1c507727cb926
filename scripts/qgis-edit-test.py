#!/usr/bin/python3
"""QGIS edits the district store directly, and the store versions, logs and serves the edit.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/qgis-edit-test.py STORE [--spaceplan BINARY]

STORE is a GeoPackage (district.gpkg) or a postgresql:// URL as spaceplan takes it
(postgresql://root@/spaceplan_test?host=/var/run/postgresql&schema=qgis_test), freshly imported
from GIS/sample: C00001 must be at version 1 with vacant_m2 235.

With qgis.core (QGIS 3.22, Debian's python3-qgis; headless, no GUI) it opens the carriers layer
(the ogr provider for a GeoPackage, the postgres provider for PostGIS), starts editing, sets
C00001's vacant_m2 to 321 and commits, as a planner would in QGIS's attribute table. Then, outside
QGIS, the spaceplan binary must show the edit: `store log --record C00001` a change to version 2
by a direct edit with "vacant_m2: 235 → 321", and `spacemap` total.tech_vacant_m2 = 95067 − 235 + 321.

Each check is printed as "ok   ..." or "FAIL ..." with its figure; the last line is PASS or
FAIL, and the exit status is non-zero on any failure. Use Debian's /usr/bin/python3: a pyenv or
virtualenv python3 cannot import qgis.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

RECORD = "C00001"
BEFORE, AFTER = 235, 321
SAMPLE_VACANT = 95067
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

failures = []


def check(ok, message):
    print(("ok   " if ok else "FAIL ") + message, flush=True)
    if not ok:
        failures.append(message)
    return ok


def finish():
    print("FAIL: %d check(s) failed" % len(failures) if failures else "PASS", flush=True)
    sys.exit(1 if failures else 0)


def postgres_uri(url):
    """The carriers table of a postgresql:// store URL as a QgsDataSourceUri."""
    from qgis.core import QgsDataSourceUri

    parts = urllib.parse.urlsplit(url)
    query = {k: v[-1] for k, v in urllib.parse.parse_qs(parts.query).items()}
    host = query.get("host") or urllib.parse.unquote(parts.hostname or "")
    port = query.get("port") or (str(parts.port) if parts.port else "")
    database = query.get("dbname") or urllib.parse.unquote(parts.path.lstrip("/"))
    user = query.get("user") or urllib.parse.unquote(parts.username or "")
    password = query.get("password") or urllib.parse.unquote(parts.password or "")
    # spaceplan's own default schema (PostGISStore.defaultSchema), lowercased as it does.
    schema = query.get("schema", "district").lower()
    uri = QgsDataSourceUri()
    uri.setConnection(host, port, database, user, password)
    uri.setDataSource(schema, "carriers", None, "", "fid")
    return uri.uri(False), "%s.carriers in %s" % (schema, database)


def private_folders(root):
    """Points Qt's and QGIS's per-user folders into `root`, removed at the end: without it QGIS
    writes a profile (qgis-auth.db, qgis.db, ...) to ~/.local/share/profiles, a network cache to
    ~/.cache, and Qt a runtime folder $TMPDIR/runtime-$USER that outlives the run."""
    for variable, name in [("XDG_RUNTIME_DIR", "runtime"), ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")]:
        path = os.path.join(root, name)
        os.makedirs(path, mode=0o700)
        os.environ[variable] = path
    return os.path.join(root, "profiles")


def edit_in_qgis(store, profiles):
    """Sets C00001's vacant_m2 to 321 through QGIS's vector layer editing; returns its old value."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from qgis.core import QgsApplication, QgsFeatureRequest, QgsVectorLayer, Qgis
    except ImportError as error:
        check(False, "import qgis.core with %s: %s (install Debian's python3-qgis; run /usr/bin/python3)" % (sys.executable, error))
        finish()

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False, profiles)
    app.initQgis()
    # What the providers report to QGIS's message log (a user sees it in the Log Messages panel).
    def logged(message, tag, level):
        if level >= Qgis.Warning:
            print("     QGIS log [%s]: %s" % (tag or "-", message), flush=True)

    QgsApplication.messageLog().messageReceived.connect(logged)
    try:
        print("QGIS %s" % Qgis.QGIS_VERSION, flush=True)
        if store.startswith(("postgresql://", "postgres://")):
            source, what = postgres_uri(store)
            layer = QgsVectorLayer(source, "carriers", "postgres")
        else:
            source, what = "%s|layername=carriers" % os.path.abspath(store), "carriers in %s" % store
            layer = QgsVectorLayer(source, "carriers", "ogr")
        if not check(layer.isValid(), "QGIS opens %s (%s provider): valid=%s" % (what, layer.providerType(), layer.isValid())):
            error = layer.dataProvider().error().message() if layer.dataProvider() else ""
            print("     provider error: %s" % (error or "(none)"))
            return None
        check(
            layer.featureCount() == 27,
            "QGIS reads %d carriers, primary key %s" % (layer.featureCount(), [layer.fields().at(i).name() for i in layer.primaryKeyAttributes()]),
        )
        index = layer.fields().indexOf("vacant_m2")
        if not check(index >= 0, "carriers has a vacant_m2 field (index %d)" % index):
            return None
        features = list(layer.getFeatures(QgsFeatureRequest().setFilterExpression("\"id\" = '%s'" % RECORD)))
        if not check(len(features) == 1, "QGIS finds %d feature with id %s" % (len(features), RECORD)):
            return None
        feature = features[0]
        old = feature["vacant_m2"]
        fresh = old == BEFORE and feature["version"] == 1
        if not check(fresh, "%s before: vacant_m2 %s, version %s" % (RECORD, old, feature["version"])):
            # Edit only a fresh store: a second run would add a version of its own to the history.
            print("     the store is not fresh from GIS/sample: import it again (store import ... --replace) and rerun")
            return None
        if not check(layer.startEditing(), "startEditing"):
            return None
        changed = layer.changeAttributeValue(feature.id(), index, AFTER)
        check(changed, "changeAttributeValue(fid %d, vacant_m2, %d) in the edit buffer" % (feature.id(), AFTER))
        committed = layer.commitChanges()
        if not check(committed, "commitChanges"):
            for line in layer.commitErrors():
                print("     commit error: %s" % line)
            layer.rollBack()
            return None
        # Read back through QGIS: the trigger set occupied_m2 and the version.
        layer.dataProvider().reloadData()
        again = next(layer.getFeatures(QgsFeatureRequest().setFilterExpression("\"id\" = '%s'" % RECORD)))
        check(
            again["vacant_m2"] == AFTER and again["version"] == 2 and again["occupied_m2"] == again["floor_area_m2"] - AFTER,
            "QGIS reads back %s: vacant_m2 %s, occupied_m2 %s of floor_area_m2 %s, version %s"
            % (RECORD, again["vacant_m2"], again["occupied_m2"], again["floor_area_m2"], again["version"]),
        )
        return old
    finally:
        layer = None
        app.exitQgis()


def spaceplan(binary, *arguments):
    r = subprocess.run([binary, *arguments], cwd=REPO, capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="a .gpkg path or a postgresql:// URL, imported from GIS/sample")
    parser.add_argument(
        "--spaceplan",
        default=os.environ.get("SPACEPLAN", os.path.join(REPO, ".build/debug/spaceplan")),
        help="the spaceplan binary (default: $SPACEPLAN or .build/debug/spaceplan)",
    )
    args = parser.parse_args()
    store = args.store if "://" in args.store else os.path.abspath(args.store)

    root = tempfile.mkdtemp(prefix="qgis-edit-test-")
    try:
        check_store(args.spaceplan, store, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def check_store(binary, store, root):
    if edit_in_qgis(store, private_folders(root)) is None:
        finish()

    status, out, err = spaceplan(binary, "store", "log", "--store", store, "--record", RECORD)
    print("     store log --record %s:\n%s" % (RECORD, "".join("       " + l + "\n" for l in (out + err).strip().splitlines())), end="")
    changes = [l for l in out.splitlines() if l.startswith("#")]
    lines = [l for l in changes if "→ version 2" in l]
    check(
        status == 0 and len(changes) == 1 and len(lines) == 1,
        "store log shows %d change of %s, to version 2 (exit %d)" % (len(changes), RECORD, status),
    )
    check(any("direct edit" in l for l in lines), "... made by a direct edit: %s" % (lines[0].strip() if lines else "(none)"))
    check("vacant_m2: %d → %d" % (BEFORE, AFTER) in out, "... with vacant_m2: %d → %d" % (BEFORE, AFTER))
    # The store's trigger keeps occupied + vacant = floor area: 3434 − 321 = 3113.
    check("occupied_m2: 3199 → 3113" in out, "... and the trigger's occupied_m2: 3199 → 3113")

    folder = os.path.join(root, "spacemap")
    status, out, err = spaceplan(binary, "spacemap", "--store", store, "--out", folder, "--no-maps", "--no-geopackage")
    if check(status == 0, "spacemap --store ran (exit %d)%s" % (status, (": " + err.strip()) if status else "")):
        with open(os.path.join(folder, "summary.json"), encoding="utf-8") as f:
            vacant = json.load(f)["total"]["tech_vacant_m2"]
        expected = SAMPLE_VACANT - BEFORE + AFTER
        check(abs(vacant - expected) < 1e-6, "spacemap total.tech_vacant_m2 = %s (expected %d − %d + %d = %d)" % (vacant, SAMPLE_VACANT, BEFORE, AFTER, expected))
    finish()


if __name__ == "__main__":
    main()
