#!/usr/bin/env bash
# The suite leaves the temporary folder as it found it. Builds the tests, then runs them with
# `swift test --skip-build` (the README's test command, the same tests; arguments are passed on,
# e.g. --filter) with TMPDIR set to a new, empty folder, and fails if the tests fail or if
# anything of the project's is left in that folder: Foundation's temporaryDirectory follows
# TMPDIR, as do the spaceplan processes the tests start, and each must remove what it makes.
#
# SwiftPM itself leaves its own entries in TMPDIR on every run, whatever the tests do: its lock
# files (_root_.swiftpm.lock, _root_.cache_org.swift.swiftpm_manifests_manifest.db.lock and
# _<path of .build>…lock, empty) and TemporaryDirectory.XXXXXX folders holding only
# .keep-directory. Those are the toolchain's, counted and listed here, and not a failure.
# Usage: scripts/tmp-check.sh [swift test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spaceplan-tmp-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
set +e
TMPDIR="$tmp" swift test --skip-build "$@"
status=$?
set -e

toolchain=() project=()
for path in "$tmp"/* "$tmp"/.[!.]*; do
  [ -e "$path" ] || continue
  name=$(basename "$path")
  if [[ -f "$path" && ! -s "$path" && "$name" == _*.lock ]]; then
    toolchain+=("$name")
  elif [[ -d "$path" && "$name" == TemporaryDirectory.* && "$(ls -A "$path")" == ".keep-directory" ]]; then
    toolchain+=("$name")
  else
    project+=("$name")
  fi
done
if [ "${#toolchain[@]}" -gt 0 ]; then
  echo "tmp-check: ${#toolchain[@]} entries of SwiftPM's own (lock files, TemporaryDirectory.*), not the project's: ${toolchain[*]}"
fi
if [ "${#project[@]}" -gt 0 ]; then
  echo "tmp-check: the suite left ${#project[@]} entries in the temporary folder:"
  printf '%s\n' "${project[@]}" | sed -E 's/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/<uuid>/g' \
    | sort | uniq -c | sort -rn
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "tmp-check: the tests failed (exit $status)"
  exit "$status"
fi
echo "tmp-check: the temporary folder is as the suite found it"
