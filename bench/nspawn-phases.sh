#!/usr/bin/env bash
# Where the time of `rkt run` with the nspawn stage1 goes, phase by phase, next to bare
# systemd-nspawn on the image's rootfs (what run-latency.sh compares). Each run is traced with
# `strace -f --seccomp-bpf -e trace=execve,mount`, which stops only at those calls (a few tens per
# run), and cut at: the overlay mount (stage0 done), execve of systemd-nspawn (the plugin done),
# execve of the supervisor (nspawn's setup done), execve of the app (prepare-app done), the exit.
# Prints the median and minimum of each phase over N interleaved runs (default 15). Needs root,
# strace, busybox-static and systemd-nspawn. Environment: RKT, N, BENCH_WORK.
set -eu
N=${N:-15}
# shellcheck source=bench/pod_bench_lib.sh
. "$(dirname "$0")/pod_bench_lib.sh"
NSPAWN=$(command -v systemd-nspawn || true)
[ -n "$NSPAWN" ] || { echo "nspawn-phases: systemd-nspawn is not installed" >&2; exit 77; }
command -v strace >/dev/null || { echo "nspawn-phases: strace is not installed" >&2; exit 77; }
bench_start nspawn-phases "$@"

DATA=$W/data
IMG=$(bench_fetch "$RKT" "$DATA")
ROOTFS=$W/rootfs
if [ ! -d "$ROOTFS" ]; then
  mkdir -p "$W/aci" && tar -xzf "$ACI" -C "$W/aci" && mv "$W/aci/rootfs" "$ROOTFS"
  mkdir -p "$ROOTFS/usr" # systemd-nspawn wants an OS tree
fi
trace() { strace -f --seccomp-bpf -ttt -e trace=execve,mount -o "$W/trace" "$@" >/dev/null 2>&1; }
# The phase lengths (ms) of the last trace, one line: rkt's five, or bare's two.
phases() { # rkt|bare
  awk -v kind="$1" '
    NR == 1 {t0 = $2; pid = $1}
    /mount\("overlay/ && !ov {ov = $2}
    /execve\("[^"]*systemd-nspawn"/ && !ns {ns = $2}
    /execve\("\/rkt\/supervisor"/ {sup = $2}
    /execve\("\/bin\/true"/ {app = $2}
    # The exit of the process started (rkt, then systemd-nspawn): not of the detached process
    # that holds the pod mount namespace until then (strace -f follows it too).
    $1 == pid && /\+\+\+ exited/ {end = $2}
    END {
      if (kind == "rkt") printf "%.2f %.2f %.2f %.2f %.2f\n", (ov - t0) * 1e3, (ns - ov) * 1e3,
        (sup - ns) * 1e3, (app - sup) * 1e3, (end - app) * 1e3
      else printf "%.2f %.2f\n", (app - t0) * 1e3, (end - app) * 1e3
    }' "$W/trace"
}
RKT_NSPAWN=("$RKT" --dir="$DATA" run --stage1-name=coreos.com/rkt/stage1-nspawn --net=none "$IMG"
  --exec /bin/true)
BARE=("$NSPAWN" --register=no --keep-unit --quiet --private-network --console=pipe -D "$ROOTFS"
  /bin/true)
"${RKT_NSPAWN[@]}" >/dev/null 2>&1; "${BARE[@]}" >/dev/null 2>&1 # warm up
: >"$W/rkt.phases"; : >"$W/bare.phases"
for ((i = 0; i < N; i++)); do
  trace "${RKT_NSPAWN[@]}" && phases rkt >>"$W/rkt.phases"
  trace "${BARE[@]}" && phases bare >>"$W/bare.phases"
done
"$RKT" --dir="$DATA" gc --grace-period=0s >/dev/null 2>&1 || true
# Column C of FILE: "median (min)".
stat_of() { # FILE C
  awk -v c="$2" '{print $c}' "$1" | sort -n |
    awk '{a[NR] = $1} END {printf "%7.2f (%.2f)", a[int((NR + 1) / 2)], a[1]}'
}
echo "phases of one run, ms, median (minimum) of $N:"
echo "  rkt run (nspawn):"
printf '    %-44s %s\n' "rkt start -> overlay mount (stage0)" "$(stat_of "$W/rkt.phases" 1)" \
  "overlay -> execve systemd-nspawn (plugin)" "$(stat_of "$W/rkt.phases" 2)" \
  "systemd-nspawn -> execve supervisor" "$(stat_of "$W/rkt.phases" 3)" \
  "supervisor -> execve app (prepare-app)" "$(stat_of "$W/rkt.phases" 4)" \
  "app -> exit (teardown)" "$(stat_of "$W/rkt.phases" 5)"
echo "  bare systemd-nspawn:"
printf '    %-44s %s\n' "systemd-nspawn -> execve app" "$(stat_of "$W/bare.phases" 1)" \
  "app -> exit (teardown)" "$(stat_of "$W/bare.phases" 2)"
