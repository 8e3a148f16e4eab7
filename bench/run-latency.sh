#!/usr/bin/env bash
# Pod start latency: `rkt run` (fly stage1, image already in the store, /bin/true) against
# `crun run` of an OCI bundle on the same busybox rootfs, with `chroot ROOTFS /bin/true` as the
# floor. Prints the median of N runs (default 31) for each and the ratios, plus the CPU time per
# run. Needs root, busybox-static and crun (make bench-deps). Environment: RKT (the rkt binary),
# N, BENCH_WORK (keep the work directory there). Neither runtime uses cgroups (fly has none).
set -eu
[ "$(id -u)" -eq 0 ] || { echo "run-latency: needs root" >&2; exit 77; }
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
RKT=${RKT:-$SRC/build/bin/rkt}
N=${N:-31}
command -v crun >/dev/null || { echo "run-latency: crun is not installed (make deps)" >&2; exit 77; }
[ -x /bin/busybox ] || { echo "run-latency: busybox-static is not installed" >&2; exit 77; }

# The whole benchmark runs in a private mount namespace: nothing it mounts reaches the host.
if [ -z "${RKT_BENCH_IN_NS:-}" ]; then
  W=${BENCH_WORK:-$(mktemp -d /tmp/rkt-bench-run.XXXXXX)}
  rc=0
  RKT_BENCH_IN_NS=1 BENCH_WORK=$W RKT=$RKT N=$N unshare -m --propagation private bash "$0" "$@" || rc=$?
  [ -n "${BENCH_WORK:-}" ] || rm -rf "$W"
  exit "$rc"
fi
W=$BENCH_WORK
mkdir -p "$W"

# crun refuses cgroup "hybrid" mode (v1 controllers plus a v2 hierarchy with controllers). Both
# runtimes run without cgroups here (fly has none; crun with --cgroup-manager=disabled), so hide
# the v2 hierarchy in this private namespace only.
if [ -d /sys/fs/cgroup/unified ] && [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
  mount -t tmpfs none /sys/fs/cgroup/unified
fi

DATA=$W/data
ACI=$W/busybox.aci
[ -f "$ACI" ] || "$SRC/tests/fixtures/make-busybox-aci.sh" "$ACI" example.com/busybox 1.0.0 /bin/true >/dev/null
IMG=$("$RKT" --dir="$DATA" --insecure-options=image fetch --full "$ACI" 2>/dev/null | tail -n1)

# The OCI bundle: the image's rendered rootfs.
BUNDLE=$W/bundle
if [ ! -d "$BUNDLE/rootfs" ]; then
  mkdir -p "$BUNDLE"
  mkdir -p "$W/aci" && tar -xzf "$ACI" -C "$W/aci" && mv "$W/aci/rootfs" "$BUNDLE/rootfs"
  (cd "$BUNDLE" && crun spec)
  python3 - "$BUNDLE/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
c["mounts"] = [m for m in c["mounts"] if m.get("type") != "cgroup"]
c["linux"].pop("resources", None)
json.dump(c, open(p, "w"), indent=1)
PY
fi

# Microseconds of one run of CMD (bash's $EPOCHREALTIME: no process is spawned to read the clock).
time_us() {
  local t0=$EPOCHREALTIME t1
  "$@" >/dev/null 2>&1 || { echo "run-latency: '$*' failed" >&2; exit 1; }
  t1=$EPOCHREALTIME
  echo $(((${t1/./} - ${t0/./})))
}
median_ms() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'; }
crun_once() { crun --cgroup-manager=disabled run --bundle "$BUNDLE" "bench-$$-$RANDOM"; }
rkt_once() { "$RKT" --dir="$DATA" run "$IMG" --exec /bin/true; }
chroot_once() { chroot "$BUNDLE/rootfs" /bin/true; }

# Warm up each once (page cache, tree store render); then interleave the three so that load
# changes on the machine hit all of them alike.
rkt_once >/dev/null 2>&1; crun_once >/dev/null 2>&1; chroot_once
t_chroot=() t_crun=() t_rkt=()
for ((i = 0; i < N; i++)); do
  t_chroot+=("$(time_us chroot_once)")
  t_crun+=("$(time_us crun_once)")
  t_rkt+=("$(time_us rkt_once)")
done
m_chroot=$(median_ms "${t_chroot[@]}")
m_crun=$(median_ms "${t_crun[@]}")
m_rkt=$(median_ms "${t_rkt[@]}")
# CPU time per run (user+system of the runtime and what it runs), less sensitive to a busy machine.
cpu_ms() { # CMD...
  local before after me=$BASHPID
  before=$(awk '{print $14+$15+$16+$17}' /proc/$me/stat)
  for ((i = 0; i < N; i++)); do "$@" >/dev/null 2>&1; done
  after=$(awk '{print $14+$15+$16+$17}' /proc/$me/stat)
  awk -v d=$((after - before)) -v n="$N" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", d * 1000 / hz / n}'
}
c_crun=$(cpu_ms crun_once)
c_rkt=$(cpu_ms rkt_once)
echo "run latency, median of $N runs each (ms, wall clock):"
printf '  %-34s %8s\n' "chroot ROOTFS /bin/true (floor)" "$m_chroot" \
  "crun run (OCI bundle)" "$m_crun" "rkt run (fly, image in store)" "$m_rkt"
awk -v r="$m_rkt" -v c="$m_crun" -v f="$m_chroot" 'BEGIN {
  printf "  rkt/crun   = %.2fx (target <= 1.5x)\n", r / c;
  printf "  rkt/chroot = %.2fx\n", r / f }'
echo "cpu time per run (ms): crun $c_crun, rkt $c_rkt"
# Pods accumulate in run/ (exited); they go with the work directory.
