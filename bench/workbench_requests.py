"""Times the workbench's answers to what a planner's page asks, against a running
`spaceplan serve`: a district-wide view (the generalised layers), a street-level view (every
footprint in it) and a building click (the inspector and the OGC feature). Prints one markdown
table row per request: the median of REPEAT runs of the wall time on loopback, and the size.
Each LABEL is a first column of every row (workbench.sh gives the size and the source: files
or store).

    python3 bench/workbench_requests.py [--repeat REPEAT] URL LABEL [LABEL...]

Against `serve --store`, the server must be started with --public-read: the requests carry no
login.
"""
import argparse
import json
import math
import statistics
import time
import urllib.request


def fetch(url):
    start = time.perf_counter()
    with urllib.request.urlopen(url) as r:
        body = r.read()
    return time.perf_counter() - start, body


def timed(url, repeat):
    times, body = [], b""
    for _ in range(repeat):
        t, body = fetch(url)
        times.append(t)
    return statistics.median(times) * 1000, body


def main():
    parser = argparse.ArgumentParser(description="Times the workbench's answers to the page's requests.")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each request; the median is shown (default 5)")
    parser.add_argument("url")
    parser.add_argument("labels", nargs="+", metavar="LABEL")
    args = parser.parse_args()
    base, label, repeat = args.url.rstrip("/"), " | ".join(args.labels), args.repeat
    config = json.loads(fetch(base + "/api/config")[1])
    x0, y0, x1, y1 = config["district_bbox"]
    # The page's map is about 684 × 495 px at 1280×800; metres per pixel as Leaflet sees them.
    metres_per_degree = 111_320 * math.cos(math.radians((y0 + y1) / 2))
    district_mpp = (x1 - x0) * metres_per_degree / 684
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    # A street-level view: 1 km × 700 m around the district's centre (zoom 16-17).
    hx, hy = 500 / metres_per_degree, 350 / 110_574
    street = f"{cx - hx:.6f},{cy - hy:.6f},{cx + hx:.6f},{cy + hy:.6f}"
    district = f"{x0:.6f},{y0:.6f},{x1:.6f},{y1:.6f}"
    requests = [
        ("district view: buildings", f"/api/layers/buildings?bbox={district}&mpp={district_mpp:.3f}"),
        ("district view: enterprises", f"/api/layers/enterprises?bbox={district}&mpp={district_mpp:.3f}"),
        ("district view: carriers", "/api/layers/carriers"),
        ("street view: buildings", f"/api/layers/buildings?bbox={street}&mpp=1.5"),
        ("street view: OGC items", f"/collections/buildings/items?bbox={street}&limit=10000"),
    ]
    rows = []
    answers = {}
    for name, path in requests:
        ms, body = timed(base + path, repeat)
        doc = json.loads(body)
        answers[name] = doc
        shown = len(doc.get("features", []))
        what = f"{shown:,} cells of {doc['numberMatched']:,}" if doc.get("generalised") else f"{shown:,} features"
        rows.append((name, what, ms, len(body)))
    street_features = answers["street view: buildings"]["features"] or answers["district view: carriers"]["features"]
    building = street_features[len(street_features) // 2]["id"]
    for name, path in [("building click: inspector", f"/api/buildings/{building}"),
                       ("building click: OGC feature", f"/collections/buildings/items/{building}")]:
        ms, body = timed(base + path, repeat)
        rows.append((name, building, ms, len(body)))
    for name, what, ms, size in rows:
        print(f"| {label} | {name} | {what} | {ms:,.1f} | {size / 1024:,.1f} |")


if __name__ == "__main__":
    main()
