#!/bin/bash
# make-initramfs.sh OUT.cpio BUILD_DIR KERNEL_MODULES_DIR IMAGES_DIR
#
# The guest's whole root as one uncompressed newc cpio (the kernel unpacks it faster than it
# inflates a compressed one under TCG): busybox-static with its applets, bash, the built rkt,
# its internal modules, plugins and the nspawn supervisor at the SAME absolute paths as in
# BUILD_DIR (so rkt finds its plugins relative to itself and the build tree's RPATHs resolve),
# systemd-nspawn, every shared library those need (from ldd, at Debian's paths: rkt is built
# against Debian 12's libraries, the guest runs the very same files), the overlay module, the
# test images from IMAGES_DIR (at /vm/images) and the guest init (tests/vm/guest-init.sh).
# ELF files are copied without their debug sections: the build tree's rkt is 100+ MB with them.
set -euo pipefail
out=$1 build=$2 modules=$3 images=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d "${TMPDIR:-/tmp}/rkt-vm-root.XXXXXX")
trap 'rm -rf "$root"' EXIT

# Debian 12 is usr-merged: /lib and /lib64 are links into /usr, so ldd's /lib/... paths land in usr.
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib,usr/lib64,etc,proc,sys,dev,run,tmp,newroot,vm/images}
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"

# copy_elf SRC [DEST]: one executable or library, its debug sections left out.
copy_elf() {
  local dest=$root${2:-$1}
  mkdir -p "$(dirname "$dest")"
  [ -e "$dest" ] && return 0
  objcopy --strip-debug "$1" "$dest" 2>/dev/null || cp -L "$1" "$dest"
  chmod "$(stat -L -c %a "$1")" "$dest"
}

# with_libraries FILE...: FILE and every library ldd resolves for it, at the same paths.
with_libraries() {
  local f lib
  for f in "$@"; do
    copy_elf "$f"
    # "libx.so => /path (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"; static ones print nothing.
    for lib in $(ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
      copy_elf "$lib"
    done
  done
}

cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

# rkt, everything under its library directory (modules, plugins, their helpers, the supervisor).
rkt_files=("$build/bin/rkt")
while IFS= read -r f; do rkt_files+=("$f"); done < <(find -L "$build/lib" -type f)
with_libraries "${rkt_files[@]}" /bin/bash "$(command -v systemd-nspawn || echo /usr/bin/systemd-nspawn)"
cp -a "$build/lib/rkt" "$root$build/lib/rkt" 2>/dev/null || true  # the lib/rkt link older scripts use

overlay=$(find "$modules" -name 'overlay.ko*' | head -n 1)
[ -z "$overlay" ] || cp "$overlay" "$root/vm/overlay.ko"

cp -a "$images"/. "$root/vm/images/"
cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init"
# systemd-nspawn binds the host's os-release into every container.
cp /usr/lib/os-release "$root/usr/lib/os-release"
ln -s ../usr/lib/os-release "$root/etc/os-release"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf 'rkt-vm\n' >"$root/etc/hostname"
: >"$root/etc/machine-id"

(cd "$root" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort | busybox cpio -o -H newc -R 0:0) >"$out" 2>/dev/null
