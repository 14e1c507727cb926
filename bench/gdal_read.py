#!/usr/bin/env python3
"""Read vector layers with pyogrio into GeoDataFrames, for bench/gdal.sh (the reference read).

    python3 bench/gdal_read.py [--arrow] FILE [LAYER ...]

Reads each LAYER of FILE (the only layer when none is named) with `pyogrio.read_dataframe`,
through GDAL's Arrow stream with --arrow (`use_arrow=True`, needs pyarrow). Prints the feature
count of each layer, and the read time (without Python's start-up and imports) on stderr.
Exits 3 when --arrow is asked for and pyarrow is missing.
"""

import time

T0 = time.perf_counter()

import sys  # noqa: E402

import pyogrio  # noqa: E402


def main():
    args = sys.argv[1:]
    arrow = "--arrow" in args
    args = [a for a in args if a != "--arrow"]
    if not args:
        sys.exit(__doc__)
    if arrow:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            print("gdal_read: --arrow needs pyarrow (pip install pyarrow)", file=sys.stderr)
            sys.exit(3)
    path, layers = args[0], args[1:] or [None]
    start = time.perf_counter()
    for layer in layers:
        df = pyogrio.read_dataframe(path, layer=layer, use_arrow=arrow)
        print(f"{layer or path}: {len(df)} features, {len(df.columns) - 1} fields")
    done = time.perf_counter()
    print(f"imports {start - T0:.2f} s, read {done - start:.2f} s (use_arrow={arrow}, pyogrio {pyogrio.__version__}, "
          f"GDAL {pyogrio.__gdal_version_string__})", file=sys.stderr)


if __name__ == "__main__":
    main()
