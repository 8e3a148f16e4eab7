#!/bin/bash
# Rendering through the tree store: the dependency-chain fixture (dependencies by image ID and by
# name, a pathWhitelist) fetched and rendered, `image render` output checked against the
# fixture's expectations, render-on-fetch, `image verify` detecting and repairing a damaged tree,
# `image render` rebuilding a damaged tree, and `image gc` sweeping the trees no pod refers to.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/image_lib.sh"
# This test covers fetching without an appc fetcher (dependencies from the store only, the
# "no fetcher" messages); fetches by name are test_fetch_appc.sh's, in an isolated network.
hide_plugins fetcher-appc
need_root
need_store
need_busybox

CHAIN=$T/chain
TOP=$(build_chain "$CHAIN")
id_of() { awk -v n="example.com/$1" '$1 == n { print substr($2, 1, 71) }' "$CHAIN/ids.txt"; }
B=$(id_of chain-b) C=$(id_of chain-c) D=$(id_of chain-d)

# The top image needs its dependencies: without them (and without an appc fetcher) fetch says so.
rk --insecure-options=image fetch "$CHAIN/chain-top.aci"
assert_rc 254 "fetch of an image whose dependencies are missing"
assert_contains "$ERR" "example.com/chain-c" "the missing dependency is named"
assert_contains "$ERR" "no fetcher for appc image names is installed" "and why it cannot be fetched"

rk --insecure-options=image fetch --full "$CHAIN/chain-d.aci" "$CHAIN/chain-b.aci" \
  "$CHAIN/chain-c.aci" "$CHAIN/chain-top.aci"
assert_rc 0 "fetch of the chain, dependencies first"
assert_eq "$OUT" "$D"$'\n'"$B"$'\n'"$C"$'\n'"$TOP" "chain keys"

tree_of() { # KEY: the tree directory rendered for an image (its `image` file names the key)
  local f
  for f in "$DATA"/cas/tree/*/image; do
    [ "$(cat "$f" 2>/dev/null)" = "$1" ] && { dirname "$f"; return 0; }
  done
  return 1
}
overlay=0
grep -qw overlay /proc/filesystems && overlay=1
if [ "$overlay" -eq 1 ]; then
  tree_of "$TOP" >/dev/null || fail "render-on-fetch: no tree for the top image after fetch"
fi

# --- render: the chain with precedence top > b > c > d and c's pathWhitelist --------------------
rk image render example.com/chain-top:1.0.0 "$T/out"
assert_rc 0 "image render"
assert_file "$T/out/manifest" "render writes the manifest"
assert_eq "$(stat -c %a "$T/out/manifest")" 700 "manifest mode 0700"
assert_eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$T/out/manifest")" \
  example.com/chain-top "rendered manifest is the top image's"
while read -r what path rest; do
  case "$what" in
    file) assert_eq "$(head -n1 "$T/out/rootfs$path" 2>/dev/null)" "$rest" "rendered $path" ;;
    absent) assert_no_file "$T/out/rootfs$path" "whitelisted-out $path" ;;
    symlink) assert_eq "$(readlink "$T/out/rootfs$path")" "$rest" "rendered symlink $path" ;;
  esac
done < <(grep -v '^#' "$CHAIN/expected.txt")
assert_eq "$(stat -c %u:%g:%a "$T/out/rootfs/home/user/owned-by-user")" 1000:1000:640 \
  "rendered ownership and mode"
rk image render example.com/chain-top "$T/out"
assert_rc 254 "render onto an existing directory"
assert_contains "$ERR" "output directory exists (try --overwrite)" "render refuses to overwrite"
rk image render --rootfs-only --overwrite "$TOP" "$T/out"
assert_rc 0 "render --rootfs-only --overwrite"
assert_eq "$(cat "$T/out/etc/chain/bd")" b "rootfs-only content"
assert_no_file "$T/out/manifest" "rootfs-only has no manifest"

# --- verify --------------------------------------------------------------------------------------
rk image verify example.com/chain-top "${B:0:20}"
assert_rc 0 "verify of rendered images"
assert_contains "$OUT" "successfully verified checksum for image: \"example.com/chain-top\" (\"$TOP\")" \
  "verify ok by name"
TREE=$(tree_of "$TOP") || die "no tree for the top image"
rm "$TREE/rootfs/etc/chain/origin"
rk image verify example.com/chain-top
assert_rc 0 "verify repairs a tree with a deleted file"
assert_eq "$OUT" "tree cache verification failed for image example.com/chain-top: the rendered tree does not match its recorded hash;  rebuilding..." \
  "verify reports the damage (rkt's line)"
assert_eq "$(cat "$TREE/rootfs/etc/chain/origin" 2>/dev/null)" a "the deleted file is back"
rk image verify example.com/chain-top
assert_contains "$OUT" "successfully verified checksum" "the repaired tree verifies"
echo tampered >"$TREE/rootfs/etc/chain/bd"
rk image verify "$TOP"
assert_contains "$OUT" "tree cache verification failed" "verify detects altered content"
assert_eq "$(cat "$TREE/rootfs/etc/chain/bd")" b "altered content repaired"
echo tampered >"$TREE/rootfs/etc/chain/bd"
rk image render --overwrite "$TOP" "$T/out"
assert_rc 0 "render of a damaged tree"
assert_contains "$ERR" "warning: tree cache is in a bad state. Rebuilding..." "render rebuilds"
assert_eq "$(cat "$T/out/rootfs/etc/chain/bd")" b "render copies the rebuilt tree"
# render checks the tree by its fingerprint (docs/store.md): a change that keeps the size and
# puts the modification time back still shows.
touch -r "$TREE/rootfs/etc/chain/bd" "$T/bd-time"
head -c "$(stat -c %s "$TREE/rootfs/etc/chain/bd")" /dev/zero | tr '\0' X >"$TREE/rootfs/etc/chain/bd"
touch -r "$T/bd-time" "$TREE/rootfs/etc/chain/bd"
rk image render --overwrite "$TOP" "$T/out"
assert_contains "$ERR" "warning: tree cache is in a bad state. Rebuilding..." \
  "render rebuilds a same-size change with its time put back"
assert_eq "$(cat "$T/out/rootfs/etc/chain/bd")" b "render copies the tree rebuilt after it"
rk image render --overwrite "$TOP" "$T/out"
assert_rc 0 "render of an intact tree"
assert_not_contains "$ERR" "bad state" "an intact tree is not rebuilt"

# --- gc: trees that pods refer to stay, the others go ----------------------------------------------
TOPTREE=$(basename "$(tree_of "$TOP")")
tree_of "$B" >/dev/null || rk image render "$B" "$T/outb"
BTREE=$(basename "$(tree_of "$B")")
uuid=6f1d8a4e-2c3b-4d5e-8f90-123456789abc
POD=$DATA/pods/run/$uuid
mkdir -p "$POD/appsinfo/app"
echo -n "$TOPTREE" >"$POD/stage1TreeStoreID"
echo -n "$BTREE" >"$POD/appsinfo/app/treeStoreID"
all=$(ls "$DATA/cas/tree" | sort)
rk image gc
assert_rc 0 "image gc"
for t in $all; do
  if [ "$t" = "$TOPTREE" ] || [ "$t" = "$BTREE" ]; then
    assert_file "$DATA/cas/tree/$t" "tree $t used by a pod is kept"
    assert_not_contains "$ERR" "removed treestore \"$t\"" "kept tree not reported"
  else
    assert_no_file "$DATA/cas/tree/$t" "unreferenced tree $t removed"
    assert_contains "$ERR" "gc: removed treestore \"$t\"" "removed tree reported"
  fi
done
assert_eq "$(listed_keys | wc -l)" 4 "gc keeps recently used images"
rm -rf "$DATA/pods"
rk image gc
assert_eq "$(ls -A "$DATA/cas/tree" | wc -l)" 0 "without pods every tree goes"
rk image verify example.com/chain-top
assert_rc 0 "verify of an image without a tree"
assert_contains "$OUT" "image \"example.com/chain-top\" not rendered; no verification needed" \
  "not rendered message"
