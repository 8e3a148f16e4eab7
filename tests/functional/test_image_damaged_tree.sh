#!/bin/bash
# A rendered tree damaged after its render (docs/store.md, "A damaged tree"): `rkt run` and
# `rkt prepare` refuse it with rkt's words (`tree cache verification failed for image …`, exit
# 254) and leave it as it is; `rkt image verify` repairs it, printing rkt's line on stdout (exit
# 0); the pod then runs on the repaired tree.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"
. "$(dirname "$0")/image_lib.sh"
need_store
need_busybox
need_fly

KEY=$(build_busybox "$T/img/bb.aci")
rk --insecure-options=image fetch "$T/img/bb.aci"
assert_rc 0 "fetch"
rk image render "$KEY" "$T/out"
assert_rc 0 "render"
TREE=""
for f in "$DATA"/cas/tree/*/image; do [ "$(cat "$f")" = "$KEY" ] && TREE=$(dirname "$f"); done
[ -n "$TREE" ] || die "no rendered tree for $KEY"
R() { rk --insecure-options=image "$@"; }
errors() { printf '%s\n' "$ERR" | grep -v '^image: ' | sed '/^$/d'; }
REFUSAL="tree cache verification failed for image $KEY: the rendered tree does not match its recorded hash (\`rkt image verify $KEY\` renders it again)"

# An intact tree runs.
R run "$KEY" --exec /bin/cat -- /etc/group
assert_rc 0 "run on an intact tree"
GROUP=$OUT

# --- damaged: a file changed in place ---------------------------------------------------------
echo "intruder:x:666:" >>"$TREE/rootfs/etc/group"
R run "$KEY" --exec /bin/cat -- /etc/group
assert_rc 254 "run on a damaged tree"
assert_eq "$(errors)" "run: $REFUSAL" "run refuses with rkt's words"
assert_not_contains "$OUT" "intruder" "the app never ran on the damaged tree"
R prepare "$KEY"
assert_rc 254 "prepare on a damaged tree"
assert_eq "$(errors)" "prepare: $REFUSAL" "prepare refuses too"
assert_contains "$(cat "$TREE/rootfs/etc/group")" "intruder" "the refusal leaves the tree alone"

# `image verify` repairs it: rkt's line on stdout, exit 0.
rk image verify "$KEY"
assert_rc 0 "verify repairs"
assert_eq "$OUT" "tree cache verification failed for image $KEY: the rendered tree does not match its recorded hash;  rebuilding..." \
  "verify: rkt's line"
assert_not_contains "$(cat "$TREE/rootfs/etc/group")" "intruder" "the tree is repaired"
rk image verify "$KEY"
assert_eq "$OUT" "successfully verified checksum for image: \"$KEY\" (\"$KEY\")" "verified after repair"
R run "$KEY" --exec /bin/cat -- /etc/group
assert_rc 0 "run after the repair"
assert_eq "$OUT" "$GROUP" "the pod sees the image's content"

# --- damaged: a file removed, and a file added ------------------------------------------------
rm "$TREE/rootfs/etc/passwd"
R run "$KEY" --exec /bin/true
assert_rc 254 "run with a file removed from the tree"
assert_eq "$(errors)" "run: $REFUSAL" "removed file: refused"
rk image verify "$KEY"
assert_rc 0 "verify repairs a removed file"
assert_file "$TREE/rootfs/etc/passwd" "the removed file is back"
echo x >"$TREE/rootfs/added-later"
R run "$KEY" --exec /bin/true
assert_rc 254 "run with a file added to the tree"
rk image verify "$KEY"
assert_no_file "$TREE/rootfs/added-later" "the added file is gone after the repair"
R run "$KEY" --exec /bin/true
assert_rc 0 "run after the second repair"
