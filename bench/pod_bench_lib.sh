# shellcheck shell=bash
# What the pod benchmarks (run-latency.sh, run-instructions.sh) share; sourced, not run.
#
#   . "$(dirname "$0")/pod_bench_lib.sh"
#   bench_start run-latency "$@"     # the script's name, for messages and its temp directory
#
# After bench_start the script runs again as root in a private mount namespace (nothing the pods
# mount reaches the host), with SRC (the source tree), RKT and RKT_OLD (the rkt builds; RKT_OLD
# may be empty), W (the work directory: BENCH_WORK, else a temporary one removed afterwards) and
# ACI (a busybox image whose app is /bin/true). Settings reach the second run through the
# environment, so a script computes its defaults (N=${N:-31}) the same way in both.

bench_start() { # NAME ARGS...
  local name=$1 w rc=0
  shift
  [ "$(id -u)" -eq 0 ] || { echo "$name: needs root" >&2; exit 77; }
  [ -x /bin/busybox ] || { echo "$name: busybox-static is not installed" >&2; exit 77; }
  SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  RKT=${RKT:-$SRC/build/bin/rkt}
  RKT_OLD=${RKT_OLD:-}
  [ -z "$RKT_OLD" ] || [ -x "$RKT_OLD" ] ||
    { echo "$name: RKT_OLD \`$RKT_OLD\` is not executable" >&2; exit 1; }
  if [ -z "${RKT_BENCH_IN_NS:-}" ]; then
    w=${BENCH_WORK:-$(mktemp -d "/tmp/rkt-bench-$name.XXXXXX")}
    RKT_BENCH_IN_NS=1 BENCH_WORK=$w unshare -m --propagation private bash "$0" "$@" || rc=$?
    [ -n "${BENCH_WORK:-}" ] || rm -rf "$w"
    exit "$rc"
  fi
  W=$BENCH_WORK
  mkdir -p "$W"
  ACI=$W/busybox.aci
  [ -f "$ACI" ] ||
    "$SRC/tests/fixtures/make-busybox-aci.sh" "$ACI" example.com/busybox 1.0.0 /bin/true >/dev/null
}

# The image ID of ACI in DATA, fetched there by RKT (each build its own data directory: two
# builds may not share a store format).
bench_fetch() { # RKT DATA
  "$1" --dir="$2" --insecure-options=image fetch --full "$ACI" 2>/dev/null | tail -n1
}
