#!/usr/bin/env bash
# Pod start with a network of its own against the host's network: `rkt run` of the nspawn
# stage1 (image in store, /bin/true) with `--net=default` (a netns, ptp veth, host-local lease,
# masquerade rules; released by gc, not timed) against `--net=host`, interleaved. Prints the
# median of N runs (default 21) of each, the ratio and the difference. Runs in a network
# namespace of its own (the pods' veths and rules never touch the host's) with its own
# /var/lib/cni and /var/run/netns. Needs root, busybox-static, systemd-nspawn and nf_tables.
# Environment: RKT (the rkt binary), N, BENCH_WORK (keep the work directory there).
set -eu
N=${N:-21}
if [ -z "${RKT_BENCH_IN_NETNS:-}" ] && [ "$(id -u)" -eq 0 ]; then
  RKT_BENCH_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
# shellcheck source=bench/pod_bench_lib.sh
. "$(dirname "$0")/pod_bench_lib.sh"
command -v systemd-nspawn >/dev/null ||
  { echo "pod-network: systemd-nspawn is not installed (make deps)" >&2; exit 77; }
bench_start pod-network "$@"
ip link set lo up
mkdir -p /var/lib/cni /var/run/netns
mount -t tmpfs bench-cni /var/lib/cni
mount -t tmpfs bench-netns /var/run/netns

DATA=$W/data
IMG=$(bench_fetch "$RKT" "$DATA")
NSPAWN=--stage1-name=coreos.com/rkt/stage1-nspawn
# Microseconds of one run of `rkt run --net=NET` (bash's $EPOCHREALTIME: no clock process).
time_us() { # NET
  local t0=$EPOCHREALTIME t1
  "$RKT" --dir="$DATA" run $NSPAWN --net="$1" "$IMG" --exec /bin/true >/dev/null 2>&1 ||
    { echo "pod-network: rkt run --net=$1 failed" >&2; exit 1; }
  t1=$EPOCHREALTIME
  echo $(((${t1/./} - ${t0/./})))
}
median_ms() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'; }
gc() { "$RKT" --dir="$DATA" gc --grace-period=0s >/dev/null 2>&1 || true; }

# Warm up each once (page cache, tree store render, plugins); then interleave.
time_us host >/dev/null
time_us default >/dev/null
gc
t_host=() t_default=()
for ((i = 0; i < N; i++)); do
  t_host+=("$(time_us host)")
  t_default+=("$(time_us default)")
  # The default network's 253 addresses: exited pods give theirs back at gc (not timed).
  ((i % 50 != 49)) || gc
done
gc
m_host=$(median_ms "${t_host[@]}")
m_default=$(median_ms "${t_default[@]}")
echo "pod start on nspawn, median of $N runs each (ms, wall clock):"
printf '  %-40s %8s\n' "rkt run --net=host" "$m_host" "rkt run --net=default (ptp, host-local)" \
  "$m_default"
awk -v d="$m_default" -v h="$m_host" 'BEGIN {
  printf "  default/host = %.2fx, +%.2f ms for the pod network\n", d / h, d - h }'
