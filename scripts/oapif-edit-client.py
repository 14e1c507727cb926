#!/usr/bin/env python3
"""A scripted OGC API – Features Part 4 client: edits a platform server (`spaceplan serve --store`)
as QGIS's OAPIF provider does, and checks each answer against docs/platform.md ("Editing from
QGIS: OGC API – Features Part 4").

    python3 scripts/oapif-edit-client.py --url http://127.0.0.1:PORT --operator ops1:PASSWORD \
        --own C00001 --other C00003 --bureau chief:PASSWORD

--operator is an operator (NAME:PASSWORD) keeping carrier --own; --other is a carrier of another
operator; --bureau a bureau login. The store must be freshly made: the client changes --own's
vacancy and rent, moves a firm E-NEW-1 into it and out again (the carrier's figures end as the
two edits left them). The standard library only (urllib, json, base64).

Like QGIS 3.32+, it reads GET /conformance, asks OPTIONS on the collection's items and on a
feature for the methods allowed, and sends PATCH as application/merge-patch+json
({"properties": {…}}), PUT as the whole GeoJSON feature, POST a new feature and DELETE. Unlike
QGIS, every change carries If-Match with the feature's ETag, as the platform requires (QGIS sends
none: see the note printed at the end).

Prints one line "ok   …" per check passed; on the first failed check prints "FAIL …" with the
request, the status and the body, and exits 1 (2 for wrong arguments, 1 when the server cannot
be reached).
"""

import argparse
import base64
import json
import sys
import urllib.error
import urllib.request

PART4 = [
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
]
NEW_FIRM = "E-NEW-1"
NEW_FIRM_AREA = 50


class Answer:
    def __init__(self, method, path, status, headers, body, sent=None):
        self.method, self.path, self.status, self.headers, self.body, self.sent = method, path, status, headers, body, sent

    def header(self, name):
        return self.headers.get(name)

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def describe(self):
        """The exchange, for a failure message: request, status, the headers that matter, body."""
        lines = [f"  request: {self.method} {self.path}"]
        if self.sent is not None:
            text = self.sent.decode("utf-8", "replace")
            lines.append(f"  sent: {text[:600]}{'…' if len(text) > 600 else ''}")
        lines.append(f"  status: {self.status}")
        for name in ("ETag", "Allow", "Location", "Content-Type"):
            if self.header(name) is not None:
                lines.append(f"  {name}: {self.header(name)}")
        text = self.body.decode("utf-8", "replace")
        lines.append(f"  body: {text[:1500]}{'…' if len(text) > 1500 else ''}")
        return "\n".join(lines)


class Client:
    def __init__(self, base):
        self.base = base.rstrip("/")

    def request(self, method, path, login=None, body=None, headers=None, content_type="application/json"):
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/geo+json, application/json")
        if data is not None:
            request.add_header("Content-Type", content_type)
        if login is not None:
            token = base64.b64encode(login.encode("utf-8")).decode("ascii")
            request.add_header("Authorization", "Basic " + token)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return Answer(method, path, response.status, response.headers, response.read(), data)
        except urllib.error.HTTPError as error:
            return Answer(method, path, error.code, error.headers, error.read(), data)
        except (urllib.error.URLError, OSError) as error:
            print(f"FAIL {method} {path}: cannot reach the server at {self.base}: {error}", file=sys.stderr, flush=True)
            sys.exit(1)


def ok(message):
    print("ok   " + message, flush=True)


def fail(message, *answers):
    print("FAIL " + message, file=sys.stderr)
    for answer in answers:
        print(answer.describe(), file=sys.stderr)
    sys.stderr.flush()
    sys.exit(1)


def expect(answer, status, message):
    if answer.status != status:
        fail(f"{message}: expected status {status}, got {answer.status}", answer)
    return answer


def allowed(answer):
    return {m.strip().upper() for m in (answer.header("Allow") or "").split(",") if m.strip()}


def strong_etag(answer, what):
    """The version a strong ETag "N" names; fails on anything else."""
    tag = answer.header("ETag")
    if tag is None or tag.startswith("W/") or len(tag) < 3 or tag[0] != '"' or tag[-1] != '"' or not tag[1:-1].isdigit():
        fail(f"{what}: expected a strong ETag \"N\", got {tag!r}", answer)
    return int(tag[1:-1])


def login_arg(text):
    if ":" not in text or text.startswith(":"):
        raise argparse.ArgumentTypeError(f"'{text}' is not NAME:PASSWORD")
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="the platform server, e.g. http://127.0.0.1:18400")
    parser.add_argument("--operator", required=True, type=login_arg, help="an operator's NAME:PASSWORD")
    parser.add_argument("--own", required=True, help="a carrier the operator keeps")
    parser.add_argument("--other", required=True, help="a carrier another operator keeps")
    parser.add_argument("--bureau", required=True, type=login_arg, help="a bureau person's NAME:PASSWORD")
    args = parser.parse_args()

    http = Client(args.url)
    op, bureau = args.operator, args.bureau
    op_name = op.split(":", 1)[0]
    own = f"/collections/carriers/items/{args.own}"
    other = f"/collections/carriers/items/{args.other}"

    def read(path, login=op, what=None):
        """GET a feature: (its version from the strong ETag, its properties, the whole feature, the answer)."""
        answer = expect(http.request("GET", path, login), 200, f"GET {path}{' (' + what + ')' if what else ''}")
        feature = answer.json()
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            fail(f"GET {path}: the body is not a GeoJSON feature", answer)
        return strong_etag(answer, f"GET {path}"), feature["properties"], feature, answer

    def unchanged(path, version, properties, after):
        now_version, now, _, answer = read(path, what=f"after {after}")
        if now_version != version or now != properties:
            changed = {k: (properties.get(k), now.get(k)) for k in set(properties) | set(now) if properties.get(k) != now.get(k)}
            fail(f"{after}: {path} changed although nothing was to be written: ETag \"{version}\" → \"{now_version}\", "
                 f"properties changed (before, after): {changed}", answer)

    # 1. Conformance: Part 4's classes.
    answer = expect(http.request("GET", "/conformance", op), 200, "GET /conformance")
    classes = (answer.json() or {}).get("conformsTo") or []
    missing = [c for c in PART4 if c not in classes]
    if missing:
        fail(f"GET /conformance does not list Part 4's {', '.join(missing)}", answer)
    ok("GET /conformance lists Part 4's create-replace-delete, update and features")

    # 2. OPTIONS: what this person may do where.
    answer = expect(http.request("OPTIONS", own, op), 204, f"OPTIONS {own} as {op_name}")
    if not {"PUT", "PATCH"} <= allowed(answer):
        fail(f"OPTIONS {own} as the operator {op_name} does not allow PUT and PATCH on its own carrier", answer)
    ok(f"OPTIONS {own} as {op_name}: Allow {answer.header('Allow')}")
    answer = expect(http.request("OPTIONS", other, op), 204, f"OPTIONS {other} as {op_name}")
    if allowed(answer) != {"GET", "HEAD", "OPTIONS"}:
        fail(f"OPTIONS {other} (another operator's carrier) as {op_name}: expected only GET, HEAD, OPTIONS", answer)
    ok(f"OPTIONS {other} as {op_name}: Allow {answer.header('Allow')}")
    answer = expect(http.request("OPTIONS", "/collections/carriers/items", bureau), 204, "OPTIONS /collections/carriers/items as the bureau")
    if "POST" not in allowed(answer):
        fail("OPTIONS /collections/carriers/items as the bureau does not allow POST (QGIS then offers no editing)", answer)
    ok(f"OPTIONS /collections/carriers/items as the bureau: Allow {answer.header('Allow')}")
    operator_collection = allowed(http.request("OPTIONS", "/collections/carriers/items", op))

    # 3. GET → strong ETag; PATCH with If-Match → 204 and ETag N+1; the figures follow.
    version, before, feature, answer = read(own)
    ok(f"GET {own}: strong ETag \"{version}\"")
    area, vacant = before.get("floor_area_m2"), before.get("vacant_m2")
    if not all(isinstance(v, (int, float)) for v in (area, vacant)):
        fail(f"GET {own}: floor_area_m2 and vacant_m2 are not numbers", answer)
    x = vacant + 17 if vacant + 17 <= area else vacant - 17
    if x < 2 * NEW_FIRM_AREA:  # leave room for the firm moved in below
        x = min(area, 2 * NEW_FIRM_AREA + 17)
    if x == vacant or x < NEW_FIRM_AREA:
        fail(f"carrier {args.own} (floor area {area} m², {vacant} m² vacant) leaves no room for the test's edits: choose another --own")
    patch = {"properties": {"vacant_m2": x}}
    answer = http.request("PATCH", own, op, patch, {"If-Match": f'"{version}"'}, "application/merge-patch+json")
    expect(answer, 204, f"PATCH {own} with If-Match \"{version}\"")
    if strong_etag(answer, f"PATCH {own}") != version + 1:
        fail(f"PATCH {own}: expected ETag \"{version + 1}\"", answer)
    ok(f"PATCH {own} vacant_m2 {vacant} → {x} with If-Match \"{version}\": 204, ETag \"{version + 1}\"")
    now_version, now, _, answer = read(own, what="after the PATCH")
    if now_version != version + 1 or now.get("vacant_m2") != x or now.get("occupied_m2") != area - x:
        fail(f"GET {own} after the PATCH: expected ETag \"{version + 1}\", vacant_m2 {x}, occupied_m2 {area - x} "
             f"(floor_area_m2 {area} − vacant_m2); got ETag \"{now_version}\", vacant_m2 {now.get('vacant_m2')}, occupied_m2 {now.get('occupied_m2')}", answer)
    ok(f"GET {own}: vacant_m2 {x}, occupied_m2 {now['occupied_m2']} = floor_area_m2 {area} − {x}")
    version, before = now_version, now

    # 4. The same PATCH on the old ETag → 412 with the current feature and ETag; nothing written.
    stale = version - 1
    answer = http.request("PATCH", own, op, {"properties": {"vacant_m2": x - 1}}, {"If-Match": f'"{stale}"'}, "application/merge-patch+json")
    expect(answer, 412, f"PATCH {own} with the stale If-Match \"{stale}\"")
    if strong_etag(answer, f"412 of PATCH {own}") != version:
        fail(f"412 of PATCH {own}: expected the current ETag \"{version}\"", answer)
    body = answer.json() or {}
    current = body.get("feature") if isinstance(body.get("feature"), dict) else None
    if current is None or current.get("id") != args.own or (current.get("properties") or {}).get("vacant_m2") != x:
        fail(f"412 of PATCH {own}: expected the current feature (id {args.own}, vacant_m2 {x}) in the body", answer)
    unchanged(own, version, before, f"the stale PATCH (If-Match \"{stale}\")")
    ok(f"PATCH {own} with the stale If-Match \"{stale}\": 412, ETag \"{version}\", the current feature in the body, nothing written")

    # 5. Without If-Match → 428.
    answer = http.request("PATCH", own, op, {"properties": {"vacant_m2": x - 1}}, None, "application/merge-patch+json")
    expect(answer, 428, f"PATCH {own} without If-Match")
    unchanged(own, version, before, "the PATCH without If-Match")
    ok(f"PATCH {own} without If-Match: 428, nothing written")

    # 6. PUT of the whole feature as GET returned it, with the rent changed.
    _, _, feature, _ = read(own)
    rent_key = "rent_yuan_per_m2_month"
    if rent_key not in feature["properties"]:
        fail(f"GET {own}: no property {rent_key}")
    rent = feature["properties"][rent_key]
    new_rent = (rent or 0) + 5
    put = json.loads(json.dumps(feature))
    put["properties"][rent_key] = new_rent
    answer = http.request("PUT", own, op, put, {"If-Match": f'"{version}"'}, "application/geo+json")
    expect(answer, 204, f"PUT {own} (the feature as GET gave it, {rent_key} {rent} → {new_rent})")
    if strong_etag(answer, f"PUT {own}") != version + 1:
        fail(f"PUT {own}: expected ETag \"{version + 1}\"", answer)
    now_version, now, _, answer = read(own, what="after the PUT")
    others = {k: (before.get(k), now.get(k)) for k in set(before) | set(now) if k != rent_key and before.get(k) != now.get(k)}
    if now_version != version + 1 or now.get(rent_key) != new_rent or others:
        fail(f"GET {own} after the PUT: expected ETag \"{version + 1}\", {rent_key} {new_rent} and no other property changed; "
             f"got ETag \"{now_version}\", {rent_key} {now.get(rent_key)}, other changes (before, after): {others}", answer)
    ok(f"PUT {own} (the whole feature, {rent_key} {rent} → {new_rent}): 204, ETag \"{version + 1}\", no other property changed")
    version, before = now_version, now

    # 7. Another operator's carrier, with its correct ETag → 403, nothing written.
    other_version, other_before, _, _ = read(other)
    answer = http.request("PATCH", other, op, {"properties": {"vacant_m2": 0}}, {"If-Match": f'"{other_version}"'}, "application/merge-patch+json")
    expect(answer, 403, f"PATCH {other} (another operator's carrier) as {op_name} with its ETag \"{other_version}\"")
    unchanged(other, other_version, other_before, f"the PATCH of {other} by {op_name}")
    ok(f"PATCH {other} (another operator's) with its ETag \"{other_version}\": 403, nothing written")

    # 8. A weak ETag → 412.
    answer = http.request("PATCH", own, op, {"properties": {"vacant_m2": x - 1}}, {"If-Match": f'W/"{version}"'}, "application/merge-patch+json")
    expect(answer, 412, f"PATCH {own} with the weak If-Match W/\"{version}\"")
    unchanged(own, version, before, "the PATCH with a weak ETag")
    ok(f"PATCH {own} with the weak If-Match W/\"{version}\": 412, nothing written")

    # 9. A wrong password → 401.
    answer = http.request("PATCH", own, op_name + ":not the password", {"properties": {"vacant_m2": x - 1}},
                          {"If-Match": f'"{version}"'}, "application/merge-patch+json")
    expect(answer, 401, f"PATCH {own} with a wrong password")
    unchanged(own, version, before, "the PATCH with a wrong password")
    ok(f"PATCH {own} with a wrong password: 401, nothing written")

    # 10. A malformed JSON body → 400.
    answer = http.request("PATCH", own, op, b'{"properties": {"vacant_m2": 1', {"If-Match": f'"{version}"'}, "application/merge-patch+json")
    expect(answer, 400, f"PATCH {own} with a malformed JSON body")
    unchanged(own, version, before, "the PATCH with a malformed body")
    ok(f"PATCH {own} with a malformed JSON body: 400, nothing written")

    # 11. A new firm moves into the operator's carrier (POST), then leaves (DELETE with its ETag).
    occupied = before["occupied_m2"]
    firm = {"type": "Feature", "id": NEW_FIRM, "geometry": None, "properties": {
        "id": NEW_FIRM, "name": "Scripted OAPIF client firm", "sector": "ai", "employees": 5,
        "floor_area_m2": NEW_FIRM_AREA, "carrier_id": args.own}}
    answer = http.request("POST", "/collections/enterprises/items", op, firm, None, "application/geo+json")
    expect(answer, 201, f"POST /collections/enterprises/items ({NEW_FIRM} into {args.own}) as {op_name}")
    location = answer.header("Location")
    if not location or not location.rstrip("/").endswith(f"/collections/enterprises/items/{NEW_FIRM}"):
        fail(f"POST /collections/enterprises/items: expected a Location ending in /collections/enterprises/items/{NEW_FIRM}", answer)
    ok(f"POST /collections/enterprises/items ({NEW_FIRM}, {NEW_FIRM_AREA} m², into {args.own}): 201, Location {location}")
    now_version, now, _, answer = read(own, what="after the firm moved in")
    if now.get("occupied_m2") != occupied + NEW_FIRM_AREA or now.get("vacant_m2") != before["vacant_m2"] - NEW_FIRM_AREA or now_version != version + 1:
        fail(f"GET {own} after {NEW_FIRM} moved in: expected occupied_m2 {occupied} + {NEW_FIRM_AREA}, vacant_m2 {before['vacant_m2']} − {NEW_FIRM_AREA}, "
             f"ETag \"{version + 1}\"; got occupied_m2 {now.get('occupied_m2')}, vacant_m2 {now.get('vacant_m2')}, ETag \"{now_version}\"", answer)
    ok(f"GET {own}: occupied_m2 {occupied} → {now['occupied_m2']} (+{NEW_FIRM_AREA}), ETag \"{now_version}\"")
    version = now_version
    firm_path = location if location.startswith("/") else location[location.index("/collections/"):]
    firm_version, firm_properties, _, _ = read(firm_path, what=f"the new firm {NEW_FIRM}")
    if firm_properties.get("floor_area_m2") != NEW_FIRM_AREA or firm_properties.get("sector") != "ai":
        fail(f"GET {firm_path}: expected floor_area_m2 {NEW_FIRM_AREA} and sector ai, got {firm_properties}")
    answer = http.request("DELETE", firm_path, op, None, {"If-Match": f'"{firm_version}"'})
    expect(answer, 204, f"DELETE {firm_path} with If-Match \"{firm_version}\"")
    ok(f"DELETE {firm_path} with If-Match \"{firm_version}\": 204")
    answer = http.request("GET", firm_path, op)
    expect(answer, 404, f"GET {firm_path} after the DELETE")
    now_version, now, _, answer = read(own, what=f"after {NEW_FIRM} left")
    if now.get("occupied_m2") != occupied or now_version != version + 1:
        fail(f"GET {own} after {NEW_FIRM} left: expected occupied_m2 back at {occupied}, ETag \"{version + 1}\"; "
             f"got occupied_m2 {now.get('occupied_m2')}, ETag \"{now_version}\"", answer)
    ok(f"GET {own}: occupied_m2 back at {occupied}, ETag \"{now_version}\"; {firm_path} is gone (404)")

    print("PASS: every check of docs/platform.md's Part 4 editing held", flush=True)
    if "POST" not in operator_collection:
        print(f"note: OPTIONS /collections/carriers/items as {op_name} allows {', '.join(sorted(operator_collection))}, no POST: "
              "QGIS's OAPIF provider asks this first and offers no editing of carriers to the operator at all; "
              "and QGIS sends no If-Match with its PUT and PATCH, which this server answers with 428", flush=True)


if __name__ == "__main__":
    main()
