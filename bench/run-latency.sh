#!/usr/bin/env bash
# Pod start latency: `rkt run` (fly stage1, image already in the store, /bin/true) against
# `crun run` of an OCI bundle on the same busybox rootfs, with `chroot ROOTFS /bin/true` as the
# floor; and, with systemd-nspawn installed, `rkt run` with the nspawn stage1 against bare
# `systemd-nspawn` on that rootfs. Prints the median of N runs (default 31) for each and the ratios, plus the CPU time per
# run. Needs root, busybox-static and crun (make bench-deps). Environment: RKT (the rkt binary),
# N, BENCH_WORK (keep the work directory there). Neither runtime uses cgroups (fly has none).
# RKT_OLD=/path/to/other/bin/rkt adds a second rkt build (its own data directory, same image),
# run interleaved with the others, and prints the ratio new/old: a change's cost side by side.
set -eu
N=${N:-31}
# shellcheck source=bench/pod_bench_lib.sh
. "$(dirname "$0")/pod_bench_lib.sh"
command -v crun >/dev/null || { echo "run-latency: crun is not installed (make deps)" >&2; exit 77; }
bench_start run-latency "$@"

# crun refuses cgroup "hybrid" mode (v1 controllers plus a v2 hierarchy with controllers). Both
# runtimes run without cgroups here (fly has none; crun with --cgroup-manager=disabled), so hide
# the v2 hierarchy in this private namespace only.
if [ -d /sys/fs/cgroup/unified ] && [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
  mount -t tmpfs none /sys/fs/cgroup/unified
fi

DATA=$W/data
IMG=$(bench_fetch "$RKT" "$DATA")
if [ -n "$RKT_OLD" ]; then
  DATA_OLD=$W/data-old
  IMG_OLD=$(bench_fetch "$RKT_OLD" "$DATA_OLD")
fi

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
# Each command as an argument vector (CMD), so that it can run on its own or under perf.
crun_cmd() { CMD=(crun --cgroup-manager=disabled run --bundle "$BUNDLE" "bench-$$-$RANDOM"); }
# fly explicitly: nspawn is the build's default flavor now.
FLY=--stage1-name=coreos.com/rkt/stage1-fly
rkt_cmd() { CMD=("$RKT" --dir="$DATA" run $FLY "$IMG" --exec /bin/true); }
rkt_old_cmd() { CMD=("$RKT_OLD" --dir="$DATA_OLD" run $FLY "$IMG_OLD" --exec /bin/true); }
# The nspawn flavor against bare systemd-nspawn on the same rootfs (no registration: what the
# flavor does on a host without machined). Both start in the bench's own cgroup (bench_cgroup),
# where bare nspawn's `payload` and `supervisor` cgroups go, and go with it.
NSPAWN=$(command -v systemd-nspawn || true)
rkt_nspawn_cmd() {
  CMD=("$RKT" --dir="$DATA" run --stage1-name=coreos.com/rkt/stage1-nspawn --net=none "$IMG"
    --exec /bin/true)
}
nspawn_cmd() {
  CMD=("$NSPAWN" --register=no --keep-unit --quiet --private-network --console=pipe
    -D "$BUNDLE/rootfs" /bin/true)
}
# The same without nspawn's own seccomp filter, which the flavor turns off (its apps get rkt's
# filter from the supervisor instead): bare nspawn doing the work rkt's nspawn does, so that the
# ratio against it shows what rkt adds, apart from what it leaves out.
nspawn_noseccomp_cmd() { nspawn_cmd; CMD=(env SYSTEMD_SECCOMP=0 "${CMD[@]}"); }
chroot_cmd() { CMD=(chroot "$BUNDLE/rootfs" /bin/true); }
once() { "$1_cmd"; "${CMD[@]}"; } # NAME

# Warm up each once (page cache, tree store render); then interleave them all so that load
# changes on the machine hit all of them alike.
once rkt >/dev/null 2>&1; once crun >/dev/null 2>&1; once chroot
[ -z "$RKT_OLD" ] || once rkt_old >/dev/null 2>&1
if [ -n "$NSPAWN" ]; then
  mkdir -p "$BUNDLE/rootfs/usr"  # systemd-nspawn wants an OS tree
  once nspawn >/dev/null 2>&1; once nspawn_noseccomp >/dev/null 2>&1
  once rkt_nspawn >/dev/null 2>&1
fi
t_chroot=() t_crun=() t_rkt=() t_old=() t_nspawn=() t_nspawn_noseccomp=() t_rkt_nspawn=()
for ((i = 0; i < N; i++)); do
  t_chroot+=("$(time_us once chroot)")
  t_crun+=("$(time_us once crun)")
  # With two builds, alternate which goes first so neither always follows the other's teardown.
  if [ -n "$RKT_OLD" ] && ((i % 2)); then t_old+=("$(time_us once rkt_old)"); fi
  t_rkt+=("$(time_us once rkt)")
  if [ -n "$RKT_OLD" ] && ((i % 2 == 0)); then t_old+=("$(time_us once rkt_old)"); fi
  if [ -n "$NSPAWN" ]; then
    t_nspawn+=("$(time_us once nspawn)")
    t_nspawn_noseccomp+=("$(time_us once nspawn_noseccomp)")
    t_rkt_nspawn+=("$(time_us once rkt_nspawn)")
  fi
done
m_chroot=$(median_ms "${t_chroot[@]}")
m_crun=$(median_ms "${t_crun[@]}")
m_rkt=$(median_ms "${t_rkt[@]}")
[ -z "$RKT_OLD" ] || m_old=$(median_ms "${t_old[@]}")
if [ -n "$NSPAWN" ]; then
  m_nspawn=$(median_ms "${t_nspawn[@]}")
  m_nspawn_noseccomp=$(median_ms "${t_nspawn_noseccomp[@]}")
  m_rkt_nspawn=$(median_ms "${t_rkt_nspawn[@]}")
fi

# CPU time per run (user+system of the runtime and what it runs, children included), less
# sensitive to a busy machine, over N interleaved rounds. With perf's task-clock (a software
# event, so it works in VMs without hardware counters): the median of the runs. Without it: the
# children's clock ticks (cutime + cstime, read by the shell itself so that no reader process is
# counted) this shell gains across each run, summed (one tick is 10 ms, so only the sum means
# something). Prints one figure per command, in the order given.
CPU_HOW="perf task-clock, median"
perf stat -x, -e task-clock -o /dev/null true >/dev/null 2>&1 || CPU_HOW="clock ticks, mean"
cpu_ms() { # NAME...
  local hz name i f before us
  local -A ticks=() runs=()
  hz=$(getconf CLK_TCK)
  for ((i = 0; i < N; i++)); do
    for name in "$@"; do
      if [ "${CPU_HOW%%,*}" = "perf task-clock" ]; then
        "${name}_cmd"
        perf stat -x, -e task-clock -o "$W/perf.out" -- "${CMD[@]}" >/dev/null 2>&1
        us=$(awk -F, '$3 == "task-clock" {printf "%d", $1 * 1000}' "$W/perf.out")
        runs[$name]+="$us "
      else
        read -r -a f </proc/$BASHPID/stat
        before=$((f[15] + f[16]))
        once "$name" >/dev/null 2>&1
        read -r -a f </proc/$BASHPID/stat
        ticks[$name]=$((${ticks[$name]:-0} + f[15] + f[16] - before))
      fi
    done
  done
  for name in "$@"; do
    if [ "${CPU_HOW%%,*}" = "perf task-clock" ]; then
      # shellcheck disable=SC2086 # one word per run
      printf '%s ' "$(median_ms ${runs[$name]})"
    else
      awk -v d="${ticks[$name]}" -v n="$N" -v hz="$hz" 'BEGIN {printf "%.2f ", d * 1000 / hz / n}'
    fi
  done
  echo
}
if [ -n "$RKT_OLD" ]; then
  read -r c_crun c_rkt c_old < <(cpu_ms crun rkt rkt_old)
else
  read -r c_crun c_rkt < <(cpu_ms crun rkt)
fi
# The nspawn pair's CPU: the gap's part that is work (the rest is waiting, e.g. for the kernel's
# RCU grace period when a process moves between cgroups).
if [ -n "$NSPAWN" ]; then
  read -r c_nspawn c_nspawn_noseccomp c_rkt_nspawn < <(cpu_ms nspawn nspawn_noseccomp rkt_nspawn)
  # rkt run removed its pods' cgroups; gc takes the rest of them.
  "$RKT" --dir="$DATA" gc --grace-period=0s >/dev/null 2>&1 || true
fi
echo "run latency, median of $N runs each (ms, wall clock):"
printf '  %-34s %8s\n' "chroot ROOTFS /bin/true (floor)" "$m_chroot" \
  "crun run (OCI bundle)" "$m_crun" "rkt run (fly, image in store)" "$m_rkt"
awk -v r="$m_rkt" -v c="$m_crun" -v f="$m_chroot" 'BEGIN {
  printf "  rkt/crun   = %.2fx (target <= 1.5x)\n", r / c;
  printf "  rkt/chroot = %.2fx\n", r / f }'
echo "cpu time per run (ms, $CPU_HOW): crun $c_crun, rkt $c_rkt"
if [ -n "$NSPAWN" ]; then
  printf '  %-34s %8s\n' "systemd-nspawn ROOTFS /bin/true" "$m_nspawn" \
    "  the same, SYSTEMD_SECCOMP=0" "$m_nspawn_noseccomp" \
    "rkt run (nspawn, image in store)" "$m_rkt_nspawn"
  awk -v r="$m_rkt_nspawn" -v n="$m_nspawn" -v z="$m_nspawn_noseccomp" 'BEGIN {
    printf "  rkt nspawn/systemd-nspawn = %.2fx (target <= 1.2x)\n", r / n;
    printf "  rkt nspawn/systemd-nspawn without its seccomp filter = %.2fx\n", r / z }'
  echo "  cpu time per run (ms, $CPU_HOW): systemd-nspawn $c_nspawn (SYSTEMD_SECCOMP=0:" \
    "$c_nspawn_noseccomp), rkt (nspawn) $c_rkt_nspawn"
else
  echo "  (systemd-nspawn is not installed: the nspawn flavor is not measured)"
fi
if [ -n "$RKT_OLD" ]; then
  echo "rkt run, this build ($RKT) against RKT_OLD ($RKT_OLD):"
  printf '  %-34s %8s\n' "old rkt run, wall (median)" "$m_old" "new rkt run, wall (median)" "$m_rkt"
  echo "  cpu time per run (ms): old $c_old, new $c_rkt"
  awk -v n="$m_rkt" -v o="$m_old" -v cn="$c_rkt" -v co="$c_old" 'BEGIN {
    printf "  new/old    = %.2fx wall, %.2fx cpu\n", n / o, cn / co }'
fi
# Pods accumulate in run/ (exited); they go with the work directory.
