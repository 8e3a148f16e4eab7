#!/bin/bash
# run-in-vm.sh TEST_SCRIPT [FILE...]
#
# Runs TEST_SCRIPT as root with bash inside a virtual machine whose kernel has cgroup v2 only
# (these hosts mount v1 controllers, and a kernel's hierarchy cannot change at run time): Debian's
# linux-image-amd64 kernel (fetch-kernel.sh) under qemu-system-x86_64 with TCG (no KVM needed),
# booted with `cgroup_no_v1=all` from an initramfs (make-initramfs.sh) holding the built rkt,
# its plugins and modules, the supervisor, systemd-nspawn, busybox, bash and the test images.
# Prints the test's output and exits with its status (77 = skipped, as everywhere); skips
# loudly when qemu or the kernel is unavailable.
#
# In the guest: the script is /vm/test.sh, each FILE is in /vm/files/, the busybox ACI is
# $RKT_VM_IMAGES/busybox.aci, rkt is $RKT (the build tree's, at its host path), TMPDIR is a
# tmpfs. See tests/vm/README.md.
#
# Environment: RKT_BUILD_DIR (required), RKT_SOURCE_DIR, RKT_VM_DIR (kernel cache; default
# $RKT_BUILD_DIR/vm), RKT_VM_KERNEL + RKT_VM_MODULES (a vmlinuz and its lib/modules/<version>
# instead of the download), RKT_VM_MEMORY (MiB, default 2048), RKT_VM_TIMEOUT (s per boot, default 400; a boot that times out without a status is retried once),
# RKT_VM_ACCEL (default tcg; kvm where /dev/kvm works, for the kvm flavors).
set -uo pipefail
test_script=${1:?usage: run-in-vm.sh TEST_SCRIPT [FILE...]}
shift
name=$(basename "$test_script" .sh)
skip() { echo "SKIP: vm/${name#test_}: $*" >&2; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
source_dir=${RKT_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
build=${RKT_BUILD_DIR:?RKT_BUILD_DIR is not set}
build=$(cd "$build" && pwd)

# Root: the guest's files must be root-owned (the plugin loader refuses others when run as root).
[ "$(id -u)" -eq 0 ] || skip "needs root"
qemu=$(command -v qemu-system-x86_64) || skip "qemu-system-x86_64 is missing (make deps installs qemu-system-x86)"
[ -x /bin/busybox ] || skip "busybox-static is not installed"
command -v python3 >/dev/null || skip "python3 is missing (the test image is built with it)"
if [ -n "${RKT_VM_KERNEL:-}" ]; then
  kernel=$RKT_VM_KERNEL modules=${RKT_VM_MODULES:-}
else
  unpacked=$("$here/fetch-kernel.sh" "${RKT_VM_DIR:-$build/vm}/kernel" 2>&1) ||
    skip "no guest kernel: $unpacked"
  kernel=$(ls "$unpacked"/boot/vmlinuz-* | head -n 1)
  modules=$(ls -d "$unpacked"/lib/modules/* | head -n 1)
fi
[ -r "$kernel" ] || skip "no guest kernel at $kernel"

W=$(mktemp -d "${TMPDIR:-/tmp}/rkt-vm.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/images" "$W/test/vm/files"
"$source_dir/tests/fixtures/make-busybox-aci.sh" "$W/images/busybox.aci" >/dev/null ||
  { echo "vm: cannot build the busybox test image" >&2; exit 1; }

# What the test's header asks for: `# vm-files: PATH...` (source-relative, or build/PATH in the
# build tree) go to /vm/files/ too; `# vm-setup: SCRIPT` (source-relative) runs here first with
# the images directory as its argument, for images only the host can build (python3);
# `# vm-append: ARG...` are more kernel arguments (cgroup_disable=memory: a missing controller).
append=$(sed -n 's/^# vm-append://p' "$test_script" | tr '\n' ' ')
files=("$@")
for f in $(sed -n 's/^# vm-files://p' "$test_script"); do
  case $f in build/*) f=$build/${f#build/} ;; *) f=$source_dir/$f ;; esac
  [ -e "$f" ] || skip "$f is not built"
  files+=("$f")
done
for setup in $(sed -n 's/^# vm-setup://p' "$test_script"); do
  "$source_dir/$setup" "$W/images" || { echo "vm: $setup failed" >&2; exit 1; }
done

"$here/make-initramfs.sh" "$W/root.cpio" "$build" "${modules:-/nonexistent}" "$W/images" ||
  { echo "vm: cannot build the initramfs" >&2; exit 1; }

# The test goes into a second cpio archive appended to the first (the kernel unpacks both).
cp "$test_script" "$W/test/vm/test.sh"
for f in "${files[@]}"; do cp -a "$f" "$W/test/vm/files/"; done
printf 'export RKT=%q RKT_BUILD_DIR=%q\n' "$build/bin/rkt" "$build" >"$W/test/vm/env"
(cd "$W/test" && find . -mindepth 1 | sed 's|^\./||' | busybox cpio -o -H newc) >"$W/test.cpio" 2>/dev/null
cat "$W/root.cpio" "$W/test.cpio" >"$W/initrd"
touch "$W/console" "$W/output" "$W/status"

boot() {
  : >"$W/console"
  : >"$W/output"
  : >"$W/status"
  start=$(date +%s)
  timeout "${RKT_VM_TIMEOUT:-400}" "$qemu" -accel "${RKT_VM_ACCEL:-tcg}" -smp 2 -m "${RKT_VM_MEMORY:-2048}" \
    -nodefaults -display none -no-reboot \
    -kernel "$kernel" -initrd "$W/initrd" \
    -append "console=ttyS0 rdinit=/init panic=-1 quiet mitigations=off cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 $append" \
    -serial "file:$W/console" -serial "file:$W/output" -serial "file:$W/status" 2>"$W/qemu.err"
  qemu_status=$?
  took=$(($(date +%s) - start))
}
boot
# A TCG guest starved of CPU by a loaded host has been seen to stall (once, in a full parallel
# ctest beside a from-scratch build; the same test takes 18 s alone). Such a timeout without a
# test status gets one more boot, said loudly; a guest that stalls twice fails.
if [ "$qemu_status" -eq 124 ] && [ -z "$(tr -dc '0-9' <"$W/status")" ]; then
  echo "vm: WARNING: the guest timed out after ${took}s without a test status; its console's end:" >&2
  tail -n 15 "$W/console" >&2
  echo "vm: booting it once more" >&2
  boot
fi

cat "$W/output"
status=$(tr -dc '0-9' <"$W/status")
if [ -z "$status" ]; then
  if [ ! -s "$W/console" ] && [ "$qemu_status" -ne 124 ]; then
    skip "qemu cannot run here (exit $qemu_status): $(head -n 3 "$W/qemu.err")"
  fi
  echo "vm: the guest ended without a test status (qemu exit $qemu_status after ${took}s; $([ "$qemu_status" -eq 124 ] && echo "timed out, ")console follows)" >&2
  tail -n 40 "$W/console" >&2
  cat "$W/qemu.err" >&2
  exit 1
fi
echo "vm: $(basename "$kernel"), ${RKT_VM_ACCEL:-tcg}: boot and test took ${took}s, exit status $status" >&2
exit "$status"
