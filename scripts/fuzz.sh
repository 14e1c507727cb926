#!/usr/bin/env bash
# Fuzzes the readers with libFuzzer (and AddressSanitizer), each target for SECONDS:
#   scripts/fuzz.sh TARGET|all SECONDS [libFuzzer option…]
# Targets: geojson (GeoJSON.read, GeoJSONLayerReader, the checked polygon loader), csv (CSV.read,
# the firm-row fast path, carriers, enterprises, demand), manifest (layers.json), config (the six
# configuration decoders), wkb (the WKB reader GDAL's geometries go through, and the GBK/GB18030
# text decoder). Built into .build-fuzz; the working corpus grows in
# .build-fuzz/corpus/TARGET, seeded from Fuzz/corpus/TARGET (small slices of GIS/sample) and
# Fuzz/regressions/TARGET (every input that once crashed a reader, kept so none comes back).
# A crash, trap, leak or timeout is written to .build-fuzz/crashes/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."

all=(geojson csv manifest config wkb)
if [ $# -lt 2 ]; then echo "usage: scripts/fuzz.sh TARGET|all SECONDS [libFuzzer option…] (targets: ${all[*]})" >&2; exit 2; fi
target=$1 seconds=$2
shift 2
if [ "$target" = all ]; then targets=("${all[@]}"); else targets=("$target"); fi
for t in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (targets: ${all[*]})" >&2; exit 2; }
done

# The fuzz targets exist in Package.swift only with SPACEPLAN_FUZZ set; every module is built
# with coverage instrumentation and AddressSanitizer; -enable-testing lets the CSV target call
# the layer loaders directly.
build=(swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing)
for t in "${targets[@]}"; do
  SPACEPLAN_FUZZ=1 "${build[@]}" --product "fuzz-$t" 2>&1 | grep -E "error|Compiling|Build" | grep -v "^\[" || true
  [ -x ".build-fuzz/release/fuzz-$t" ] || { echo "fuzz.sh: could not build fuzz-$t" >&2; exit 1; }
done

mkdir -p .build-fuzz/crashes
# Each target writes its file inputs to a scratch folder of its own under TMPDIR, and libFuzzer
# ends the process without cleaning up: give them a temporary folder that goes at the end.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
summary=()
for t in "${targets[@]}"; do
  corpus=.build-fuzz/corpus/$t
  mkdir -p "$corpus" "Fuzz/regressions/$t"
  dict=Fuzz/dict/json.dict; [ "$t" = csv ] && dict=Fuzz/dict/csv.dict
  # A few times the largest seed: larger inputs add rows, not new paths, and run slower.
  case "$t" in csv) max_len=8192 ;; manifest|wkb) max_len=4096 ;; *) max_len=16384 ;; esac
  log=.build-fuzz/fuzz-$t.log
  before=$(ls .build-fuzz/crashes | grep -c "^$t-" || true)
  set +e
  # One thread (SPACEPLAN_THREADS) so that each input runs the same way every time.
  TMPDIR=$scratch SPACEPLAN_ROOT=$PWD SPACEPLAN_THREADS=1 \
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0" \
    ".build-fuzz/release/fuzz-$t" "$corpus" "Fuzz/corpus/$t" "Fuzz/regressions/$t" \
      -dict="$dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
      -artifact_prefix=".build-fuzz/crashes/$t-" -print_final_stats=1 "$@" >"$log" 2>&1
  status=$?
  set -e
  runs=$(grep -o "stat::number_of_executed_units: *[0-9]*" "$log" | grep -o "[0-9]*$" || echo 0)
  last=$(grep -E "^#[0-9]+" "$log" | tail -n 1)
  cov=$(echo "$last" | grep -o "cov: [0-9]*" | grep -o "[0-9]*" || echo "?")
  ft=$(echo "$last" | grep -o "ft: [0-9]*" | grep -o "[0-9]*" || echo "?")
  after=$(ls .build-fuzz/crashes | grep -c "^$t-" || true)
  crashes=$((after - before))
  line="fuzz-$t: ${seconds} s, $runs executions, cov $cov, ft $ft, corpus $(ls "$corpus" | wc -l) units, crashes $crashes"
  summary+=("$line")
  if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    failed=1
    grep -E "ERROR|SUMMARY|Fatal error|Test unit written" "$log" | head -n 8
    echo "fuzz-$t: FAILED (exit $status); log in $log, input in .build-fuzz/crashes/"
  fi
done
printf '%s\n' "${summary[@]}"
exit "$failed"
