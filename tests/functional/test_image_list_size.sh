#!/bin/bash
# `rkt image list` SIZE is rkt v1.30's: the stored (uncompressed) image plus the apparent size of
# its rendered tree directory as rkt's treestore held it (rkt's fileutil.DirSize: st_size of every
# entry, the directory included, a file with several names counted once), i.e. rootfs/…,
# manifest, hash, image, rendered — and not our tree fingerprint file, which rkt never had.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/image_lib.sh"
need_root
need_store
need_busybox

# An image with hard links (two names of one file, and a third name in another directory), a
# symlink and nested directories, next to the busybox fixture.
python3 - "$T/img/links.aci" <<'PY' || die "cannot build the hard-link image"
import gzip, io, json, sys, tarfile
man = {"acKind": "ImageManifest", "acVersion": "0.8.11", "name": "example.com/links",
       "labels": [{"name": "version", "value": "1.0"}, {"name": "os", "value": "linux"},
                  {"name": "arch", "value": "amd64"}],
       "app": {"exec": ["/bin/true"], "user": "0", "group": "0"}}
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
    def add(name, kind, data=b"", target=""):
        i = tarfile.TarInfo(name)
        i.mtime = 0
        i.type, i.mode = kind, 0o755 if kind == tarfile.DIRTYPE else 0o644
        i.linkname, i.size = target, len(data) if kind == tarfile.REGTYPE else 0
        t.addfile(i, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    add("manifest", tarfile.REGTYPE, json.dumps(man).encode())
    add("rootfs", tarfile.DIRTYPE)
    add("rootfs/data", tarfile.REGTYPE, b"x" * 5000)
    add("rootfs/data-link", tarfile.LNKTYPE, target="rootfs/data")
    add("rootfs/deep/er", tarfile.DIRTYPE)
    add("rootfs/deep/er/third-name", tarfile.LNKTYPE, target="rootfs/data")
    add("rootfs/sym", tarfile.SYMTYPE, target="data")
open(sys.argv[1], "wb").write(gzip.compress(buf.getvalue(), mtime=0))
PY
BB=$(build_busybox "$T/img/bb.aci")
LINKS=$(key_of "$T/img/links.aci")

# rkt's size of KEY's image, computed here from the files alone: the uncompressed ACI plus
# DirSize of its tree directory, measured with the fingerprint moved out (so the directory holds
# exactly rkt's entries, whatever the filesystem makes of a directory's own size).
rkt_size() { # KEY ACI
  local tree="" f
  for f in "$DATA"/cas/tree/*/image; do
    [ "$(cat "$f")" = "$1" ] && tree=$(dirname "$f")
  done
  [ -n "$tree" ] || die "no rendered tree for $1"
  mv "$tree/fingerprint" "$T/fingerprint.aside" 2>/dev/null
  python3 - "$2" "$tree" <<'PY'
import gzip, os, stat, sys
size = len(gzip.decompress(open(sys.argv[1], "rb").read()))
paths = [sys.argv[2]]
for top, dirs, files in os.walk(sys.argv[2]):
    paths += [os.path.join(top, n) for n in dirs + files]
seen = set()
for p in paths:
    st = os.lstat(p)
    if not stat.S_ISDIR(st.st_mode) and st.st_nlink > 1:
        if st.st_ino in seen:
            continue
        seen.add(st.st_ino)
    size += st.st_size
print(size)
PY
  [ ! -e "$T/fingerprint.aside" ] || mv "$T/fingerprint.aside" "$tree/fingerprint"
}

for aci in bb links; do
  rk --insecure-options=image fetch "$T/img/$aci.aci"
  assert_rc 0 "fetch $aci"
  rk image render "$(key_of "$T/img/$aci.aci")" "$T/out-$aci"
  assert_rc 0 "render $aci"
done

listed_size() { # KEY: SIZE of `rkt image list --full` (bytes)
  rk image list --full --no-legend --fields=id,size
  printf '%s\n' "$OUT" | awk -v k="$1" '$1 == k { print $2 }'
}
assert_eq "$(listed_size "$BB")" "$(rkt_size "$BB" "$T/img/bb.aci")" "busybox: rkt's size"
assert_eq "$(listed_size "$LINKS")" "$(rkt_size "$LINKS" "$T/img/links.aci")" \
  "hard links counted once, as rkt"

# The size stays rkt's after `image verify` repaired (rendered again) a damaged tree.
for f in "$DATA"/cas/tree/*/image; do
  [ "$(cat "$f")" = "$LINKS" ] && echo "y" >>"$(dirname "$f")/rootfs/sym-target-added"
done
rk image verify "$LINKS"
assert_eq "$(listed_size "$LINKS")" "$(rkt_size "$LINKS" "$T/img/links.aci")" \
  "size after a repair"
