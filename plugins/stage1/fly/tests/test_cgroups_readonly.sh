#!/bin/bash
# The host's cgroup trees are read-only inside a fly pod: a directory or file the app creates
# below /sys/fs/cgroup must not land on the host (rkt's fly left them writable; an issue-17
# fix). The pod's mounts are made read-only in the pod's own mount namespace: the host's
# cgroup mounts stay as they were. Whatever the app managed to create is removed at exit.
. "$(dirname "$0")/../../../../tests/functional/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/../../../../tests/functional/image_lib.sh"
need_store
need_busybox
need_fly
pin_stage1 fly
mountpoint -q /sys/fs/cgroup || skip "no cgroup filesystem mounted at /sys/fs/cgroup"

# The cgroup mounts of a mountinfo file: "mount point" "options", for /sys/fs/cgroup and below.
cgroup_mounts() {
  awk '$5 == "/sys/fs/cgroup" || index($5, "/sys/fs/cgroup/") == 1 {print $5, $6}' "$1" | sort
}
HOST_BEFORE=$(cgroup_mounts /proc/1/mountinfo)

# Where the app will try to write: the top of /sys/fs/cgroup (tmpfs on cgroup v1, the v2 tree)
# and every cgroup tree below it. Registered for removal before the pod runs.
NAME=rkt-ftest-$$-$RANDOM
DIRS=(/sys/fs/cgroup/$NAME)
while read -r mp _; do
  [ "$mp" = /sys/fs/cgroup ] || DIRS+=("$mp/$NAME")
done < <(cgroup_mounts /proc/self/mountinfo)
FILE=/sys/fs/cgroup/$NAME.file
for d in "${DIRS[@]}"; do on_exit "[ ! -d '$d' ] || rmdir '$d'"; done
on_exit "[ ! -f '$FILE' ] || rm -f '$FILE'"

KEY=$(build_busybox "$T/bb.aci")
rk --insecure-options=image fetch "$T/bb.aci"
assert_rc 0 "fetch the busybox image"

SCRIPT='for d in "$@"; do mkdir "$d" 2>/dev/null; echo "mkdir $d: $?"; done
touch '"$FILE"' 2>/dev/null; echo "create '"$FILE"': $?"
echo mountinfo; cat /proc/self/mountinfo'
rk --insecure-options=image run "$KEY" --exec /bin/sh -- -c "$SCRIPT" sh "${DIRS[@]}"
assert_rc 0 "the fly pod ran"

for d in "${DIRS[@]}"; do
  assert_contains "$OUT" "mkdir $d: 1" "mkdir $d refused inside the pod"
  [ ! -e "$d" ] || fail "the pod created $d on the host"
done
assert_contains "$OUT" "create $FILE: 1" "file creation refused inside the pod"
assert_no_file "$FILE" "the pod created $FILE on the host"

# Inside the pod every cgroup mount is read-only (seen from the app's root, /sys/fs/cgroup…).
printf '%s\n' "${OUT#*mountinfo}" >"$T/pod-mountinfo"
POD_MOUNTS=$(cgroup_mounts "$T/pod-mountinfo")
[ -n "$POD_MOUNTS" ] || fail "no cgroup mounts in the pod: ${OUT:0:400}"
while read -r mp opts; do
  case ",$opts," in *,ro,*) ;; *) fail "$mp is writable inside the pod ($opts)" ;; esac
done <<<"$POD_MOUNTS"
assert_eq "$(printf '%s\n' "$POD_MOUNTS" | wc -l)" "$(printf '%s\n' "$HOST_BEFORE" | wc -l)" \
  "every host cgroup mount is in the pod"

# The host's own cgroup mounts are untouched.
assert_eq "$(cgroup_mounts /proc/1/mountinfo)" "$HOST_BEFORE" "host cgroup mounts unchanged"
