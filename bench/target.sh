#!/usr/bin/env bash
# The path-to-target programme at scale: `spaceplan target` on generated districts, one line a
# size with the candidates, the solver, the time and the gap to the solver's bound.
#
#   bench/target.sh [sizes...]        default: 3000 15000 500000 buildings
#
# Districts go to bench/data/N (generated once, reused), outputs to bench/out/target-N. A
# generated district's stock grows with its size, so each run's targets are the policy's scaled
# by N / 3000 (the sample's size), bench/out/policy-N.json, and so is the yearly budget.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(3000 15000 500000)
if [ -z "${SPACEPLAN:-}" ]; then swift build -c release >/dev/null; SPACEPLAN=.build/release/spaceplan; fi
mkdir -p bench/data bench/out
echo "| buildings | candidates | solver | reaches targets | discounted cost yuan | gap to bound | solve s | whole run s |"
echo "|---:|---:|---|---|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  data=bench/data/$n
  [ -f "$data/layers.json" ] || "$SPACEPLAN" generate --seed 7 --buildings "$n" --out "$data" >/dev/null
  python3 - "$n" <<'PY'
import json, sys
n = int(sys.argv[1])
policy = json.load(open("GIS/config/policy.json"))
targets = policy["tech_cultivation_targets"]
for m in [targets["baseline"]] + targets["milestones"] + targets.get("alternative_baselines", []):
    m["floor_area_m2"] = round(m["floor_area_m2"] * n / 3000)
json.dump(policy, open(f"bench/out/policy-{n}.json", "w"), ensure_ascii=False, indent=1)
PY
  start=$(date +%s.%N)
  "$SPACEPLAN" target --data "$data" --out "bench/out/target-$n" --config "bench/out/policy-$n.json" --rules GIS/config/renewal.json \
    --positive-lists GIS/config/positive_lists.json --buildout GIS/config/buildout.json --force \
    --budget "$(python3 -c "import json; print(json.load(open('GIS/config/buildout.json'))['programme']['value']['budget_yuan_per_year']['default'] * $n / 3000)")" >/dev/null
  end=$(date +%s.%N)
  python3 - "$n" "bench/out/target-$n/target.json" "$start" "$end" <<'PY'
import json, sys
n, path, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
t = json.load(open(path))
gap = "proved" if t["proven_optimal"] else ("–" if t["gap"] is None else f'{t["gap"] * 100:.3f} %')
print(f'| {int(n):,} | {t["candidates"]:,} | {t["solver"]} | {"yes" if t["reaches_every_target"] else "no"} | {t["discounted_cost_yuan"]:,.0f} | {gap} | {t["seconds"]:.2f} | {end - start:.1f} |')
PY
done
