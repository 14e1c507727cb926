#!/usr/bin/env bash
# Redraws everything in Maps/ from the shipped data: each command writes its own output set
# under out/maps-*, and the maps are copied from there (an output set replaces its folder whole,
# so Maps/, which gathers several commands' maps, is never a command's --out).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release
sp=.build/release/spaceplan
out=out/maps-regenerate
"$sp" map --data GIS/sample --out "$out/themes"
"$sp" map --data GIS/futian-real --out "$out/futian" --theme landuse
"$sp" renewal evaluate --data GIS/sample --proposals GIS/sample/proposals.geojson --out "$out/renewal"
"$sp" supply --data GIS/sample --out "$out/supply" --scenario GIS/sample/scenarios/renewal-only.json \
  --scenario GIS/sample/scenarios/rent-buy-convert-build.json --scenario GIS/sample/scenarios/flexible-land.json
"$sp" allocate --data GIS/sample --demand GIS/sample/demand.csv --out "$out/allocation"
mkdir -p Maps/futian-real Maps/renewal
cp "$out"/themes/*.svg Maps/
cp "$out"/futian/*.svg Maps/futian-real/
cp "$out"/renewal/maps/CGM-02-A-*.svg Maps/renewal/
cp "$out"/supply/supply.svg "$out"/allocation/allocation.svg Maps/
if command -v rsvg-convert >/dev/null; then
  rsvg-convert -w 1200 -o Maps/space.png Maps/space.svg
  rsvg-convert -w 1200 -o Maps/allocation.png Maps/allocation.svg
  rsvg-convert -w 1400 -o Maps/futian-real/landuse.png Maps/futian-real/landuse.svg
fi
echo "Maps/ redrawn from $out"
