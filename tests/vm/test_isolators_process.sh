#!/bin/bash
# Runs in the guest (run-in-vm.sh): the process-level isolators of nspawn apps on cgroup v2 —
# capabilities of root and non-root apps, no_new_privs, oom_score_adj, seccomp (a call the
# configured errno fails, one outside the default allow-list killing with SIGSYS) — with the
# very checks the v1 tests run here (plugins/stage1/nspawn/tests/isolator_checks.sh).
# vm-files: tests/functional/lib.sh plugins/stage1/nspawn/tests/isolator_checks.sh
# vm-files: build/tests/nspawn-tools/isolator-probe
# vm-setup: plugins/stage1/nspawn/tests/isolator_images.sh
. /vm/files/lib.sh
. /vm/files/isolator_checks.sh
grep -q '^cgroup2 /sys/fs/cgroup cgroup2 ' /proc/mounts || die "cgroup2 is not mounted on /sys/fs/cgroup"

DATA=$T/data IMG=$RKT_VM_IMAGES/busybox.aci ISO_IMAGES=$RKT_VM_IMAGES TOOLS=/vm/files
check_caps
check_seccomp
