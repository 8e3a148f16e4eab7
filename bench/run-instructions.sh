#!/usr/bin/env bash
# Instructions of one `rkt run` (fly stage1, image already in the store, /bin/true), counted by
# valgrind's callgrind: unlike run-latency.sh's clocks they do not depend on the machine's load,
# so two builds compare on a busy machine. Counting stops at the stage1's chroot(2): what fly does
# after it (credentials, execve of the app) and the app are left out, alike for every build.
# Prints the count of each of R runs (default 3) and their median; with RKT_OLD=/path/to/other/rkt
# the same for that build (its own data directory, same image) and the ratio new/old.
# Needs root and valgrind. Environment: RKT (the rkt binary), RKT_OLD, R, BENCH_WORK (keep the
# work directory there).
set -eu
R=${R:-3}
# shellcheck source=bench/pod_bench_lib.sh
. "$(dirname "$0")/pod_bench_lib.sh"
command -v valgrind >/dev/null || { echo "run-instructions: valgrind is not installed" >&2; exit 77; }
bench_start run-instructions "$@"

# The counts of R runs of BINARY, one a line. The first run renders the tree and is not counted.
count() { # NAME BINARY
  local name=$1 rkt=$2 data=$W/data-$1 img i out
  img=$(bench_fetch "$rkt" "$data")
  "$rkt" --dir="$data" run "$img" --exec /bin/true >/dev/null 2>&1
  for ((i = 0; i < R; i++)); do
    out=$W/callgrind.$name.$i
    # Dump before fly's chroot: after it the output path would resolve inside the app's root.
    valgrind --tool=callgrind --vgdb=no --dump-before=chroot --callgrind-out-file="$out" \
      "$rkt" --dir="$data" run "$img" --exec /bin/true >/dev/null 2>"$out.log" ||
      { echo "run-instructions: valgrind $rkt run failed (see $out.log)" >&2; exit 1; }
    [ -s "$out.1" ] || { echo "run-instructions: no chroot reached in $rkt run (see $out.log)" >&2; exit 1; }
    awk '/^summary:/ {print $2; exit}' "$out.1"
  done
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

count new "$RKT" >"$W/counts.new"
mapfile -t new <"$W/counts.new"
m_new=$(printf '%s\n' "${new[@]}" | median)
echo "instructions of one rkt run (callgrind, up to fly's chroot), $R runs:"
echo "  this build ($RKT): ${new[*]}; median $m_new"
if [ -n "$RKT_OLD" ]; then
  count old "$RKT_OLD" >"$W/counts.old"
  mapfile -t old <"$W/counts.old"
  m_old=$(printf '%s\n' "${old[@]}" | median)
  echo "  RKT_OLD ($RKT_OLD): ${old[*]}; median $m_old"
  awk -v n="$m_new" -v o="$m_old" 'BEGIN {printf "  new/old = %.4fx (%+d instructions)\n", n / o, n - o}'
fi
