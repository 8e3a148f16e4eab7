#!/bin/bash
# Runs in the guest (run-in-vm.sh): the cgroup tree an nspawn pod sees on cgroup v2, a cgroup
# namespace rooted at the pod's cgroup (its own knobs writable from its PID 1, nothing else in
# reach), with the checks the v1 test runs here (plugins/stage1/nspawn/tests/isolator_checks.sh).
# vm-files: tests/functional/lib.sh plugins/stage1/nspawn/tests/isolator_checks.sh
. /vm/files/lib.sh
. /vm/files/isolator_checks.sh
grep -q '^cgroup2 /sys/fs/cgroup cgroup2 ' /proc/mounts || die "cgroup2 is not mounted on /sys/fs/cgroup"
grep -qw memory /sys/fs/cgroup/cgroup.controllers || skip "no memory controller"

DATA=$T/data IMG=$RKT_VM_IMAGES/busybox.aci
check_cgroup_trees
