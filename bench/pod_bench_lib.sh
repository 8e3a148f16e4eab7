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
# environment, so a script computes its defaults (N=${N:-31}) the same way in both. That run
# also happens in cgroups of its own (bench_cgroup), removed when it ends.

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
  bench_cgroup "$name"
  ACI=$W/busybox.aci
  [ -f "$ACI" ] ||
    "$SRC/tests/fixtures/make-busybox-aci.sh" "$ACI" example.com/busybox 1.0.0 /bin/true >/dev/null
}

# The image ID of ACI in DATA, fetched there by RKT (each build its own data directory: two
# builds may not share a store format).
bench_fetch() { # RKT DATA
  "$1" --dir="$2" --insecure-options=image fetch --full "$ACI" 2>/dev/null | tail -n1
}

# bench_cgroup NAME: moves this shell, and so every runtime it starts, into a cgroup of its own
# in the hierarchies systemd-nspawn puts its `payload` and `supervisor` cgroups in (name=systemd
# and cgroup v2): with --keep-unit nspawn makes them below its caller's cgroup, and a bench run
# from the root cgroup would leave them there. At exit the shell moves back and the cgroups are
# removed, deepest first, with rmdir only (nothing that still has processes goes).
BENCH_CGROUPS=()
bench_cgroup() { # NAME
  local mount field own dir
  for mount in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified /sys/fs/cgroup; do
    case $(stat -f -c %T "$mount" 2>/dev/null) in
      cgroup2fs) field=0: ;;
      cgroupfs) [ "$mount" = /sys/fs/cgroup/systemd ] || continue; field=name=systemd ;;
      *) continue ;;
    esac
    own=$(awk -F: -v f="$field" '$1 ":" $2 == f || $2 == f {print $3; exit}' /proc/self/cgroup)
    own=${own%/}
    dir=$mount$own/rkt-bench-$1-$$
    mkdir "$dir" || continue
    BENCH_CGROUPS+=("$mount$own" "$dir")
    echo $$ >"$dir/cgroup.procs"
  done
  trap bench_cgroup_remove EXIT
}
bench_cgroup_remove() {
  local i
  # run-latency.sh hides the v2 hierarchy from crun (a tmpfs over it in this namespace): uncover
  # it (a hierarchy chosen above was cgroup2 then, so a tmpfs there now is the bench's own).
  if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = tmpfs ]; then
    umount /sys/fs/cgroup/unified || true
  fi
  for ((i = 0; i < ${#BENCH_CGROUPS[@]}; i += 2)); do
    echo $$ >"${BENCH_CGROUPS[i]}/cgroup.procs" || true
    find "${BENCH_CGROUPS[i + 1]}" -depth -type d -exec rmdir {} + 2>/dev/null ||
      echo "bench: cannot remove cgroup ${BENCH_CGROUPS[i + 1]}" >&2
  done
}
