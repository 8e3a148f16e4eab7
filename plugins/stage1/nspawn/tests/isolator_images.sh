#!/bin/bash
# isolator_images.sh DIR: builds the busybox images with isolators that isolator_checks.sh runs
# (tests/fixtures/make-busybox-aci.sh with a manifest patch each) into DIR. Apart from the
# checks: it needs python3, which the VM of tests/vm lacks (run-in-vm.sh runs it on the host).
set -eu
dir=$1
make_aci=$(cd "$(dirname "$0")/../../../../tests/fixtures" && pwd)/make-busybox-aci.sh
# image NAME PATCH: $dir/NAME.aci, app example.com/NAME, the manifest patched with PATCH.
image() { ACI_MANIFEST_PATCH=$2 "$make_aci" "$dir/$1.aci" "example.com/$1" 1.0.0 >/dev/null; }

image retain '{"app":{"isolators":[
  {"name":"os/linux/capabilities-retain-set","value":{"set":["CAP_MKNOD"]}},
  {"name":"os/linux/oom-score-adj","value":500},
  {"name":"os/linux/no-new-privileges","value":true}]}}'
image remove '{"app":{"isolators":[
  {"name":"os/linux/capabilities-remove-set","value":{"set":["CAP_CHOWN","CAP_KILL"]}}]}}'
image seccomp '{"app":{"isolators":[{"name":"os/linux/seccomp-remove-set",
  "value":{"set":["uname"],"errno":"ENOTSUP"}}]}}'
