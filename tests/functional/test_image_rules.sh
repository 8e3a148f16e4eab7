#!/bin/bash
# One rule set for import, render and extract (issue 9): `rkt image render` silently dropped
# entries that `rkt image extract` refused (an entry below a symlink of the same image, a hard
# link to a later entry, ...). Now:
#  - every hostile case of servers/hostile_acis.py that fetch accepts renders and extracts to
#    the same rootfs, and none that breaks a rule gets past fetch;
#  - an image stored before the rules existed (its blob planted under a stored image's key, as
#    an older rkt could have stored it) is refused by render and by extract alike, each naming
#    the image, the same entry and the same rule, leaving no output, no tree, and nothing
#    changed outside.
. "$(dirname "$0")/lib.sh"
private_mounts
. "$(dirname "$0")/image_lib.sh"
need_store
need_busybox

OUTSIDE=$T/outside
mkdir -p "$OUTSIDE" "$T/hostile"
echo "precious" >"$OUTSIDE/victim"
outside_before=$(outside_state "$OUTSIDE")
cases=$(python3 "$RKT_SOURCE_DIR/tests/functional/servers/hostile_acis.py" "$T/hostile" "$OUTSIDE") ||
  die "hostile_acis.py failed"

# A tree as a comparable listing: path, type, size, mode, symlink target (times left out).
listing() { (cd "$1" && find . -mindepth 1 -printf '%P %y %s %m %l\n' | sort); }

# --- what fetch accepts, render and extract agree on ------------------------------------------
accepted=0
while read -r name _; do
  rk --insecure-options=image fetch --full "$T/hostile/$name.aci"
  [ "$RC" -eq 0 ] || continue
  accepted=$((accepted + 1))
  key=$OUT
  rk image render "$key" "$T/render-$name"
  render_rc=$RC render_err=$ERR
  rk image extract --rootfs-only "$key" "$T/extract-$name"
  assert_eq "$RC" "$render_rc" "$name: extract exits as render does (render: $render_err; extract: $ERR)"
  if [ "$RC" -eq 0 ] && [ "$render_rc" -eq 0 ]; then
    assert_eq "$(listing "$T/extract-$name")" "$(listing "$T/render-$name/rootfs")" \
      "$name: render and extract give the same rootfs"
  fi
  rm -rf "$T/render-$name" "$T/extract-$name"
  rk image rm "$key"
done <<<"$cases"
[ "$accepted" -ge 2 ] || fail "expected fetch to accept foreign-arch and sparse-8g, accepted $accepted"

# --- stored before the rules: render and extract refuse alike ----------------------------------
GOOD=$(build_busybox "$T/img/good.aci" example.com/good 1.0.0)
rk --insecure-options=image fetch "$T/img/good.aci"
assert_rc 0 "fetch of the good image"
while read -r name entry; do
  plant_blob "$GOOD" "$T/hostile/$name.aci"
  trees_before=$(cd "$DATA/cas" && find tree -mindepth 1 -maxdepth 1 2>/dev/null | sort)
  rk image render "$GOOD" "$T/render"
  assert_refused "$name: render" "cannot render image \`$GOOD\` (\`example.com/good\`): entry \`$entry\`: "
  render_reason=$REASON
  rk image extract "$GOOD" "$T/extract"
  assert_refused "$name: extract" "cannot extract image \`$GOOD\`: entry \`$entry\`: "
  assert_eq "$REASON" "$render_reason" "$name: extract refuses for the reason render does"
  assert_no_file "$T/render" "$name: no render output"
  assert_no_file "$T/extract" "$name: no extract output"
  assert_eq "$(cd "$DATA/cas" && find tree -mindepth 1 -maxdepth 1 2>/dev/null | sort)" \
    "$trees_before" "$name: no tree left"
  assert_eq "$(outside_state "$OUTSIDE")" "$outside_before" "$name: nothing outside changed"
done <<EOF
symlink-abs-write rootfs/l/through-abs-link
symlink-rel-write rootfs/l/through-rel-link
symlinked-parent-deep rootfs/a/b/c/d/deep
below-file rootfs/f/below
hardlink-to-later rootfs/h
hardlink-to-escaping-symlink rootfs/h
file-replaces-symlink rootfs/x
dir-replaces-symlink rootfs/d/
duplicate-entries rootfs/dup
hardlink-abs rootfs/h
hardlink-dotdot rootfs/h
manifest-via-dotdot rootfs/../manifest
absolute $OUTSIDE/absolute
EOF
