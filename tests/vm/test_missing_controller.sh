#!/bin/bash
# Runs in the guest (run-in-vm.sh), on a kernel booted without the memory controller: an nspawn
# app asking for a memory limit gets rkt's warning and runs without it, its cpu limit still
# applied (rkt-notes §6.4: "skipped with warning if memory controller unavailable"). The app
# reads its cgroup through PID 1's root (/sys/fs is one of rkt's inaccessible paths).
# vm-files: tests/functional/lib.sh
# vm-append: cgroup_disable=memory
. /vm/files/lib.sh
grep -q '^cgroup2 /sys/fs/cgroup cgroup2 ' /proc/mounts || die "cgroup2 is not mounted on /sys/fs/cgroup"
! grep -qw memory /sys/fs/cgroup/cgroup.controllers ||
  die "cgroup_disable=memory left the memory controller: $(cat /sys/fs/cgroup/cgroup.controllers)"
grep -qw cpu /sys/fs/cgroup/cgroup.controllers || skip "no cpu controller either"

run_rkt --dir="$T/data" --insecure-options=image run --stage1-name=coreos.com/rkt/stage1-nspawn --net=host \
  "$RKT_VM_IMAGES/busybox.aci" --memory=42Mi --cpu=900m --caps-retain=CAP_SYS_PTRACE \
  --exec /bin/sh -- -c \
  'd=/proc/1/root/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/self/cgroup); echo "cpu=$(cat $d/cpu.max)"; ls $d'
assert_rc 0 "a pod asking for a memory limit the kernel cannot give"
assert_contains "$ERR" "warning: resource/memory isolator set but support disabled in the kernel, skipping" \
  "rkt's warning for the missing controller"
assert_not_contains "$ERR" "resource/cpu" "no warning for the cpu controller"
assert_contains "$OUT" "cpu=90000 100000" "the cpu limit is still applied"
assert_not_contains "$OUT" "memory.max" "no memory knobs in the app's cgroup"
