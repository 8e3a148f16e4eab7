#!/usr/bin/env bash
# `rkt plugins list` over the ABI fixtures: every fixture is listed, loaded or refused with its
# exact reason, in the table and in JSON; plus the search path rules (RKT_PLUGIN_PATH first,
# shadowing, paths.d `plugins`, directory ownership as root).
. "$(dirname "$0")/../functional/lib.sh"

: "${RKT_ABI_FIXTURE_DIR:=$RKT_BUILD_DIR/tests/abi/plugins}"
F="$RKT_ABI_FIXTURE_DIR"
[ -e "$F/fetcher-good.so" ] || die "fixtures are not built in $F"

# Keep the listing to what the test controls: no system config, empty user dirs.
mkdir -p "$T/sys" "$T/local"
CFG=(--system-config="$T/sys" --local-config="$T/local")

declare -A expected=(
  [fetcher-good.so]=loaded
  [fetcher-c-good.so]=loaded
  [fetcher-dup-a.so]=loaded
  [stage1-run-only.so]=loaded
  [fetcher-abi-major.so]=abi-major-mismatch
  [fetcher-abi-minor.so]=abi-minor-newer
  [fetcher-oversized.so]=descriptor-too-large
  [fetcher-too-small.so]=descriptor-too-small
  [fetcher-no-entry.so]=no-entry-symbol
  [fetcher-null-descriptor.so]=no-descriptor
  [fetcher-empty-name.so]=empty-field
  [fetcher-no-init.so]=no-init
  [fetcher-name-mismatch.so]=name-mismatch
  [fetcher-init-error.so]=init-failed
  [fetcher-init-throws.so]=init-exception
  [fetcher-dup-b.so]=duplicate-factory
  [fetcher-no-factory.so]=no-factory
  [fetcher-unresolved.so]=not-loadable
  [gadget-thing.so]=bad-file-name
)

abi=$("$RKT" version | sed -n 's/^Plugin ABI: //p')
[ -n "$abi" ] || die "rkt version shows no plugin ABI"

# Table.
export RKT_PLUGIN_PATH="$F"
run_rkt plugins list "${CFG[@]}"
assert_rc 0 "plugins list"
header=$(printf '%s\n' "$OUT" | head -1)
assert_eq "$(printf '%s' "$header" | tr -s '\t' ' ')" "NAME KINDS VERSION ABI PATH STATUS" "table header"
for file in "${!expected[@]}"; do
  row=$(printf '%s\n' "$OUT" | grep -F "	$F/$file	")
  [ -n "$row" ] || { fail "$file is not listed"; continue; }
  status=${row##*	}
  if [ "${expected[$file]}" = loaded ]; then
    assert_eq "$status" "loaded" "$file"
  else
    assert_contains "$status" "refused: ${expected[$file]}: " "$file"
  fi
done
good=$(printf '%s\n' "$OUT" | grep -F "$F/fetcher-good.so" | tr -s '\t' ' ')
assert_eq "$good" "good fetcher,store 2.3.4 $abi $F/fetcher-good.so loaded" "row of the good plugin"
dup=$(printf '%s\n' "$OUT" | grep -F "$F/fetcher-dup-b.so")
assert_contains "$dup" "both \`$F/fetcher-dup-a.so\` and \`$F/fetcher-dup-b.so\`" "duplicate names both files"
assert_contains "$(printf '%s\n' "$OUT" | grep -F fetcher-init-error.so)" \
  "init failed (invalid): cannot initialise \`init-error\`: refusing on purpose" "init error message"
assert_contains "$(printf '%s\n' "$OUT" | grep -F fetcher-init-throws.so)" \
  "init threw an exception: fixture init exploded" "init exception message"

run_rkt plugins list --no-legend "${CFG[@]}"
assert_not_contains "$OUT" "NAME" "--no-legend drops the header"

# JSON: valid, one entry per fixture, exact reasons.
for format in json json-pretty; do
  run_rkt plugins list --format=$format "${CFG[@]}"
  assert_rc 0 "plugins list --format=$format"
  assert_json "$OUT" "--format=$format"
done
run_rkt plugins list --format=json "${CFG[@]}"
reasons=$(printf '%s' "$OUT" | python3 -c '
import json, os, sys
for p in json.load(sys.stdin):
    if os.path.dirname(p["path"]) == sys.argv[1]:
        print(os.path.basename(p["path"]), p.get("reason", p["status"]))
' "$F" | sort)
want=$(for f in "${!expected[@]}"; do echo "$f ${expected[$f]}"; done | sort)
assert_eq "$reasons" "$want" "JSON reasons of every fixture"

# Bad arguments.
run_rkt plugins list --format=xml "${CFG[@]}"
assert_rc 254 "unknown format"
assert_contains "$ERR" "invalid format \`xml\`" "unknown format message"
run_rkt plugins list extra "${CFG[@]}"
assert_rc 254 "unexpected argument"

# RKT_PLUGIN_PATH entries come first; a later file of the same name is shadowed.
mkdir -p "$T/first"
cp "$F/fetcher-good.so" "$T/first/"
RKT_PLUGIN_PATH="$T/first:$F" run_rkt plugins list "${CFG[@]}"
assert_contains "$(printf '%s\n' "$OUT" | grep -F "$T/first/fetcher-good.so")" "loaded" "first copy loads"
assert_contains "$(printf '%s\n' "$OUT" | grep -F "$F/fetcher-good.so")" \
  "refused: shadowed: \`$T/first/fetcher-good.so\` has the same name" "second copy is shadowed"

# The paths.d `plugins` directory is searched too.
mkdir -p "$T/cfgplugins" "$T/local/paths.d"
cp "$F/fetcher-c-good.so" "$T/cfgplugins/"
printf '{"rktKind":"paths","rktVersion":"v1","plugins":"%s"}\n' "$T/cfgplugins" >"$T/local/paths.d/plugins.json"
RKT_PLUGIN_PATH= run_rkt plugins list "${CFG[@]}"
assert_contains "$(printf '%s\n' "$OUT" | grep -F "$T/cfgplugins/fetcher-c-good.so")" "loaded" "paths.d plugin dir"
rm -rf "$T/local/paths.d"

# As root, a world-writable plugin directory is refused, every file in it.
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$T/open"
  cp "$F/fetcher-good.so" "$F/fetcher-c-good.so" "$T/open/"
  chmod 0777 "$T/open"
  RKT_PLUGIN_PATH="$T/open" run_rkt plugins list "${CFG[@]}"
  for f in fetcher-good.so fetcher-c-good.so; do
    assert_contains "$(printf '%s\n' "$OUT" | grep -F "$T/open/$f")" \
      "refused: bad-directory: plugin directory \`$T/open\` is world-writable" "$f in a world-writable dir"
  done
fi
