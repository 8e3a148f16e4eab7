#!/bin/bash
# `rkt image gc` and what renders and removers leave behind (issue 9): a tree a render left
# incomplete is swept by image gc whatever its depth, and by image gc only (a store open does not
# retry it); one that cannot be removed (a mount left in it) is reported by image gc with its path
# and the reason, never entered; a fetch that fails on very deep paths leaves no partial tree; an
# image a concurrent remover got to first is no failure of image gc.
. "$(dirname "$0")/lib.sh"
private_mounts
. "$(dirname "$0")/image_lib.sh"
need_store
need_busybox
command -v flock >/dev/null || skip "flock(1) is missing"

# tmpfs: building and removing tens of thousands of directories on a disk filesystem mounted with
# `discard` takes minutes. The mount lives in this test's private namespace.
mkdir -p "$DATA" && mount -t tmpfs tmpfs "$DATA" || die "cannot mount a tmpfs on $DATA"
on_exit "umount -l '$DATA'"

# deep_dirs DIR LEVELS: DIR/x/x/…/x/deepest, built through descriptors (far past PATH_MAX).
deep_dirs() {
  python3 - "$1" "$2" <<'PY'
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
for _ in range(int(sys.argv[2])):
    os.mkdir("x", dir_fd=fd)
    sub = os.open("x", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
    os.close(fd)
    fd = sub
os.close(os.open("deepest", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd))
PY
}
tree_id() { printf 'deps-sha512-%s' "$(printf "$1%.0s" $(seq 64))"; }

GOOD=$(build_busybox "$T/img/good.aci" example.com/good 1.0.0)
rk --insecure-options=image fetch "$T/img/good.aci"
assert_rc 0 "fetch the good image"

# --- 1. a 20,000-level leftover: left alone by other commands, swept by image gc --------------
DEEP=$(tree_id a)
LEFT=$DATA/cas/tree/$DEEP
mkdir -p "$LEFT/rootfs"
deep_dirs "$LEFT/rootfs" 20000 || die "cannot build the deep leftover"
echo canary >"$LEFT/canary"
rk image list
assert_rc 0 "image list with a deep leftover tree"
assert_file "$LEFT/canary" "image list leaves an incomplete tree alone"
rk image gc
assert_rc 0 "image gc with a deep leftover tree"
assert_contains "$ERR" "removed incomplete treestore \"$DEEP\"" "image gc reports the sweep"
assert_no_file "$LEFT" "image gc removed the 20,000-level leftover"

# --- 2. a leftover with a mount in it: reported by image gc (path and reason), never entered ---
# The mounted directory is on the same filesystem (same st_dev): only its mount tells it apart.
STUCK=$(tree_id b)
LEFT=$DATA/cas/tree/$STUCK
mkdir -p "$LEFT/rootfs/a/mnt" "$DATA/host"
echo precious >"$DATA/host/keep"
echo canary >"$LEFT/rootfs/a/canary"
mount --bind "$DATA/host" "$LEFT/rootfs/a/mnt" || die "cannot bind-mount into the leftover"
on_exit "umount -l '$LEFT/rootfs/a/mnt' 2>/dev/null"
rk image list
assert_rc 0 "image list with a leftover holding a mount"
assert_eq "$ERR" "" "image list says nothing about leftovers"
assert_file "$LEFT/rootfs/a/canary" "image list does not try to remove the leftover"
assert_eq "$(cat "$DATA/host/keep" 2>/dev/null)" precious "image list leaves the mounted directory alone"
rk image gc
assert_rc 0 "image gc goes on past a tree it cannot remove (as rkt)"
assert_contains "$ERR" "error removing incomplete treestore \"$STUCK\": " "image gc reports the leftover"
assert_contains "$ERR" "$LEFT/rootfs/a/mnt\`: something is mounted there" "the report names the path and why"
assert_eq "$(printf '%s\n' "$ERR" | grep -c "$STUCK")" 1 "reported once"
assert_eq "$(cat "$DATA/host/keep" 2>/dev/null)" precious "image gc never entered the mount"
rk image list
assert_not_contains "$ERR" "$STUCK" "later commands do not retry it"
umount "$LEFT/rootfs/a/mnt" || die "cannot unmount"
rk image gc
assert_contains "$ERR" "removed incomplete treestore \"$STUCK\"" "swept once the mount is gone"
assert_no_file "$LEFT" "the leftover is gone"
assert_eq "$(cat "$DATA/host/keep")" precious "the once mounted directory is intact"

# --- 3. a fetch that fails (or not) on very deep paths leaves no partial tree -------------------
python3 - "$T/img/deep.aci" 2200 <<'PY'
import gzip, io, json, sys, tarfile
man = {"acKind": "ImageManifest", "acVersion": "0.8.11", "name": "example.com/deep",
       "labels": [{"name": "version", "value": "1.0.0"}, {"name": "os", "value": "linux"},
                  {"name": "arch", "value": "amd64"}]}
with gzip.open(sys.argv[1], "wb", compresslevel=1) as gz:
    with tarfile.open(fileobj=gz, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        data = json.dumps(man).encode()
        ti = tarfile.TarInfo("manifest"); ti.size = len(data); tar.addfile(ti, io.BytesIO(data))
        path = "rootfs"
        for _ in range(int(sys.argv[2]) + 1):
            ti = tarfile.TarInfo(path); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; tar.addfile(ti)
            path += "/d"
        ti = tarfile.TarInfo(path); ti.size = 1; tar.addfile(ti, io.BytesIO(b"x"))
PY
rk --insecure-options=image fetch "$T/img/deep.aci"
for t in "$DATA"/cas/tree/*; do
  [ -e "$t" ] || continue
  assert_file "$t/rendered" "a fetch of a 2,200-level image leaves no partial tree ($(basename "$t"), fetch exit $RC)"
done

# --- 4. image gc: an image a concurrent remover got to first is no failure ----------------------
VICTIM=$(build_busybox "$T/img/victim.aci" example.com/victim 2.0.0)
rk --insecure-options=image fetch "$T/img/victim.aci"
assert_rc 0 "fetch the image the race is about"
# Holding the image's lock stops image gc right before it removes the image; meanwhile this test
# does what `rkt image rm` does under that lock (index rows, then files), then lets gc go on.
LOCK=$DATA/cas/imagelocks/$VICTIM
: >"$LOCK"
flock "$LOCK" sh -c "while [ ! -e '$T/go' ]; do sleep 0.05; done" &
holder=$!
on_exit "touch '$T/go'; wait $holder 2>/dev/null"
for i in $(seq 200); do flock -n -s "$LOCK" true || break; sleep 0.05; done
"$RKT" --dir="$DATA" --system-config="$T/sys" --local-config="$T/local" image gc --grace-period=0s \
  >"$T/gc.out" 2>"$T/gc.err" &
gc=$!
for i in $(seq 400); do
  awk -v p="$gc" '$2 == "->" && $6 == p { found = 1 } END { exit !found }' /proc/locks && break
  kill -0 "$gc" 2>/dev/null || break
  sleep 0.05
done
awk -v p="$gc" '$2 == "->" && $6 == p { found = 1 } END { exit !found }' /proc/locks ||
  fail "image gc never waited for the image lock: $(cat "$T/gc.err")"
python3 - "$DATA/cas/db/store.sqlite" "$VICTIM" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
with db:
    db.execute("DELETE FROM aciinfo WHERE blobkey = ?", (sys.argv[2],))
    db.execute("DELETE FROM remote WHERE blobkey = ?", (sys.argv[2],))
PY
rm -f "$DATA/cas/blob/sha512/${VICTIM:7:2}/$VICTIM" "$DATA/cas/imageManifest/sha512/${VICTIM:7:2}/$VICTIM"
touch "$T/go"
wait $holder
wait $gc && RC=0 || RC=$?
ERR=$(cat "$T/gc.err")
assert_rc 0 "image gc whose image a concurrent remover got first"
assert_not_contains "$ERR" "cannot be removed" "no failure reported"
assert_not_contains "$(cat "$T/gc.out")" "$VICTIM" "the image gc did not remove is not claimed"
assert_eq "$(listed_keys)" "" "the store is empty"
