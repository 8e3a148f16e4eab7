#!/usr/bin/env bash
# fetcher-oci / fetcher-oci-archive through rkt: layouts built from busybox-static
# (make_oci_layout.py: two images sharing a base layer; whiteout, opaque directory, hard link
# across layers, symlink, a file replacing a directory, an xattr) fetched, listed, shown,
# run (fly and nspawn), exported, removed and collected; layers stored once and shared, freed
# with the last image using them; a wrong digest and hostile layers refused with one line and
# nothing stored; oci-archive: the same.
. "$RKT_SOURCE_DIR/tests/functional/lib.sh"
private_mounts "$@"
. "$RKT_SOURCE_DIR/tests/functional/image_lib.sh"
need_root
need_store
need_busybox
need_fly
PLUGINS="$RKT_BUILD_DIR/lib/rkt/plugins"
[ -f "$PLUGINS/fetcher-oci.so" ] && [ -f "$PLUGINS/fetcher-oci-archive.so" ] ||
  skip "fetcher-oci.so / fetcher-oci-archive.so are not built"

MAKE="$(dirname "$0")/make_oci_layout.py"
python3 "$MAKE" "$T/layout" --archive "$T/layout.tar" || die "cannot build the OCI layout"
FLY=--stage1-name=coreos.com/rkt/stage1-fly
R() { rk --insecure-options=image "$@"; }

# refused DESCRIPTION NEEDLE: rkt failed with one error line (besides fetch's `image: ` progress
# lines) containing NEEDLE.
refused() {
  assert_rc 254 "$1: refused"
  local errors
  errors=$(printf '%s\n' "$ERR" | grep -v '^image: ' | sed '/^$/d')
  assert_eq "$(printf '%s\n' "$errors" | wc -l)" 1 "$1: one error line (got: ${errors:0:300})"
  assert_contains "$errors" "$2" "$1: message"
}

# nothing_stored DESCRIPTION: no image, no blob, no layer, no leftover in the store's tmp.
nothing_stored() {
  rk image list --no-legend
  assert_eq "$OUT" "" "$1: no image listed"
  assert_eq "$(find "$DATA/cas/blob" -type f 2>/dev/null)" "" "$1: no blob stored"
  assert_eq "$(stored_layers)" "" "$1: no layer stored"
  assert_eq "$(find "$DATA/cas/tmp" -mindepth 1 2>/dev/null)" "" "$1: nothing left in cas/tmp"
}

# stored_layers: the layer digests the store holds (cas/layers/sha256/<hex>), sorted.
stored_layers() { find "$DATA/cas/layers/sha256" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort; }
# blob_digest IMAGE-REF N: the digest of layer N (0 = bottom) of an image of the layout.
layer_hex() {
  python3 - "$T/layout" "$1" "$2" <<'PY'
import json, os, sys
root, ref, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
index = json.load(open(os.path.join(root, "index.json")))
m = [e for e in index["manifests"]
     if e.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref][0]
manifest = json.load(open(os.path.join(root, "blobs", "sha256", m["digest"][7:])))
print(manifest["layers"][n]["digest"][7:])
PY
}

# 1. A docker image is unsigned: --insecure-options=image is required, as for docker://.
rk fetch "oci:$T/layout:app:1.0"
assert_rc 254 "fetch without --insecure-options=image"
assert_contains "$ERR" "error opening signature file: no signature found" "unsigned: as any scheme image"

# 2. fetch, list, cat-manifest.
R fetch "oci:$T/layout:app:1.0"
assert_rc 0 "fetch oci:"
APP=$(printf '%s' "$OUT" | tail -n1)
rk image list --no-legend --fields=name
assert_eq "$OUT" "app:1.0" "image list names the image NAME:TAG"
# The ACI depends on the layout only: fetching it again gives the same image, stored once.
R fetch "oci:$T/layout:app:1.0"
assert_eq "$(printf '%s' "$OUT" | tail -n1)" "$APP" "fetching again gives the same image ID"
rk image list --no-legend --fields=id
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "fetching again stores nothing new"
# Kept as layers: one directory per layer digest, no squashed blob.
BASE=$(layer_hex app:1.0 0)
UPPER=$(layer_hex app:1.0 1)
OWN=$(layer_hex other:2.0 1)
assert_eq "$(stored_layers | tr '\n' ' ')" "$(printf '%s\n' "$BASE" "$UPPER" | sort | tr '\n' ' ')" \
  "the image's two layers are stored, each in its own directory"
assert_eq "$(find "$DATA/cas/blob" -type f)" "" "no squashed tar is stored"
# Whiteouts and opaque directories in overlayfs' form in the upper layer's tree.
L="$DATA/cas/layers/sha256/$UPPER"
assert_eq "$(stat -c %F:%t:%T "$L/gone")" "character special file:0:0" "whiteout: a 0:0 device"
assert_eq "$(python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "trusted.overlay.opaque").decode())' "$L/opq")" "y" \
  "opaque directory: trusted.overlay.opaque=y"
assert_no_file "$L/opq/.wh..wh..opq" "no marker file in the layer tree"
rk image cat-manifest "$APP"
assert_rc 0 "cat-manifest"
M=$OUT
python3 - "$M" "$T/layout" <<'PY' || fail "cat-manifest: conversion as docker2aci"
import json, sys
m = json.loads(sys.argv[1])
ann = {a["name"]: a["value"] for a in m["annotations"]}
labels = {l["name"]: l["value"] for l in m["labels"]}
app = m["app"]
def check(cond, what):
    if not cond:
        sys.exit("cat-manifest: " + what + ": " + json.dumps(m))
check(m["name"] == "app" and labels["version"] == "1.0" and labels["os"] == "linux", "name and labels")
check(app["exec"] == ["/bin/sh", "-c", "echo hello from oci"], "exec = Entrypoint ++ Cmd")
check(app["user"] == "app" and app["group"] == "app", "user u -> user u, group u")
check({e["name"] for e in app["environment"]} == {"PATH", "FROM_IMAGE"}, "env without = dropped")
check(app["workingDirectory"] == "/data", "working directory")
check(app["mountPoints"] == [{"name": "volume-data", "path": "/data"}], "volume mount point")
check([p["name"] for p in app["ports"]] == ["53-udp", "80-tcp"], "ports sorted by name")
check(app["userLabels"] == {"org.example.role": "test"}, "labels")
check(ann["appc.io/docker/repository"] == "app", "repository annotation")
check(ann["appc.io/docker/originalname"] == "oci:" + sys.argv[2] + ":app:1.0", "originalname")
check(json.loads(ann["appc.io/docker/entrypoint"]) == ["/bin/sh", "-c"], "entrypoint annotation")
check(json.loads(ann["appc.io/docker/cmd"]) == ["echo hello from oci"], "cmd annotation")
check(ann["appc.io/docker/manifesthash"].startswith("sha256:"), "manifesthash")
check(ann["authors"] == "rkt tests" and ann["created"] == "2017-07-14T02:40:00Z", "author, created")
PY

# 3. Run (fly): the image's command, then the squashed layers as the app sees them.
R run $FLY "oci:$T/layout:app:1.0"
assert_rc 0 "run fly"
assert_eq "$OUT" "hello from oci" "run fly: the image's exec"
CHECK='id -u; id -g; pwd; cat /data/base-file; ls /opq; ls /gone >/dev/null 2>&1 || echo gone;
  stat -c %h:%i /hl/orig; stat -c %h:%i /hl/link; readlink /etc/motd; cat /replaced;
  readlink /dev/stdin'
R run $FLY "oci:$T/layout:app:1.0" --exec /bin/sh -- -c "$CHECK"
assert_rc 0 "run fly: rootfs checks"
LINES=()
mapfile -t LINES <<<"$OUT"
assert_eq "${LINES[0]}:${LINES[1]}" "1000:1000" "user app, group falls back to the uid"
assert_eq "${LINES[2]}" "/data" "working directory"
assert_eq "${LINES[3]}" "from the base layer" "implicit volume pre-populated with the image's /data"
assert_eq "${LINES[4]}" "upper" "opaque directory: only the upper layer's entries"
assert_eq "${LINES[5]}" "gone" "whiteout removes the lower directory"
# A hard link to a lower layer's file is a copy in the upper layer (overlayfs stacks trees:
# an inode cannot span two of them), as docker's overlay2 driver has it.
assert_eq "${LINES[6]%%:*}" "1" "hard link across layers: a copy in the upper layer"
assert_eq "${LINES[8]}" "/data/base-file" "symlink kept"
assert_eq "${LINES[9]}" "a file now" "a file replaces a lower directory"
assert_eq "${LINES[10]}" "/proc/self/fd/0" "docker2aci's /dev symlinks"

# 3b. Without overlay: the app's rootfs is the merged stack, copied.
R run $FLY --no-overlay "oci:$T/layout:app:1.0" --exec /bin/sh -- \
  -c 'ls /opq; ls /gone >/dev/null 2>&1 || echo gone; cat /replaced; cat /hl/link'
assert_rc 0 "run fly --no-overlay"
assert_eq "$OUT" "upper
gone
a file now
linked across layers" "--no-overlay: the merged stack (opaque, whiteout, file over directory, link copy)"

# 3c. A pod's app exported: its overlay over the image's layers.
R run $FLY --uuid-file-save="$T/uuid" "oci:$T/layout:app:1.0" --user=0 --exec /bin/sh -- \
  -c 'echo from the pod >/opq/added'
assert_rc 0 "run fly, writing into the rootfs"
rk export "$(cat "$T/uuid")" "$T/pod.aci"
assert_rc 0 "export the pod's app"
python3 - "$T/pod.aci" <<'PY' || fail "pod export: the stack and the pod's writes"
import sys, tarfile
names = set(tarfile.open(sys.argv[1]).getnames())
for want in ("rootfs/opq/upper", "rootfs/opq/added", "rootfs/bin/busybox", "rootfs/data/base-file"):
    if want not in names:
        sys.exit("pod export: missing " + want)
if "rootfs/opq/lower" in names or any(n.startswith("rootfs/gone") for n in names):
    sys.exit("pod export: whiteout or opaque directory not honoured")
PY

# 4. Run (nspawn), when it can run here.
if command -v systemd-nspawn >/dev/null && [ -x "$PLUGINS/stage1-nspawn/supervisor" ]; then
  R run --stage1-name=coreos.com/rkt/stage1-nspawn "oci:$T/layout:app:1.0" --exec /bin/sh -- \
    -c 'id -g; cat /data/base-file; ls /opq'
  assert_rc 0 "run nspawn"
  assert_contains "$OUT" "1000" "run nspawn: group falls back to the uid"
  assert_contains "$OUT" "from the base layer" "run nspawn: implicit volume pre-populated"
  assert_contains "$OUT" "upper" "run nspawn: opaque directory"
  # --private-users: the stack's owners shifted into the pod's range (copied up).
  R run --net=host --private-users --stage1-name=coreos.com/rkt/stage1-nspawn \
    "oci:$T/layout:app:1.0" --exec /bin/sh -- -c 'id -u; ls /opq; cat /replaced'
  assert_rc 0 "run nspawn --private-users"
  assert_eq "$(printf '%s\n' "$OUT" | tail -n3)" "1000
upper
a file now" "run nspawn --private-users: the stack as the app's user sees it"
else
  echo "note: systemd-nspawn or the nspawn supervisor missing: nspawn run not tested" >&2
fi

# 5. Export: the squashed ACI, as rkt's docker2aci image.
R image export "$APP" "$T/app.aci"
assert_rc 0 "image export"
python3 - "$T/app.aci" <<'PY' || fail "export: squashed ACI content"
import json, sys, tarfile
t = tarfile.open(sys.argv[1])
names = {m.name: m for m in t.getmembers()}
def check(cond, what):
    if not cond:
        sys.exit("export: " + what)
check("manifest" in names, "manifest")
check("rootfs/opq/upper" in names and "rootfs/opq/lower" not in names, "opaque directory")
check(not any(n.startswith("rootfs/gone") or "/.wh." in n for n in names), "whiteouts applied")
check(t.extractfile("rootfs/hl/link").read() == t.extractfile("rootfs/hl/orig").read(),
      "hard link across layers: the same content")
check(names["rootfs/etc/motd"].issym(), "symlink kept")
check(names["rootfs/attr"].pax_headers.get("SCHILY.xattr.user.rkt") == "oci", "xattr kept")
check(json.load(t.extractfile("manifest"))["name"] == "app", "manifest name")
PY

# 5b. Render: the merged stack, as a pod sees it.
rk image render --rootfs-only "$APP" "$T/rendered"
assert_rc 0 "image render"
assert_eq "$(ls "$T/rendered/opq")" "upper" "render: opaque directory"
assert_no_file "$T/rendered/gone" "render: whiteout applied"
assert_eq "$(cat "$T/rendered/replaced")" "a file now" "render: a file replaces a directory"
assert_eq "$(readlink "$T/rendered/dev/stdin")" "/proc/self/fd/0" "render: /dev links"

# 6. The second image of the layout; rm and gc.
R fetch "oci:$T/layout:other:2.0"
assert_rc 0 "fetch the second image"
OTHER=$(printf '%s' "$OUT" | tail -n1)
assert_eq "$(stored_layers | tr '\n' ' ')" \
  "$(printf '%s\n' "$BASE" "$UPPER" "$OWN" | sort | tr '\n' ' ')" \
  "the second image stores only its own layer: the base is shared"
# Sizes count the shared base once: in the older image.
rk image list --no-legend --fields=name,size --full
SIZES=$OUT
python3 - "$SIZES" "$DATA/cas/layers/sha256" "$BASE" "$UPPER" "$OWN" <<'PY' || fail "image list sizes"
import os, sys
rows = dict(line.split()[:2] for line in sys.argv[1].splitlines())
def data(hexd):
    total = 0
    for dirpath, _, files in os.walk(os.path.join(sys.argv[2], hexd)):
        for f in files:
            st = os.lstat(os.path.join(dirpath, f))
            if (st.st_mode & 0o170000) == 0o100000:
                total += st.st_size
    return total
base, upper, own = (data(h) for h in sys.argv[3:6])
# SIZE adds the rendered tree (rkt's column): small here, the layers dominate.
if not (int(rows["app:1.0"]) >= base + upper and own <= int(rows["other:2.0"]) < base):
    sys.exit("sizes: %r, layers %d %d %d" % (rows, base, upper, own))
PY
R run $FLY "$OTHER"
assert_eq "$OUT" "only in the second image" "run the second image"
rk image list --no-legend --fields=name
assert_eq "$(printf '%s\n' "$OUT" | sort | tr '\n' ' ')" "app:1.0 other:2.0 " "both images listed"
rk image rm "$OTHER"
assert_rc 0 "image rm"
rk image list --no-legend --fields=name
assert_eq "$OUT" "app:1.0" "image rm removes only that image"
# The pod that ran it still refers to its tree, which stacks its layer: kept until both go.
assert_eq "$(stored_layers | tr '\n' ' ')" \
  "$(printf '%s\n' "$BASE" "$UPPER" "$OWN" | sort | tr '\n' ' ')" \
  "a layer a pod's tree stacks stays after image rm"
rk gc --grace-period=0s >/dev/null
rk image gc  # the default grace period keeps app:1.0 (used just now); unused trees go
assert_rc 0 "image gc"
assert_eq "$(stored_layers | tr '\n' ' ')" "$(printf '%s\n' "$BASE" "$UPPER" | sort | tr '\n' ' ')" \
  "once no pod uses it, gc frees the layer only it used and keeps the shared base"
rk image gc --grace-period=0s
assert_rc 0 "image gc of every image"

# 7. No REF with two images in the layout: the error names them.
R fetch "oci:$T/layout"
assert_rc 254 "no REF with two images"
assert_contains "$ERR" "app:1.0, other:2.0, multi:3, many:1" "no REF: the images are named"
R fetch "oci:$T/layout:nope"
assert_rc 254 "unknown REF"
assert_contains "$ERR" "has no image \`nope\`" "unknown REF message"

# 7b. An index of several platforms: this host's image is chosen.
R run $FLY "oci:$T/layout:multi:3"
assert_rc 0 "run a multi-platform index"
assert_eq "$OUT" "host" "the host's platform is chosen from the index"
rk image list --no-legend --fields=id,name
rk image rm "$(printf '%s\n' "$OUT" | awk '$2 == "multi:3" {print $1}')"
assert_rc 0 "remove the multi-platform image"

# 8. oci-archive: the same image from a tar of the layout (a different ID: the
# appc.io/docker/originalname annotation records the reference as typed, as docker2aci did).
rk image rm "$APP" >/dev/null
R fetch "oci-archive:$T/layout.tar:app:1.0"
assert_rc 0 "fetch oci-archive:"
ARCHIVED=$(printf '%s' "$OUT" | tail -n1)
rk image list --no-legend --fields=name
assert_eq "$OUT" "app:1.0" "oci-archive: the same name"
R run $FLY "oci-archive:$T/layout.tar:app:1.0" --exec /bin/sh -- -c 'ls /opq; cat /data/base-file'
assert_eq "$OUT" "upper
from the base layer" "run from oci-archive:"
rk image rm "$ARCHIVED" >/dev/null
rk gc --grace-period=0s >/dev/null
rk image gc --grace-period=0s >/dev/null
nothing_stored "after rm and gc"

# 9. A wrong digest: refused, nothing stored; the same from an archive.
python3 "$MAKE" "$T/bad" --archive "$T/bad.tar" --corrupt || die "cannot build the corrupt layout"
for img in "oci:$T/bad:app:1.0" "oci-archive:$T/bad.tar:app:1.0"; do
  R fetch "$img"
  refused "wrong digest ($img)" "does not match its digest"
  nothing_stored "wrong digest ($img)"
done

# 10. Hostile layers: one line naming the layer and entry, nothing stored, nothing outside.
for kind in dotdot hardlink deep header; do
  python3 "$MAKE" "$T/h-$kind" --hostile "$kind" || die "cannot build the $kind layout"
  R fetch "oci:$T/h-$kind:evil"
  refused "hostile layer ($kind)" "cannot import image \`oci:$T/h-$kind:evil\`: layer \`sha256:"
  nothing_stored "hostile layer ($kind)"
done
# An entry below a lower layer's symlink: each layer is extracted into its own tree, so the
# entry's parents are directories of the upper layer, which hide the lower symlink in the
# stack (as docker's overlay2 has it); nothing goes through the link.
python3 "$MAKE" "$T/h-symlink" --hostile symlink || die "cannot build the symlink layout"
R fetch "oci:$T/h-symlink:evil"
assert_rc 0 "entry below a lower symlink: stored as its own layer"
R run $FLY "oci:$T/h-symlink:evil" --exec /bin/sh -- -c 'test -d /data/esc && ls /data/esc'
assert_eq "$OUT" "planted" "entry below a lower symlink: the upper directory hides the link"
rk image list --no-legend --fields=id,name
rk image rm "$(printf '%s\n' "$OUT" | awk '$2 == "h-symlink:evil" {print $1}')" >/dev/null
assert_rc 0 "remove the symlink image"
assert_no_file "$T/escaped" "dotdot: nothing written outside"
assert_no_file "/data/planted" "symlink: nothing written through the link"

# 11. Missing layout and archive.
R fetch "oci:$T/missing"
assert_rc 254 "missing layout"
assert_contains "$ERR" "cannot open \`$T/missing\`: no such file or directory" "missing layout message"
R fetch "oci-archive:$T/layout"
assert_rc 254 "oci-archive of a directory"
assert_contains "$ERR" "not a regular file" "oci-archive of a directory: message"

# 12. 60 layers: more than mount(2)'s one page of lowerdir= options; passed one by one.
R run $FLY "oci:$T/layout:many:1"
assert_rc 0 "run an image of 61 layers"
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 60 "every layer of the stack is seen"
