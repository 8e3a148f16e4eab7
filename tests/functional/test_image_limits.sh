#!/bin/bash
# Image limits (docs/store.md, "Limits"; issue 9): a path 40,000 levels deep in a 500-byte image
# cost 1.6 GB at render (every prefix of the path was kept as a string). Now fetch refuses such
# an image at its entry, in one line naming the archive, the entry and the limit, with little
# memory (peak RSS of rkt read with getrusage, under 64 MB); an image stored before the limits
# existed is refused the same way by `image render` and `image extract`, leaving nothing; an
# image exactly at the limits (1,024 levels; a 4,095-byte path 315 levels deep) is fetched,
# rendered, extracted and verified whole.
. "$(dirname "$0")/lib.sh"
private_mounts
. "$(dirname "$0")/image_lib.sh"
need_store
need_busybox

MAX_RSS_KB=$((64 * 1024))
mkdir -p "$T/hostile" "$T/outside"
python3 "$RKT_SOURCE_DIR/tests/functional/servers/hostile_acis.py" "$T/hostile" "$T/outside" \
  deep-path long-path long-name big-manifest at-limits long-path-short-names wide >/dev/null ||
  die "hostile_acis.py failed"

assert_small() { # WHAT
  [ "$RSS_KB" -lt "$MAX_RSS_KB" ] || fail "$1: rkt peaked at $RSS_KB KB (limit $MAX_RSS_KB KB)"
}

# --- fetch refuses at the entry --------------------------------------------------------------
while read -r name entry why; do
  aci=$T/hostile/$name.aci
  rk_rss --insecure-options=image fetch "$aci"
  assert_refused "$name: fetch" "cannot import \`$aci\`: entry \`$entry"
  assert_contains "$REASON" "$why" "$name: names the limit"
  assert_small "$name: fetch"
done <<EOF
deep-path rootfs/d/d/d/ path depth 40000 exceeds the limit of 1024
long-path rootfs/nnnn path length 4221 exceeds the limit of 4095 bytes
long-name rootfs/nnnn name length 256 exceeds the limit of 255 bytes
big-manifest manifest manifest size 67108865 exceeds the limit of 67108864 bytes
EOF
assert_eq "$(listed_keys)" "" "nothing was stored"
assert_eq "$(find "$DATA/cas/tmp" -mindepth 1 2>/dev/null)" "" "no temp file left"

# --- an image stored before the limits: render and extract refuse it alike ---------------------
GOOD=$(build_busybox "$T/img/good.aci" example.com/good 1.0.0)
rk --insecure-options=image fetch "$T/img/good.aci"
assert_rc 0 "fetch of the good image"
gunzip -c "$T/hostile/deep-path.aci" >"$T/deep.tar" || die "gunzip"
while read -r tar entry why; do
  plant_blob "$GOOD" "$tar"
  trees_before=$(cd "$DATA/cas" && find tree -mindepth 1 -maxdepth 1 2>/dev/null | sort)
  rk_rss image render "$GOOD" "$T/render"
  assert_refused "$tar: render" "cannot render image \`$GOOD\` (\`example.com/good\`): entry \`$entry"
  assert_contains "$REASON" "$why" "$tar: render names the limit"
  assert_small "$tar: render"
  assert_no_file "$T/render" "$tar: no render output left"
  rk_rss image extract "$GOOD" "$T/extract"
  assert_refused "$tar: extract" "cannot extract image \`$GOOD\`: entry \`$entry"
  assert_contains "$REASON" "$why" "$tar: extract names the limit"
  assert_small "$tar: extract"
  assert_no_file "$T/extract" "$tar: no extract output left"
  assert_eq "$(cd "$DATA/cas" && find tree -mindepth 1 -maxdepth 1 2>/dev/null | sort)" \
    "$trees_before" "$tar: no tree left"
done <<EOF
$T/deep.tar rootfs/d/d/d/ path depth 40000 exceeds the limit of 1024
$T/hostile/long-path-short-names.aci rootfs/nnnnnnnnnnnn/ path length 4108 exceeds the limit of 4095 bytes
EOF
rk image rm "$GOOD"

# --- at the limits: everything works ------------------------------------------------------------
# As hostile_acis.py names them (AT_LIMITS_DEEP, AT_LIMITS_LONG).
DEEP=$(printf 'd/%.0s' $(seq 1023))f
LONG=$(printf 'nnnnnnnnnnnn/%.0s' $(seq 314))last-12-byte
[ "$(printf '/%s' "$LONG" | wc -c)" -eq 4095 ] || die "the long path is not 4095 bytes"

# Reads ROOT/REL one directory at a time (REL may be longer than PATH_MAX with ROOT in front).
read_deep() {
  python3 - "$1" "$2" <<'PY'
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
parts = sys.argv[2].split("/")
for p in parts[:-1]:
    nfd = os.open(p, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
    os.close(fd)
    fd = nfd
f = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW, dir_fd=fd)
sys.stdout.write(os.read(f, 100).decode())
PY
}

rk_rss --insecure-options=image fetch "$T/hostile/at-limits.aci"
assert_rc 0 "fetch of an image at the limits"
assert_small "fetch at the limits"
AT=$OUT
rk_rss image render "$AT" "$T/render"
assert_rc 0 "render of an image at the limits"
assert_small "render at the limits"
assert_eq "$(read_deep "$T/render/rootfs" "$DEEP")" deep "render: the file 1,024 levels deep"
assert_eq "$(read_deep "$T/render/rootfs" "$LONG")" long "render: the file at 4,095 bytes"
assert_eq "$(stat -c %h "$T/render/rootfs/link-to-long")" 2 "render: the hard link to it"
rk_rss image extract --rootfs-only "$AT" "$T/extract"
assert_rc 0 "extract of an image at the limits"
assert_small "extract at the limits"
assert_eq "$(read_deep "$T/extract" "$DEEP")" deep "extract: the file 1,024 levels deep"
assert_eq "$(read_deep "$T/extract" "$LONG")" long "extract: the file at 4,095 bytes"
rk image verify "$AT"
assert_rc 0 "verify of the tree at the limits (read back whole)"
assert_not_contains "$ERR" "Rebuilding" "the tree at the limits hashes as it was rendered"

# --- descriptors: a render needs a bounded number, whatever the image's width and depth --------
rk image rm "$AT"
# In a subshell, for its `ulimit`: each step's error goes to stderr, the failing step is its status.
(
  ulimit -n 128
  step=0
  for args in "--insecure-options=image fetch $T/hostile/wide.aci $T/hostile/at-limits.aci" \
    "image render example.com/wide $T/render-wide" \
    "image render example.com/at-limits $T/render-deep"; do
    step=$((step + 1))
    # shellcheck disable=SC2086  # the arguments hold no spaces
    rk $args
    [ "$RC" -eq 0 ] || { echo "$ERR" >&2; exit "$step"; }
  done
) || fail "fetch and render with 128 descriptors failed at step $?"
assert_eq "$(find "$T/render-wide/rootfs" -name f | wc -l)" 600 "600 directories rendered with 128 descriptors"
assert_eq "$(find "$T/render-deep/rootfs" -name f | wc -l)" 1 "the 1,024-level image rendered with 128 descriptors"
