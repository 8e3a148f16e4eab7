#!/usr/bin/env bash
# The cgroup trees an nspawn pod sees on this host (cgroup v1): read-only except the pod's own
# cgroup, whose knobs the pod's PID 1 can write (isolator_checks.sh's check_cgroup_trees, which
# the VM runs on cgroup v2: tests/vm/test_cgroup_trees.sh).
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
[ -d /sys/fs/cgroup/memory ] || skip "no cgroup v1 memory hierarchy (cgroup v2 is tested in tests/vm)"
. "$(dirname "$0")/nspawn_lib.sh"
. "$(dirname "$0")/isolator_checks.sh"
check_cgroup_trees
