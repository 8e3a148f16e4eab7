#!/bin/bash
# Runs in the guest (run-in-vm.sh): resource isolators of an nspawn app on cgroup v2, read from
# the app's own cgroup system.slice/<app>.service inside the pod (rkt-notes §6.4): --memory →
# memory.max, --cpu → cpu.max (quota per 100 ms period), --cpu-shares → cpu.weight (runc's
# conversion: 1024 → 39). cgroup v1: plugins/stage1/nspawn/tests/test_isolators_resources.sh.
set -u
fail() { echo "FAIL: $*"; exit 1; }

grep -q '^cgroup2 /sys/fs/cgroup cgroup2 ' /proc/mounts || fail "cgroup2 is not mounted on /sys/fs/cgroup"
for c in memory cpu; do
  grep -qw $c /sys/fs/cgroup/cgroup.controllers || exit 77
done

data=$(mktemp -d)
# /sys/fs is one of rkt's inaccessible paths: the app reads its cgroup through PID 1's root (the
# supervisor's), as rkt's isolator tests, with CAP_SYS_PTRACE.
SHOW='cat /proc/self/cgroup; d=/proc/1/root/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup)
echo "mem=$(cat $d/memory.max)"; echo "cpu=$(cat $d/cpu.max)"; echo "weight=$(cat $d/cpu.weight)"'
out=$("$RKT" --dir="$data" --insecure-options=image run "$RKT_VM_IMAGES/busybox.aci" \
  --stage1-name=coreos.com/rkt/stage1-nspawn --net=host --memory=42Mi --cpu=900m --cpu-shares=1024 --caps-retain=CAP_SYS_PTRACE \
  --exec /bin/sh -- -c "$SHOW" 2>"$data/stderr") || fail "nspawn pod failed: $out $(cat "$data/stderr")"
echo "$out"
echo "$out" | grep -qx "0::/system.slice/busybox.service" || fail "the app is not in system.slice/busybox.service: $(cat "$data/stderr")"
echo "$out" | grep -qx 'mem=44040192' || fail "--memory 42Mi: memory.max is not 44040192"
echo "$out" | grep -qx 'cpu=90000 100000' || fail "--cpu 900m: cpu.max is not '90000 100000'"
echo "$out" | grep -qx 'weight=39' || fail "--cpu-shares 1024: cpu.weight is not 39"
! grep -q "not applied" "$data/stderr" || fail "warning: $(cat "$data/stderr")"
echo "ok: memory.max, cpu.max and cpu.weight of the app"

# Two apps, the first without limits: it starts before the second's cgroup is made, which must
# not keep the controllers from being handed down (the supervisor prepares them first).
out=$("$RKT" --dir="$data" --insecure-options=image run --stage1-name=coreos.com/rkt/stage1-nspawn --net=host \
  "$RKT_VM_IMAGES/busybox.aci" --name=free --exec /bin/sh -- -c 'sleep 1; cat /proc/self/cgroup' --- \
  "$RKT_VM_IMAGES/busybox.aci" --name=capped --memory=30Mi --caps-retain=CAP_SYS_PTRACE --exec /bin/sh -- -c "$SHOW" \
  2>"$data/stderr") || fail "two-app pod failed: $out $(cat "$data/stderr")"
echo "$out"
echo "$out" | grep -qx '0::/system.slice/capped.service' || fail "app capped is not in its cgroup: $(cat "$data/stderr")"
echo "$out" | grep -qx 'mem=31457280' || fail "--memory 30Mi: memory.max is not 31457280"
echo "ok: a pod whose first app has no limits"

# gc removes the pod's cgroup with the apps' below it.
"$RKT" --dir="$data" gc --grace-period=0s >/dev/null 2>&1 || fail "rkt gc failed"
left=$(find /sys/fs/cgroup -maxdepth 1 -name 'machine-rkt*')
[ -z "$left" ] || fail "rkt gc left the pod cgroups: $left"
echo "ok: gc removed the pod and app cgroups"
