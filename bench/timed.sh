# Shared by the benchmarks: source it after setting LOGS (the folder for the logs).

# timed NAME CMD...: runs CMD under /usr/bin/time -v; sets rc, wall (s), cpu (user + sys s, summed
# over all cores: above wall when CMD ran in parallel) and rss (MB).
timed() {
  local name=$1; shift
  rc=0
  /usr/bin/time -v -o "$LOGS/$name.time" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err" || rc=$?
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0
           for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s }' "$LOGS/$name.time")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$LOGS/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$LOGS/$name.time")
}
