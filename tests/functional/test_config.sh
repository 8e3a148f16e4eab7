#!/bin/bash
# `rkt config`: merging the system, local and user configuration directories (auth.d, paths.d,
# stage1.d), output format, --pretty-print, and rejection of malformed configuration.
. "$(dirname "$0")/lib.sh"

SYS=$T/sys LOCAL=$T/local USER_DIR=$T/user
mkdir -p "$SYS"/{auth.d,paths.d,stage1.d} "$LOCAL"/{auth.d,paths.d,stage1.d} "$USER_DIR"/{auth.d,paths.d}

cat >"$SYS/auth.d/basic.json" <<'JSON'
{ "rktKind": "auth", "rktVersion": "v1",
  "domains": ["foo.com", "bar.com", "baz.com"],
  "type": "basic", "credentials": { "user": "sysUser", "password": "sysPassword" } }
JSON
cat >"$SYS/auth.d/docker.json" <<'JSON'
{ "rktKind": "dockerAuth", "rktVersion": "v1", "registries": ["quay.io", "gcr.io"],
  "credentials": { "user": "sysDocker", "password": "sysDockerPw" } }
JSON
cat >"$SYS/paths.d/paths.json" <<'JSON'
{ "rktKind": "paths", "rktVersion": "v1", "data": "/sys/data", "stage1-images": "/sys/stage1-images" }
JSON
cat >"$SYS/stage1.d/coreos.json" <<'JSON'
{ "rktKind": "stage1", "rktVersion": "v1", "name": "coreos.com/rkt/stage1-coreos",
  "version": "0.15.0+git", "location": "/usr/libexec/rkt/stage1-coreos.aci" }
JSON
echo "documentation next to the configuration is ignored" >"$SYS/auth.d/README"

cat >"$LOCAL/auth.d/bar.json" <<'JSON'
{ "rktKind": "auth", "rktVersion": "v1", "domains": ["bar.com"],
  "type": "oauth", "credentials": { "token": "localToken" } }
JSON
cat >"$LOCAL/paths.d/data.json" <<'JSON'
{ "rktKind": "paths", "rktVersion": "v1", "data": "/local/data", "plugins": "/local/plugins" }
JSON
cat >"$LOCAL/paths.d/stage1-images.json" <<'JSON'
{ "rktKind": "paths", "rktVersion": "v1", "stage1-images": "/local/stage1-images" }
JSON
cat >"$LOCAL/auth.d/quay.json" <<'JSON'
{ "rktKind": "dockerAuth", "rktVersion": "v1", "registries": ["quay.io"],
  "credentials": { "user": "localDocker", "password": "localDockerPw" } }
JSON
cat >"$LOCAL/stage1.d/location.json" <<'JSON'
{ "rktKind": "stage1", "rktVersion": "v1", "location": "https://example.com/stage1.aci" }
JSON

cat >"$USER_DIR/auth.d/foo.json" <<'JSON'
{ "rktKind": "auth", "rktVersion": "v1", "domains": ["foo.com"],
  "type": "basic", "credentials": { "user": "user", "password": "password" } }
JSON
cat >"$USER_DIR/auth.d/quay.json" <<'JSON'
{ "rktKind": "dockerAuth", "rktVersion": "v1", "registries": ["quay.io"],
  "credentials": { "user": "userDocker", "password": "userDockerPw" } }
JSON
cat >"$USER_DIR/paths.d/paths.json" <<'JSON'
{ "rktKind": "paths", "rktVersion": "v1", "stage1-images": "/user/stage1-images" }
JSON

DIRS=(--system-config="$SYS" --local-config="$LOCAL" --user-config="$USER_DIR")

# Prints the stage0 entries of the JSON on stdin as one normalized line each, in output order.
entries() {
  python3 -c '
import json, sys
for e in json.load(sys.stdin)["stage0"]:
    print(json.dumps(e, sort_keys=True))'
}

# --- merged output -------------------------------------------------------------------------
run_rkt "${DIRS[@]}" config
assert_rc 0 "rkt config with three directories"
assert_json "$OUT" "rkt config output"
[ -z "$ERR" ] || fail "rkt config printed on stderr: $ERR"
got=$(printf '%s' "$OUT" | entries)
expected=$(cat <<'EOF2'
{"credentials": {"password": "sysPassword", "user": "sysUser"}, "domains": ["baz.com"], "rktKind": "auth", "rktVersion": "v1", "type": "basic"}
{"credentials": {"token": "localToken"}, "domains": ["bar.com"], "rktKind": "auth", "rktVersion": "v1", "type": "oauth"}
{"credentials": {"password": "password", "user": "user"}, "domains": ["foo.com"], "rktKind": "auth", "rktVersion": "v1", "type": "basic"}
{"credentials": {"password": "sysDockerPw", "user": "sysDocker"}, "registries": ["gcr.io"], "rktKind": "dockerAuth", "rktVersion": "v1"}
{"credentials": {"password": "userDockerPw", "user": "userDocker"}, "registries": ["quay.io"], "rktKind": "dockerAuth", "rktVersion": "v1"}
{"data": "/local/data", "plugins": "/local/plugins", "rktKind": "paths", "rktVersion": "v1", "stage1-images": "/user/stage1-images"}
{"location": "https://example.com/stage1.aci", "name": "coreos.com/rkt/stage1-coreos", "rktKind": "stage1", "rktVersion": "v1", "version": "0.15.0+git"}
EOF2
)
# Sort for the comparison of content; order is checked separately below.
assert_eq "$(printf '%s\n' "$got" | sort)" "$(printf '%s\n' "$expected" | sort)" "merged entries"

# Order: auth entries sorted by domain, dockerAuth by registry, then paths, then stage1.
order=$(printf '%s' "$OUT" | python3 -c '
import json, sys
print(" ".join(e["rktKind"] + ":" + ",".join(e.get("domains", e.get("registries", [])))
               for e in json.load(sys.stdin)["stage0"]))')
assert_eq "$order" "auth:bar.com auth:baz.com auth:foo.com dockerAuth:gcr.io dockerAuth:quay.io paths: stage1:" \
  "entry order"

# Fields in rkt's order, tab-indented pretty print (the default).
assert_contains "$OUT" $'{\n\t"stage0": [\n\t\t{\n\t\t\t"rktVersion": "v1",\n\t\t\t"rktKind": "auth",' \
  "pretty output is tab indented, rktVersion first"
lines=$(printf '%s\n' "$OUT" | wc -l)
[ "$lines" -gt 20 ] || fail "pretty output has only $lines lines"

# Explicit true is the same; false is one compact line with the same content.
run_rkt "${DIRS[@]}" config --pretty-print=true
pretty=$OUT
assert_rc 0 "--pretty-print=true"
run_rkt "${DIRS[@]}" config --pretty-print=false
assert_rc 0 "--pretty-print=false"
assert_json "$OUT" "compact output"
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" "1" "compact output is one line"
assert_contains "$OUT" '{"stage0":[{"rktVersion":"v1","rktKind":"auth","domains":["bar.com"],"type":"oauth"' \
  "compact output"
assert_eq "$(printf '%s' "$OUT" | entries)" "$(printf '%s' "$pretty" | entries)" \
  "compact and pretty output have the same entries"

# Global flags may also follow the command.
run_rkt config --pretty-print=false "${DIRS[@]}"
assert_rc 0 "global flags after the command"
assert_contains "$OUT" '"domains":["foo.com"],"type":"basic","credentials":{"user":"user","password":"password"}' \
  "user dir read when flags follow the command"

# Without the user dir, the local/system values show through.
run_rkt --system-config="$SYS" --local-config="$LOCAL" config --pretty-print=false
assert_rc 0 "without --user-config"
assert_contains "$OUT" '"domains":["foo.com"],"type":"basic","credentials":{"user":"sysUser","password":"sysPassword"}' \
  "foo.com from the system dir without the user dir"
assert_contains "$OUT" '"registries":["quay.io"],"credentials":{"user":"localDocker","password":"localDockerPw"}' \
  "quay.io from the local dir without the user dir"
assert_contains "$OUT" '"stage1-images":"/local/stage1-images"' "stage1-images from the local dir"

# Non-existent directories are ignored: empty configuration.
run_rkt --system-config="$T/none1" --local-config="$T/none2" --user-config="$T/none3" config --pretty-print=false
assert_rc 0 "non-existent config dirs"
assert_eq "$OUT" '{"stage0":[{"rktVersion":"v1","rktKind":"paths","data":"","stage1-images":""},{"rktVersion":"v1","rktKind":"stage1","name":"","version":"","location":""}]}' \
  "empty configuration"

# --- malformed configuration: exit 254, message on stderr naming the file ----------------------
# expect_error FILE-RELATIVE-TO-A-FRESH-LOCAL-DIR CONTENT EXPECTED-MESSAGE-PART
expect_error() {
  local rel=$1 content=$2 msg=$3 dir
  dir=$(mktemp -d "$T/bad.XXXXXX")
  mkdir -p "$(dirname "$dir/$rel")"
  printf '%s' "$content" >"$dir/$rel"
  run_rkt --system-config="$SYS" --local-config="$dir" config
  assert_rc 254 "$rel: $msg"
  assert_contains "$ERR" "$dir/$rel" "$rel: error names the file"
  assert_contains "$ERR" "$msg" "$rel: error message"
  [ -z "$OUT" ] || fail "$rel: printed on stdout despite the error: ${OUT:0:200}"
}

expect_error auth.d/a.json '{"rktVersion":"v1"}' 'no rktKind specified in'
expect_error auth.d/a.json '{"rktKind":"auth"}' 'no rktVersion specified in'
expect_error auth.d/a.json '{"rktKind":"auth",' 'invalid JSON in'
expect_error auth.d/a.json '{"rktKind":"nope","rktVersion":"v1"}' 'unknown rktKind "nope"'
expect_error paths.d/p.json '{"rktKind":"paths","rktVersion":"v9"}' 'unknown rktVersion "v9"'
expect_error stage1.d/s.json '{"rktKind":"paths","rktVersion":"v1"}' 'does not belong in stage1.d (expected "stage1")'
expect_error paths.d/p.json '{"rktKind":"paths","rktVersion":"v1","data":"relative/dir"}' 'must be an absolute path'
expect_error paths.d/p.json '{"rktKind":"paths","rktVersion":"v1","plugins":"plugins"}' 'plugins directory "plugins" must be an absolute path'
expect_error stage1.d/s.json '{"rktKind":"stage1","rktVersion":"v1","name":"n"}' 'is specified without a version'
expect_error stage1.d/s.json '{"rktKind":"stage1","rktVersion":"v1","location":"ftp://x/s.aci"}' 'unsupported scheme "ftp"'
expect_error auth.d/a.json '{"rktKind":"auth","rktVersion":"v1","domains":[],"type":"oauth","credentials":{"token":"t"}}' 'no domains specified'
expect_error auth.d/a.json '{"rktKind":"auth","rktVersion":"v1","domains":["x"],"type":"basic","credentials":{"user":"u"}}' 'no password specified'

# Duplicates within one directory name the other file too.
dup=$T/dup
mkdir -p "$dup/auth.d"
cp "$LOCAL/auth.d/bar.json" "$dup/auth.d/1.json"
cp "$LOCAL/auth.d/bar.json" "$dup/auth.d/2.json"
run_rkt --system-config="$SYS" --local-config="$dup" config
assert_rc 254 "duplicate domain in one directory"
assert_contains "$ERR" "\"$dup/auth.d/2.json\": auth for domain \"bar.com\" is already specified in \"$dup/auth.d/1.json\"" \
  "duplicate domain message"

# A config path that is a file.
printf 'x' >"$T/afile"
run_rkt --system-config="$SYS" --user-config="$T/afile" config
assert_rc 254 "config path that is not a directory"
assert_contains "$ERR" "config path \"$T/afile\" is not a directory" "non-directory message"

# A broken file in a directory that is not read (unknown subdir, nested dir, non-.json) is harmless.
ok=$T/ok
mkdir -p "$ok/auth.d/nested" "$ok/net.d"
printf '{' >"$ok/auth.d/nested/bad.json"
printf '{' >"$ok/auth.d/bad.txt"
printf '{' >"$ok/net.d/bad.json"
run_rkt --system-config="$ok" --local-config="$T/none" config
assert_rc 0 "unread files are not parsed"
