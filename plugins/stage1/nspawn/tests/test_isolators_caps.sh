#!/usr/bin/env bash
# Capabilities, no_new_privs and oom_score_adj of nspawn apps on this host (cgroup v1), read from
# /proc/self/status inside real pods: isolator_checks.sh's check_caps, which the VM runs on
# cgroup v2 too (tests/vm/test_isolators_process.sh).
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/nspawn_lib.sh"
. "$(dirname "$0")/isolator_checks.sh"

ISO_IMAGES=$T/images
mkdir -p "$ISO_IMAGES" && "$(dirname "$0")/isolator_images.sh" "$ISO_IMAGES" ||
  die "cannot build the images with isolators"
check_caps
