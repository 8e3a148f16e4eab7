#!/usr/bin/env bash
# Seccomp filters of nspawn apps on this host (cgroup v1): isolator_checks.sh's check_seccomp
# (the default allow-list killing with SIGSYS, errno=, groups, wildcards, unknown names), which
# the VM runs on cgroup v2 too (tests/vm/test_isolators_process.sh). A small static probe
# (isolator_probe.c) makes the calls.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"
. "$(dirname "$0")/isolator_checks.sh"
TOOLS="$RKT_BUILD_DIR/tests/nspawn-tools"
[ -x "$TOOLS/isolator-probe" ] || skip "tests/nspawn-tools/isolator-probe is not built"

ISO_IMAGES=$T/images
mkdir -p "$ISO_IMAGES" && "$(dirname "$0")/isolator_images.sh" "$ISO_IMAGES" ||
  die "cannot build the images with isolators"
check_seccomp
