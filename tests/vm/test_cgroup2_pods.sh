#!/bin/bash
# Runs in the guest (run-in-vm.sh): the kernel has cgroup v2 only, and pods of both flavors run
# on it. fly: the app's output. nspawn: the app's output, and the pod's cgroup is in the one
# (unified) hierarchy, as /proc/self/cgroup in the app shows it: "0::/<path>" and nothing else.
set -u
fail() { echo "FAIL: $*"; exit 1; }

# cgroup v2 is the only hierarchy: cgroup2 on /sys/fs/cgroup, no v1 controller anywhere.
grep -q '^cgroup2 /sys/fs/cgroup cgroup2 ' /proc/mounts || fail "cgroup2 is not mounted on /sys/fs/cgroup"
! grep -q ' cgroup ' /proc/mounts || fail "a cgroup v1 hierarchy is mounted: $(grep ' cgroup ' /proc/mounts)"
[ "$(cat /proc/self/cgroup)" = "0::/" ] || fail "/proc/self/cgroup is not v2-only: $(cat /proc/self/cgroup)"
grep -qw memory /sys/fs/cgroup/cgroup.controllers || fail "no memory controller in cgroup.controllers"
echo "ok: cgroup v2 only ($(cat /sys/fs/cgroup/cgroup.controllers))"

data=$(mktemp -d)
rkt() { "$RKT" --dir="$data" --insecure-options=image "$@" 2>"$data/stderr"; }
err() { cat "$data/stderr"; }

out=$(rkt run "$RKT_VM_IMAGES/busybox.aci" --stage1-name=fly --exec /bin/echo -- hello) ||
  fail "fly pod failed: $out $(err)"
[ "$out" = hello ] || fail "fly pod printed '$out', not 'hello'"
echo "ok: fly pod"

out=$(rkt run "$RKT_VM_IMAGES/busybox.aci" --stage1-name=coreos.com/rkt/stage1-nspawn --net=host \
  --exec /bin/sh -- -c 'echo hello; cat /proc/self/cgroup') || fail "nspawn pod failed: $out $(err)"
[ "$(echo "$out" | head -n 1)" = hello ] || fail "nspawn pod printed '$out', not 'hello' first"
cgroups=$(echo "$out" | tail -n +2)
case $cgroups in 0::/*) ;; *) fail "the nspawn app's /proc/self/cgroup is not v2-only: $cgroups" ;; esac
[ "$(echo "$cgroups" | wc -l)" -eq 1 ] || fail "the nspawn app is in several hierarchies: $cgroups"
echo "ok: nspawn pod (app cgroup ${cgroups#0::})"

# The pod's cgroup in the unified hierarchy (pod_cgroup.cpp's v2-only path) goes when the pod
# ends (rkt run waits for systemd-nspawn and removes it); gc, the fallback, finds nothing left.
left=$(find /sys/fs/cgroup -maxdepth 1 -name 'machine-rkt*')
[ -z "$left" ] || fail "the pod's cgroups remain after the pod ended: $left"
"$RKT" --dir="$data" gc --grace-period=0s >/dev/null 2>&1 || fail "rkt gc failed"
echo "ok: the pod cgroups are gone with the pod"
