#!/bin/bash
# Every error is one readable line (docs/cli.md): a path, URL or name longer than 200 bytes is
# shortened in the middle (`/a/b/…/y/z`), newlines and escape sequences in names are escaped,
# whether the message is built by the core, a fetcher or the store.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/image_lib.sh"
need_store

# error_line WHAT: the one error line of the last command (image: progress lines aside), checked
# to be one line of at most 1000 bytes without control characters.
error_line() {
  local errors
  errors=$(printf '%s\n' "$ERR" | grep -v '^image: ')
  assert_eq "$(printf '%s\n' "$errors" | wc -l)" 1 "$1: one error line"
  [ "${#errors}" -le 1000 ] || fail "$1: a line of ${#errors} bytes"
  printf '%s' "$errors" | LC_ALL=C grep -q '[[:cntrl:]]' && fail "$1: control characters in: $errors"
  LINE=$errors
}

# --- a 12 KB path: cut in the middle, between components; start and end kept ------------------
deep=$T$(printf '/d%04d' $(seq 1 2000))/x.aci
rk --insecure-options=image fetch "$deep"
assert_rc 254 "fetch of a missing 12 KB path"
error_line "12 KB path"
assert_contains "$LINE" "\`$T/d0001/d0002/" "12 KB path: its start"
assert_contains "$LINE" "/d1999/d2000/x.aci\`" "12 KB path: its end"
assert_contains "$LINE" "/…/" "12 KB path: the cut"

# --- names with a newline or an escape sequence stay on the line, escaped ---------------------
rk --insecure-options=image fetch "$T/two"$'\n'"lines.aci"
assert_rc 254 "fetch of a name with a newline"
error_line "newline in a name"
assert_contains "$LINE" "$T/two\\nlines.aci" "newline in a name: escaped"
rk --insecure-options=image fetch "$T/red"$'\e[31m'"name.aci"
assert_rc 254 "fetch of a name with an escape sequence"
error_line "escape sequence in a name"
assert_contains "$LINE" "$T/red\\x1b[31mname.aci" "escape sequence in a name: escaped"

# --- a fetcher's error (through the plugin error callback): a 12 KB URL ------------------------
mkdir -p "$T/srv"
start_server "$T/srv"
url=http://127.0.0.1:$PORT$(printf '/d%04d' $(seq 1 2000))/x.aci
rk --insecure-options=image,http fetch "$url"
assert_rc 254 "fetch of a missing 12 KB URL"
error_line "12 KB URL"
assert_contains "$LINE" "http://127.0.0.1:$PORT/d0001/" "12 KB URL: its start"
assert_contains "$LINE" "/d2000/x.aci" "12 KB URL: its end"
assert_contains "$LINE" "404" "12 KB URL: the cause"

# --- the store's error: an image whose manifest holds a 10 KB invalid name ---------------------
need_busybox
long_name=example.com/$(printf 'n%04d' $(seq 1 2000))X
ACI_MANIFEST_PATCH="{\"name\": \"$long_name\"}" build_busybox "$T/long-name.aci" >/dev/null
rk --insecure-options=image fetch "$T/long-name.aci"
assert_rc 254 "image with a 10 KB invalid name"
error_line "10 KB image name"
assert_contains "$LINE" "invalid AC identifier \`example.com/n0001n0002" "10 KB image name: its start"
assert_contains "$LINE" "n2000X\`: upper-case letters are not allowed" "10 KB image name: end and cause"
