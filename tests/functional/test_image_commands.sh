#!/bin/bash
# `rkt fetch` of local files and the `rkt image` commands on a fresh store: fetch, list (text and
# JSON), cat-manifest, export (the exported file hashes to the key), extract, rm, gc, pull
# policies, argument errors, the messages for missing fetchers and unsigned images, and a
# hostile (path traversal) archive refused at fetch without changing the store.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/image_lib.sh"
# This test covers fetching without an appc or docker fetcher (dependencies from the store only,
# the "no fetcher" messages); fetches by name are test_fetch_appc.sh's, in an isolated network,
# and docker's plugins/fetchers/docker/tests', from a registry on 127.0.0.1.
hide_plugins fetcher-appc fetcher-docker
need_root
need_store
need_busybox

BB=$T/img/bb.aci
KEY=$(build_busybox "$BB" example.com/busybox 1.0.0)
OTHER=$T/img/other.aci
OKEY=$(ACI_COMPRESSION=xz build_busybox "$OTHER" example.com/other 2.0.0)

# --- unsigned images are refused unless --insecure-options=image (test_fetch_signature.sh) ----
rk fetch "$BB"
assert_rc 254 "fetch without --insecure-options=image"
assert_contains "$ERR" "error opening signature file" "unsigned fetch message"
rk image list --no-legend
assert_eq "$OUT" "" "nothing stored by a refused fetch"

# --- fetch: short key by default, full key with --full ----------------------------------------
rk --insecure-options=image fetch "$BB"
assert_rc 0 "fetch a local ACI"
assert_eq "$OUT" "${KEY:0:39}" "fetch prints the short key (sha512- + 32 hex)"
assert_contains "$ERR" "image: using image from file $BB" "fetch says where the image came from"
assert_contains "$ERR" "image: warning: image signature verification has been disabled" \
  "fetch warns that verification is off"
rk --insecure-options=image fetch --full "$BB" "$OTHER"
assert_rc 0 "fetch two images"
assert_eq "$OUT" "$KEY"$'\n'"$OKEY" "fetch --full prints each full key in order"
# Relative paths and file:// URLs name the same file.
(cd "$T/img" && "$RKT" --dir="$DATA" --system-config="$T/sys" --local-config="$T/local" \
  --insecure-options=image fetch --full ./bb.aci file://"$BB" >"$T/rel.out" 2>/dev/null) ||
  fail "fetch of ./bb.aci and file:// URL failed"
assert_eq "$(cat "$T/rel.out")" "$KEY"$'\n'"$KEY" "relative path and file:// URL"
# An image ID is looked up in the store.
rk fetch "${KEY:0:20}"
assert_rc 0 "fetch by image ID prefix"
assert_eq "$OUT" "${KEY:0:39}" "fetch by ID prints the key"

# --- image list --------------------------------------------------------------------------------
rk image list
assert_rc 0 "image list"
header=$(printf '%s\n' "$OUT" | head -n1 | tr -s '\t' ' ')
assert_eq "$header" "ID NAME SIZE IMPORT TIME LAST USED" "list header"
assert_contains "$OUT" "${KEY:0:19}"$'\t' "short (12 hex) ID in the list"
assert_not_contains "$OUT" "${KEY:0:20}" "list does not show more than 12 hex digits"
assert_contains "$OUT" "example.com/busybox:1.0.0" "list shows name:version"
assert_contains "$OUT" "example.com/other:2.0.0" "second image listed"
assert_contains "$OUT" "MiB" "humanized IEC size"
case "$OUT" in *now* | *ago*) ;; *) fail "humanized time: expected 'now' or '… ago' in: $OUT" ;; esac
rk image list --no-legend --full --fields=id,size --sort=name --order=desc
assert_rc 0 "image list --full --fields --sort --order"
OUT=$(printf '%s\n' "$OUT" | tr -s '\t' ' ')
first=$(printf '%s\n' "$OUT" | head -n1)
# SIZE is the stored tar plus its rendered tree (rkt adds both); as root with overlayfs the
# fetch rendered the tree, whose entries' sizes (as rkt's DirSize) are summed here, but for our
# fingerprint file, which rkt's trees did not have (test_image_list_size.sh checks it all).
tree_bytes() {
  local t
  for t in "$DATA"/cas/tree/*/; do
    if [ "$(cat "$t/image" 2>/dev/null)" = "$1" ]; then
      find "${t%/}" -path "${t%/}/fingerprint" -prune -o -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'
      return
    fi
  done
  echo 0
}
want_size=$(($(gzip -dc "$BB" | wc -c) + $(tree_bytes "$KEY")))
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 2 "two rows, no legend"
assert_eq "${first%% *}" "$OKEY" "sorted by name, descending: other first"
assert_contains "$OUT" "$KEY" "full key listed"
assert_contains "$OUT" "$KEY $want_size" "--full size in bytes (the uncompressed tar)"
rk image list --format=json
assert_rc 0 "image list --format=json"
assert_json "$OUT" "image list JSON"
check=$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
m = {e["id"]: e for e in d}
e = m[sys.argv[1]]
ok = (set(e) == {"id", "name", "import_time", "last_used_time", "size"} and
      e["name"] == "example.com/busybox:1.0.0" and e["size"] == int(sys.argv[2]) and
      e["import_time"] > 10**18 and e["last_used_time"] >= e["import_time"] and len(d) == 2)
print("ok" if ok else d)' "$KEY" "$want_size")
assert_eq "$check" ok "JSON entry fields"
rk image list --format=json-pretty
assert_contains "$OUT" $'[\n\t{\n\t\t"id": "' "json-pretty is tab-indented"
rk image list --fields=id,bogus
assert_rc 254 "unknown field"
assert_contains "$ERR" 'unknown option "bogus"' "unknown field message"
rk image list --sort=id
assert_rc 254 "id is not a sort field"
rk image list --order=up
assert_rc 254 "bad order"

# --- cat-manifest ------------------------------------------------------------------------------
rk image cat-manifest example.com/busybox:1.0.0
assert_rc 0 "cat-manifest by name:version"
assert_contains "$OUT" $'{\n\t"acKind": "ImageManifest"' "pretty-printed by default"
rk image cat-manifest --pretty-print=false "${KEY:0:15}"
assert_rc 0 "cat-manifest by ID prefix"
assert_json "$OUT" "cat-manifest output"
assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')" \
  example.com/busybox "manifest name"
assert_not_contains "$OUT" $'\n' "compact output is one line"
rk image cat-manifest example.com/nope
assert_rc 254 "cat-manifest of a missing name"
assert_contains "$ERR" 'cannot find aci satisfying name: "example.com/nope"' "missing name message"
rk image cat-manifest sha512-00
assert_rc 254 "cat-manifest of a missing ID"
assert_contains "$ERR" "no image IDs found" "missing ID message"
rk image cat-manifest
assert_rc 254 "cat-manifest without argument"

# --- export: the stored uncompressed tar, hash == key -------------------------------------------
rk image export example.com/other "$T/out.aci"
assert_rc 0 "export"
assert_eq "sha512-$(sha512sum "$T/out.aci" | cut -c1-64)" "$OKEY" "exported file hashes to the key"
rk image export example.com/other "$T/out.aci"
assert_rc 254 "export onto an existing file"
assert_contains "$ERR" "output ACI file exists (try --overwrite)" "export refuses to overwrite"
rk image export --overwrite "${KEY:0:12}" "$T/out.aci"
assert_rc 0 "export --overwrite"
assert_eq "sha512-$(sha512sum "$T/out.aci" | cut -c1-64)" "$KEY" "overwritten export hashes to the key"
# --overwrite replaces what is at the output path and never writes through it: a symlink planted
# there is replaced, its target stays as it was. Without --overwrite any existing path, a
# dangling symlink too, is refused.
echo precious >"$T/victim"
ln -s "$T/victim" "$T/link.aci"
ln -s "$T/nowhere" "$T/dangling.aci"
for target in link.aci dangling.aci; do
  rk image export example.com/other "$T/$target"
  assert_rc 254 "export onto a symlink ($target)"
  assert_contains "$ERR" "output ACI file exists (try --overwrite)" "export onto $target: refused"
done
assert_no_file "$T/nowhere" "nothing written through a dangling symlink"
rk image export --overwrite example.com/other "$T/link.aci"
assert_rc 0 "export --overwrite onto a symlink"
[ -L "$T/link.aci" ] && fail "export --overwrite left the symlink in place"
assert_eq "$(cat "$T/victim")" precious "export --overwrite did not write through the symlink"
assert_eq "sha512-$(sha512sum "$T/link.aci" | cut -c1-64)" "$OKEY" "the symlink replaced by the export"
assert_eq "$(ls -A "$T" | grep -c '\.rkt-')" 0 "no temporary export file left"

# --- extract -------------------------------------------------------------------------------------
rk image extract example.com/busybox "$T/ex"
assert_rc 0 "extract"
assert_file "$T/ex/manifest" "extract writes the manifest"
assert_eq "$(cat "$T/ex/rootfs/etc/passwd" | head -n1)" "root:x:0:0:root:/root:/bin/sh" "rootfs content"
assert_eq "$(readlink "$T/ex/rootfs/bin/sh")" busybox "symlinks kept"
assert_eq "$(stat -c %u:%g:%a "$T/ex/rootfs/home/user/owned-by-user")" 1000:1000:640 "owner and mode kept"
cmp -s "$T/ex/rootfs/bin/busybox" /bin/busybox || fail "busybox binary content"
rk image extract example.com/busybox "$T/ex"
assert_rc 254 "extract onto an existing directory"
assert_contains "$ERR" "output directory exists (try --overwrite)" "extract refuses to overwrite"
rk image extract --overwrite --rootfs-only example.com/busybox "$T/ex"
assert_rc 0 "extract --rootfs-only --overwrite"
assert_file "$T/ex/bin/busybox" "rootfs-only puts the rootfs at the target"
assert_no_file "$T/ex/manifest" "rootfs-only has no manifest"
assert_no_file "$T/ex/rootfs" "previous content removed"
rk image extract --overwrite example.com/busybox /
assert_rc 254 "extract --overwrite /"
assert_contains "$ERR" "this would delete your root filesystem. Refusing." "refuses /"

# --- pull policies -------------------------------------------------------------------------------
DATA=$T/data2
rk --insecure-options=image fetch --pull-policy=never example.com/busybox:1.0.0
assert_rc 254 "never with an empty store"
assert_contains "$ERR" 'unable to fetch image from image name "example.com/busybox:1.0.0"' \
  "never: not found message"
rk --insecure-options=image fetch --pull-policy=never "$BB"
assert_rc 0 "files are imported whatever the policy"
rk fetch --pull-policy=new example.com/busybox:1.0.0
assert_rc 0 "new finds the image by name in the store"
assert_eq "$OUT" "${KEY:0:39}" "new: stored key"
assert_contains "$ERR" "using image from local store for image name example.com/busybox:1.0.0" \
  "new: says it used the store"
rk fetch --pull-policy=update example.com/busybox:1.0.0
assert_rc 254 "update goes remote for a name"
assert_contains "$ERR" "no fetcher for appc image names is installed (installed fetchers: aci-archive" \
  "missing appc fetcher message"
rk --insecure-options=image fetch docker://busybox
assert_rc 254 "docker image without a docker fetcher"
assert_contains "$ERR" "no fetcher for docker images is installed" "missing docker fetcher message"
rk fetch --pull-policy=sometimes "$BB"
assert_rc 254 "bad pull policy"
assert_contains "$ERR" 'invalid argument "sometimes" for "--pull-policy" flag' "bad policy message"
DATA=$T/data

# --- argument errors -----------------------------------------------------------------------------
rk fetch
assert_rc 254 "fetch without images"
assert_contains "$ERR" "must provide at least one image" "no image message"
rk --insecure-options=image fetch "$BB" -- arg
assert_rc 254 "fetch with app arguments"
assert_contains "$ERR" "app arguments unsupported" "app arguments message"
rk fetch --signature="$T/x.asc" "$BB"
assert_rc 254 "--signature before any image"
assert_contains "$ERR" "--signature must follow an image" "signature position message"
rk fetch http://example.com/not-an-aci
assert_rc 254 "http URL without .aci"
assert_contains "$ERR" 'invalid image string "http://example.com/not-an-aci"' "invalid image string"

# --- rm and gc -------------------------------------------------------------------------------------
rk image rm "${KEY:0:14}" example.com/nope sha512-0000
assert_rc 254 "rm with one good and two bad images"
assert_eq "$OUT" "successfully removed aci for image: \"$KEY\"" "rm prints the removed key on stdout"
assert_contains "$ERR" "rm: 1 image(s) successfully removed" "rm summary"
assert_contains "$ERR" 'image name "example.com/nope" not found' "rm of a missing name"
assert_contains "$ERR" "rm: 2 image(s) cannot be removed" "rm failure count"
assert_eq "$(listed_keys)" "$OKEY" "only the other image is left"
rk image rm "$KEY"
assert_rc 254 "rm of a removed image"
rk image rm
assert_rc 254 "rm without arguments"
rk --insecure-options=image fetch "$BB"
rk image rm example.com/busybox example.com/busybox
assert_rc 0 "rm by name, named twice"
assert_eq "$(printf '%s\n' "$OUT" | grep -c successfully)" 1 "an image named twice is removed once"

rk --insecure-options=image fetch "$BB"
rk image gc
assert_rc 0 "image gc with the default grace period"
assert_eq "$(listed_keys | wc -l)" 2 "recently used images survive gc"
rk image gc --grace-period=forever
assert_rc 254 "bad grace period"
assert_contains "$ERR" 'time: invalid duration "forever"' "Go duration error"
sleep 1.1
rk image gc --grace-period=1s
assert_rc 0 "image gc --grace-period=1s"
assert_contains "$OUT" "successfully removed aci for image: \"$KEY\"" "gc removes the busybox image"
assert_contains "$OUT" "successfully removed aci for image: \"$OKEY\"" "gc removes the other image"
assert_contains "$ERR" "gc: 2 image(s) successfully removed" "gc summary"
assert_eq "$(listed_keys)" "" "store empty after gc"

# --- a hostile archive is refused at fetch and leaves the store as it was ----------------------
python3 - "$T/img/evil.aci" <<'PY'
import io, json, sys, tarfile
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as tar:
    def add(name, data=None, kind=tarfile.REGTYPE, link=""):
        ti = tarfile.TarInfo(name)
        ti.type, ti.linkname, ti.mode = kind, link, 0o755 if kind == tarfile.DIRTYPE else 0o644
        if data is not None:
            ti.size = len(data)
        tar.addfile(ti, io.BytesIO(data) if data is not None else None)
    man = {"acKind": "ImageManifest", "acVersion": "0.8.11", "name": "example.com/evil",
           "labels": [{"name": "os", "value": "linux"}, {"name": "arch", "value": "amd64"}]}
    add("manifest", json.dumps(man).encode())
    add("rootfs", kind=tarfile.DIRTYPE)
    add("rootfs/../../../../tmp/rkt-evil-escape", b"escaped\n")
open(sys.argv[1], "wb").write(buf.getvalue())
PY
before=$(listed_keys)
rk --insecure-options=image fetch "$T/img/evil.aci"
assert_rc 254 "fetch of a path-traversal ACI"
assert_eq "$(printf '%s\n' "$ERR" | grep -v '^image: ' | wc -l)" 1 "one error line"
assert_no_file /tmp/rkt-evil-escape "nothing written outside"
assert_eq "$(listed_keys)" "$before" "store unchanged by the hostile fetch"
