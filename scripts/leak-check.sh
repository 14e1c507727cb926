#!/usr/bin/env bash
# Runs the test suite (geometry layer and all) under AddressSanitizer + LeakSanitizer and
# fails if any leak is reported. Usage: scripts/leak-check.sh [--filter REGEX]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests --sanitize=address --scratch-path .build-asan
binary=$(ls -d .build-asan/debug/*PackageTests.xctest | head -n 1)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0" \
  "$binary" --testing-library swift-testing "$@" >"$log" 2>&1
status=$?
set -e
# (A run that printed no result line, a crash at start, goes on to the report below, not out silently.)
{ grep -E "Test run|passed|failed" "$log" || true; } | tail -n 3
if grep -q "ERROR: LeakSanitizer" "$log"; then
  grep -A30 "ERROR: LeakSanitizer" "$log"
  echo "leak-check: LEAKS FOUND"
  exit 1
fi
if [ "$status" -ne 0 ]; then
  # Every failed expectation with the line after it (the values), then the end of the run.
  grep -A3 "recorded an issue" "$log" | head -n 80 || true
  tail -n 20 "$log"
  echo "leak-check: tests failed under the sanitizer (exit $status)"
  exit "$status"
fi
echo "leak-check: 0 leaks"
