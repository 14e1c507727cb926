#!/usr/bin/python3
"""QGIS connected to a PostGIS store as a park operator's own database role: it saves a change to
that operator's carrier, and the database refuses its change to another operator's.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/qgis-operator-test.py STORE ROLE PASSWORD OWN OTHER

STORE is the postgresql:// URL of a store whose operator role ROLE (made by `spaceplan users add
--role operator`, docs/platform.md) keeps carrier OWN but not OTHER. QGIS (Debian's python3-qgis
3.22, the postgres provider, headless) connects over loopback TCP as ROLE with PASSWORD, opens the
carriers layer, sets OWN's vacant_m2 down by 10 and commits (it must succeed, and the version
rise by one), then tries the same on OTHER (the commit must fail with the database's row-level
security error, and OTHER stay as it was). Each check is printed "ok   ..." or "FAIL ..."; the
last line is PASS or FAIL, and the exit status non-zero on any failure.
"""
import os
import shutil
import sys
import tempfile
import urllib.parse

failures = []


def check(ok, message):
    print(("ok   " if ok else "FAIL ") + message, flush=True)
    if not ok:
        failures.append(message)
    return ok


def main():
    store, role, password, own, other = sys.argv[1:6]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    root = tempfile.mkdtemp(prefix="qgis-operator-")
    try:
        # QGIS's and Qt's per-user folders inside `root`, removed at the end.
        for variable, name in [("XDG_RUNTIME_DIR", "runtime"), ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")]:
            os.makedirs(os.path.join(root, name), mode=0o700)
            os.environ[variable] = os.path.join(root, name)
        from qgis.core import QgsApplication, QgsDataSourceUri, QgsFeatureRequest, QgsVectorLayer, Qgis

        QgsApplication.setPrefixPath("/usr", True)
        app = QgsApplication([], False, os.path.join(root, "profiles"))
        app.initQgis()
        parts = urllib.parse.urlsplit(store)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(parts.query).items()}
        schema = query.get("schema", "district").lower()
        database = urllib.parse.unquote(parts.path.lstrip("/"))
        uri = QgsDataSourceUri()
        # As the operator would: over TCP with its own name and password, not the server's login.
        uri.setConnection("127.0.0.1", query.get("port") or str(parts.port or 5432), database, role, password)
        uri.setDataSource(schema, "carriers", None, "", "fid")
        layer = QgsVectorLayer(uri.uri(False), "carriers", "postgres")
        print("QGIS %s as %s" % (Qgis.QGIS_VERSION, role), flush=True)
        if not check(layer.isValid(), "QGIS opens %s.carriers as %s: valid=%s" % (schema, role, layer.isValid())):
            print("     provider error: %s" % (layer.dataProvider().error().message() if layer.dataProvider() else ""))
            return
        index = layer.fields().indexOf("vacant_m2")

        def read(carrier):
            layer.dataProvider().reloadData()
            return next(layer.getFeatures(QgsFeatureRequest().setFilterExpression("\"id\" = '%s'" % carrier)))

        def edit(carrier):
            feature = read(carrier)
            layer.startEditing()
            layer.changeAttributeValue(feature.id(), index, feature["vacant_m2"] - 10)
            ok = layer.commitChanges()
            errors = list(layer.commitErrors())
            if not ok:
                layer.rollBack()
            return feature, ok, errors

        before, ok, errors = edit(own)
        after = read(own)
        check(ok, "commitChanges of %s (its own carrier): %s %s" % (own, ok, "; ".join(errors) if not ok else ""))
        check(after["vacant_m2"] == before["vacant_m2"] - 10 and after["version"] == before["version"] + 1,
              "%s now: vacant_m2 %s → %s, version %s → %s" % (own, before["vacant_m2"], after["vacant_m2"], before["version"], after["version"]))
        before, ok, errors = edit(other)
        after = read(other)
        check(not ok and any("row-level security" in e for e in errors),
              "commitChanges of %s (another operator's) refused by the database: %s" % (other, "; ".join(errors) or "no error"))
        check(after["vacant_m2"] == before["vacant_m2"] and after["version"] == before["version"],
              "%s unchanged: vacant_m2 %s, version %s" % (other, after["vacant_m2"], after["version"]))
        app.exitQgis()
    finally:
        shutil.rmtree(root, ignore_errors=True)


main()
print("FAIL: %d check(s) failed" % len(failures) if failures else "PASS", flush=True)
sys.exit(1 if failures else 0)
