#!/usr/bin/env bash
# The test-image fixtures (tests/fixtures/) produce valid ACIs: appc's own validator accepts
# them, their image IDs are what the archive library computes, every compression carries the
# same tar, the busybox rootfs runs, and the dependency chain is wired as documented.
. "$(dirname "$0")/lib.sh"

FIX="$RKT_SOURCE_DIR/tests/fixtures"
BENCH="$RKT_BUILD_DIR/bin/rkt-archive-bench"
[ -x "$BENCH" ] || skip "rkt-archive-bench is not built"
[ -x /bin/busybox ] || skip "busybox-static is not installed"
have_actool=1
command -v actool >/dev/null || { have_actool=0; echo "note: actool (appc-spec) missing, not cross-checking"; }

validate() { # ACI description
  [ "$have_actool" -eq 1 ] || return 0
  local out
  out=$(actool validate "$1" 2>&1) || fail "$2: actool validate refused $1: $out"
}

# 1. The busybox image, in each compression: valid, identical tar, key = sha512 of that tar.
ids=()
for c in gzip bzip2 xz none; do
  id=$(ACI_COMPRESSION=$c "$FIX/make-busybox-aci.sh" "$T/bb-$c.aci" example.com/bb 1.2.3 /bin/echo hi) ||
    die "make-busybox-aci.sh failed for $c"
  validate "$T/bb-$c.aci" "busybox $c"
  out=$("$BENCH" import "$T/bb-$c.aci" "$T") || die "import of bb-$c.aci failed"
  assert_contains "$out" "key=${id:0:71} " "library key equals the fixture's image ID ($c)"
  assert_contains "$out" "compression=$c " "compression detected from content ($c)"
  ids+=("$id")
done
assert_eq "$(printf '%s\n' "${ids[@]}" | sort -u | wc -l)" 1 "all compressions carry the same tar"
want=$(gzip -dc "$T/bb-gzip.aci" | sha512sum | cut -c1-64)
assert_eq "${ids[0]:7:64}" "$want" "image ID is the sha512 of the uncompressed tar"
assert_eq "$(cmp "$T/bb-none.aci" <(xz -dc "$T/bb-xz.aci") && echo same)" same "xz holds the plain tar"

# 2. The manifest says what the arguments asked for.
m=$("$BENCH" import "$T/bb-gzip.aci" "$T" --print-manifest)
assert_json "$m" "manifest is JSON"
check=$(printf '%s' "$m" | python3 -c '
import json, sys
m = json.load(sys.stdin)
labels = {l["name"]: l["value"] for l in m["labels"]}
ok = (m["acKind"] == "ImageManifest" and m["acVersion"] == "0.8.11" and m["name"] == "example.com/bb"
      and labels == {"version": "1.2.3", "os": "linux", "arch": "amd64"}
      and m["app"]["exec"] == ["/bin/echo", "hi"] and m["app"]["user"] == "0")
print("ok" if ok else m)')
assert_eq "$check" ok "manifest content"

# Defaults, and a manifest patch.
ACI_MANIFEST_PATCH='{"app":{"user":"1000","group":"100"}}' "$FIX/make-busybox-aci.sh" "$T/def.aci" >/dev/null
validate "$T/def.aci" "defaults with a patch"
m=$("$BENCH" import "$T/def.aci" "$T" --print-manifest)
check=$(printf '%s' "$m" | python3 -c '
import json, sys
m = json.load(sys.stdin)
print("ok" if (m["name"], m["app"]["exec"], m["app"]["user"], m["app"]["group"]) ==
      ("example.com/busybox", ["/bin/sh"], "1000", "100") else m)')
assert_eq "$check" ok "default name/exec and patched user/group"

# 3. The rootfs works: extract it and run the applets in it.
need_root
mkdir "$T/x"
"$BENCH" extract "$T/bb-xz.aci" "$T/x" >/dev/null || die "extraction failed"
for a in sh true false echo cat ls sleep id env pwd mkdir; do
  assert_eq "$(readlink "$T/x/rootfs/bin/$a")" busybox "applet symlink /bin/$a"
done
out=$(chroot "$T/x/rootfs" /bin/sh -c 'echo hello from $(pwd); id -un; id -Gn user; ls -ld /tmp' 2>&1) ||
  fail "chroot into the rootfs failed: $out"
assert_contains "$out" "hello from /" "shell runs"
assert_contains "$out" "root" "root resolves from /etc/passwd"
assert_contains "$out" "user users" "groups of user resolve from /etc/group"
assert_contains "$out" "drwxrwxrwt" "/tmp is sticky"
assert_eq "$(stat -c %u:%g "$T/x/rootfs/home/user/owned-by-user")" 1000:1000 "file owned by user"

# 4. The dependency chain: valid images wired by ID and by name as ids.txt says.
"$FIX/make-dependency-chain.sh" "$T/chain" >/dev/null || die "make-dependency-chain.sh failed"
for n in top b c d; do
  validate "$T/chain/chain-$n.aci" "chain-$n"
  id=$(awk -v n="example.com/chain-$n" '$1 == n { print $2 }' "$T/chain/ids.txt")
  out=$("$BENCH" import "$T/chain/chain-$n.aci" "$T")
  assert_contains "$out" "key=${id:0:71} " "ids.txt matches chain-$n"
done
deps=$("$BENCH" import "$T/chain/chain-top.aci" "$T" --print-manifest | python3 -c '
import json, sys
m = json.load(sys.stdin)
print(" ".join(d["imageName"] + "@" + d.get("imageID", "-")[:20] for d in m["dependencies"]))')
b_id=$(awk '$1 == "example.com/chain-b" { print $2 }' "$T/chain/ids.txt")
assert_eq "$deps" "example.com/chain-c@- example.com/chain-b@${b_id:0:20}" "top depends on c by name, b by ID"
wl=$("$BENCH" import "$T/chain/chain-c.aci" "$T" --print-manifest | python3 -c '
import json, sys
w = json.load(sys.stdin)["pathWhitelist"]
print(("/etc/chain/c-hidden" in w, "/etc/chain/d-hidden" in w, "/bin/busybox" in w, "/etc/chain/cd" in w))')
assert_eq "$wl" "(False, False, True, True)" "chain-c's pathWhitelist"
assert_contains "$(cat "$T/chain/expected.txt")" "absent /etc/chain/d-hidden" "expected.txt written"
