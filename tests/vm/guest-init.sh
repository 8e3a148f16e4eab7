#!/bin/sh
# The guest's /init (PID 1, busybox sh), in two steps.
#
# 1. On the initramfs: copy the root into a tmpfs and switch_root into it. The initramfs is the
#    kernel's rootfs, which pivot_root(2) refuses and no real host has as its root: today's
#    pods run on it too, but the tests should see a root that is an ordinary mount (a few
#    seconds of TCG time).
# 2. In the tmpfs: mount the API filesystems, cgroup2 alone at /sys/fs/cgroup (the kernel runs
#    with cgroup_no_v1=all), load overlay, then run /vm/test.sh as root with bash. Its stdout and
#    stderr go to the second serial port (the host's output file), its exit status as one line
#    to the third; the kernel and this script talk on the first. Then power off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
if [ ! -e /vm/.in-tmpfs ]; then
  mount -t tmpfs -o mode=0755 tmpfs /newroot
  for entry in /*; do
    case $entry in /newroot | /proc | /sys | /dev) mkdir -p "/newroot$entry" ;; *) cp -a "$entry" /newroot/ ;; esac
  done
  : >/newroot/vm/.in-tmpfs
  exec switch_root /newroot /init
fi

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t cgroup2 cgroup2 /sys/fs/cgroup
[ ! -e /vm/overlay.ko ] || insmod /vm/overlay.ko
hostname rkt-vm
ip link set lo up 2>/dev/null

# The ports stay open until power-off: the last close of a serial port shuts the UART down and
# clears its FIFO, losing what it had not sent yet. raw: bytes as the test wrote them (no CR).
exec 3>/dev/ttyS1 4>/dev/ttyS2
stty -F /dev/ttyS1 raw -echo 2>/dev/null
stty -F /dev/ttyS2 raw -echo 2>/dev/null
export HOME=/root TMPDIR=/tmp RKT_VM_IMAGES=/vm/images
[ ! -f /vm/env ] || . /vm/env
mkdir -p /root
cd /vm
bash /vm/test.sh >&3 2>&3 </dev/null
echo "$?" >&4
# stty sets the line with TCSADRAIN: it returns once the port has sent everything written to it.
stty -F /dev/ttyS1 raw -echo 2>/dev/null
stty -F /dev/ttyS2 raw -echo 2>/dev/null
sync
poweroff -f
