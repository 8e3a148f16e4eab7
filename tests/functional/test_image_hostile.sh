#!/bin/bash
# Hostile archives through the real commands: each case of servers/hostile_acis.py (traversal,
# absolute names, symlink and hard-link escapes, symlinked parents, duplicate entries, corrupt or
# truncated compression and tar, missing or invalid manifests, invalid os/arch, not an archive) is
# fetched into a store that already holds a good image. A `reject` case must fail with one clear
# error line; a `contain` case may be imported, but rendering and extracting it must write nothing
# outside the target. Either way nothing outside changes, and once a contained image is removed
# again (and gc drops its tree, as in rkt) the store holds what it held: the same images and
# blobs, no new tree, no temp file.
. "$(dirname "$0")/lib.sh"
private_mounts
. "$(dirname "$0")/image_lib.sh"
need_store
need_busybox

OUTSIDE=$T/outside
mkdir -p "$OUTSIDE" "$T/hostile" "$T/render"
echo "precious" >"$OUTSIDE/victim"

# The store as files: image blobs, trees and temp files (locks and the database excluded: the
# index is compared through `image list`).
# Rendered trees are a cache gc may drop, so only trees that were not there before count.
store_files() {
  (cd "$DATA/cas" && { find blob -type f; find tmp -mindepth 1; } 2>/dev/null | sort)
}
new_trees() { # TREES-BEFORE
  (cd "$DATA/cas" && find tree -mindepth 1 -maxdepth 1 2>/dev/null | sort | comm -13 <(echo "$1") -)
}

# After `render|extract --overwrite` onto TARGET: a success replaced it with a real directory
# holding the image; a refusal left the old output (symlink or directory) as it was. Either way
# no temporary directory is left beside it.
check_output() { # WHAT TARGET
  if [ "$RC" -eq 0 ]; then
    [ -d "$2" ] && [ ! -L "$2" ] || fail "$1: the output is not a new directory"
    assert_no_file "$2/old-output" "$1: the old output was replaced"
  elif [ -L "$2" ]; then
    assert_eq "$(readlink "$2")" "$OUTSIDE" "$1: a refused image leaves the old symlink"
  else
    assert_eq "$(cat "$2/old-output" 2>/dev/null)" old "$1: a refused image leaves the old output"
  fi
  assert_eq "$(ls -A "$(dirname "$2")" | grep -c '\.rkt-')" 0 "$1: no temporary output left"
}

GOOD=$(build_busybox "$T/img/good.aci" example.com/good 1.0.0)
rk --insecure-options=image fetch "$T/img/good.aci"
assert_rc 0 "fetch of the good image"
outside_before=$(outside_state "$OUTSIDE")

cases=$(python3 "$RKT_SOURCE_DIR/tests/functional/servers/hostile_acis.py" "$T/hostile" "$OUTSIDE") ||
  die "hostile_acis.py failed"
[ "$(printf '%s\n' "$cases" | wc -l)" -ge 15 ] || die "expected at least 15 hostile cases"

while read -r name expectation; do
  aci=$T/hostile/$name.aci
  keys_before=$(listed_keys)
  files_before=$(store_files)
  trees_before=$(cd "$DATA/cas" && find tree -mindepth 1 -maxdepth 1 2>/dev/null | sort)

  rk --insecure-options=image fetch --full "$aci"
  if [ "$RC" -eq 0 ]; then
    [ "$expectation" = contain ] || fail "$name: fetch succeeded, expected a refusal"
    key=$OUT
    # The targets already hold something: a symlink to the outside directory (--overwrite
    # replaces the link, never writes through it) and an old output (kept whole until the new
    # one is complete, so a refused image leaves it as it was).
    ln -s "$OUTSIDE" "$T/render/$name"
    mkdir "$T/render/$name-extract"
    echo old >"$T/render/$name-extract/old-output"
    rk image render --overwrite "$key" "$T/render/$name"
    [ "$RC" -eq 0 ] || [ "$RC" -eq 254 ] || fail "$name: render exited $RC (crash?): $ERR"
    check_output "$name: render" "$T/render/$name"
    rk image extract --overwrite "$key" "$T/render/$name-extract"
    [ "$RC" -eq 0 ] || [ "$RC" -eq 254 ] || fail "$name: extract exited $RC (crash?): $ERR"
    check_output "$name: extract" "$T/render/$name-extract"
    rk image rm "$key"
    assert_rc 0 "$name: rm of the contained image"
    # As in rkt, rm leaves the rendered tree to gc; a long grace period keeps the good image.
    rk image gc --grace-period=876000h
    assert_rc 0 "$name: gc of the trees after rm"
  else
    assert_rc 254 "$name: refused fetch"
    errors=$(printf '%s\n' "$ERR" | grep -v '^image: ' | sed '/^$/d')
    assert_eq "$(printf '%s\n' "$errors" | wc -l)" 1 "$name: one error line (got: $errors)"
    assert_contains "$errors" "$aci" "$name: the error names the archive"
  fi

  assert_eq "$(outside_state "$OUTSIDE")" "$outside_before" "$name: nothing outside changed"
  assert_eq "$(listed_keys)" "$keys_before" "$name: the store's images are unchanged"
  assert_eq "$(new_trees "$trees_before")" "" "$name: no tree left behind"
  files_after=$(store_files)
  [ "$files_after" = "$files_before" ] ||
    fail "$name: blob or temp files changed: $(diff <(echo "$files_before") <(echo "$files_after") | grep '^[<>]' | tr '\n' ' ')"
  rm -rf "$T/render/$name" "$T/render/$name-extract"
done <<<"$cases"

# The good image survived all of it intact.
rk image export "$GOOD" "$T/good-export.aci"
assert_rc 0 "export of the good image"
assert_eq "$(key_of "$T/good-export.aci")" "$GOOD" "the good image's blob still hashes to its key"
assert_eq "$(listed_keys)" "$GOOD" "only the good image is left"

# --- what is not a regular file is refused as an image or a signature, naming it, instead of
# being read forever (a named pipe waits for a writer that never comes, /dev/zero never ends) ---
mkfifo "$T/hostile/pipe.aci" "$T/hostile/pipe.asc"
cp "$T/img/good.aci" "$T/hostile/signed.aci"
mkfifo "$T/hostile/signed.aci.asc"
keys_before=$(listed_keys)
while read -r what image kind; do
  bounded rk --insecure-options=image fetch "$image"
  assert_rc 254 "$what: refused"
  errors=$(printf '%s\n' "$ERR" | grep -v '^image: ')
  assert_eq "$(printf '%s\n' "$errors" | wc -l)" 1 "$what: one error line (got: $errors)"
  assert_contains "$errors" "\`${image#file://}\`: not a regular file ($kind)" "$what: the error names it"
done <<LIST
named-pipe $T/hostile/pipe.aci a named pipe
named-pipe-url file://$T/hostile/pipe.aci a named pipe
character-device /dev/zero a character device
directory $T/hostile a directory
LIST
bounded rk fetch "$T/hostile/signed.aci" --signature="$T/hostile/pipe.asc"
assert_rc 254 "named pipe as --signature"
assert_contains "$ERR" "signature file \`$T/hostile/pipe.asc\`: not a regular file (a named pipe)" \
  "named pipe as --signature: refused by name"
bounded rk fetch "$T/hostile/signed.aci"
assert_rc 254 "named pipe as the image's .asc"
assert_contains "$ERR" "signature file \`$T/hostile/signed.aci.asc\`: not a regular file (a named pipe)" \
  "named pipe as the image's .asc: refused by name"
assert_eq "$(listed_keys)" "$keys_before" "nothing imported from what is not a file"
