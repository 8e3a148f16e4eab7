#!/usr/bin/env bash
# Pod start latency: `rkt run` (fly stage1, image already in the store, /bin/true) against
# `crun run` of an OCI bundle on the same busybox rootfs, with `chroot ROOTFS /bin/true` as the
# floor. Prints the median of N runs (default 31) for each and the ratios. Needs root, busybox-static
# and crun. Environment: RKT (the rkt binary), N, BENCH_WORK (keep the work directory there).
set -eu
[ "$(id -u)" -eq 0 ] || { echo "run-latency: needs root" >&2; exit 77; }
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
RKT=${RKT:-$SRC/build/bin/rkt}
N=${N:-31}
command -v crun >/dev/null || { echo "run-latency: crun is not installed (make deps)" >&2; exit 77; }
[ -x /bin/busybox ] || { echo "run-latency: busybox-static is not installed" >&2; exit 77; }

W=${BENCH_WORK:-$(mktemp -d /tmp/rkt-bench-run.XXXXXX)}
mkdir -p "$W"
cleanup() { [ -n "${BENCH_WORK:-}" ] || rm -rf "$W"; }
trap cleanup EXIT

# The whole benchmark runs in a private mount namespace: nothing it mounts reaches the host.
if [ -z "${RKT_BENCH_IN_NS:-}" ]; then
  RKT_BENCH_IN_NS=1 BENCH_WORK=$W RKT=$RKT N=$N exec unshare -m --propagation private bash "$0" "$@"
fi

DATA=$W/data
ACI=$W/busybox.aci
[ -f "$ACI" ] || "$SRC/tests/fixtures/make-busybox-aci.sh" "$ACI" example.com/busybox 1.0.0 /bin/true >/dev/null
IMG=$("$RKT" --dir="$DATA" --insecure-options=image fetch --full "$ACI" 2>/dev/null | tail -n1)

# The OCI bundle: the image's rendered rootfs.
BUNDLE=$W/bundle
if [ ! -d "$BUNDLE/rootfs" ]; then
  mkdir -p "$BUNDLE"
  "$RKT" --dir="$DATA" image extract --rootfs-only "$IMG" "$BUNDLE/rootfs" >/dev/null 2>&1 ||
    { mkdir -p "$BUNDLE/rootfs" && tar -xzf "$ACI" -C "$W" && cp -a "$W/rootfs/." "$BUNDLE/rootfs/"; }
  (cd "$BUNDLE" && crun spec)
  python3 - "$BUNDLE/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
json.dump(c, open(p, "w"), indent=1)
PY
fi

now_ns() { date +%s%N; }
# median_of CMD...: runs CMD N times, prints the median wall time in milliseconds.
median_of() {
  local times=() i t0 t1
  for ((i = 0; i < N; i++)); do
    t0=$(now_ns)
    "$@" >/dev/null 2>&1 || { echo "run-latency: '$*' failed" >&2; exit 1; }
    t1=$(now_ns)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f\n", a[int((NR+1)/2)]/1000}'
}
crun_once() { crun run --bundle "$BUNDLE" "bench-$$-$RANDOM" ; }
rkt_once() { "$RKT" --dir="$DATA" run "$IMG" --exec /bin/true; }

# Warm up each once (page cache, tree store render).
rkt_once >/dev/null 2>&1; crun_once >/dev/null 2>&1; chroot "$BUNDLE/rootfs" /bin/true
m_chroot=$(median_of chroot "$BUNDLE/rootfs" /bin/true)
m_crun=$(median_of crun_once)
m_rkt=$(median_of rkt_once)
echo "run latency, median of $N runs (ms):"
printf '  %-34s %8s\n' "chroot ROOTFS /bin/true (floor)" "$m_chroot" \
  "crun run (OCI bundle)" "$m_crun" "rkt run (fly, image in store)" "$m_rkt"
awk -v r="$m_rkt" -v c="$m_crun" -v f="$m_chroot" 'BEGIN {
  printf "  rkt/crun   = %.2fx (target <= 1.5x)\n", r / c;
  printf "  rkt/chroot = %.2fx\n", r / f }'
# Pods accumulate in run/ (exited); they go with the work directory.
