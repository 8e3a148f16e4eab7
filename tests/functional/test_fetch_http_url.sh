#!/bin/bash
# Plain http:// image URLs, with rkt v1.30's rules (docs/trust.md, "Plain http"): the URL and its
# signature are fetched without --insecure-options=http (the signature is checked as for https;
# `image` skips it), http redirects are followed; only a redirect from https down to http needs
# `http` (where we are stricter than rkt). example.test resolves to 127.0.0.1 only inside this
# test's private namespaces.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust_lib.sh"
isolated_network "$@"
. "$(dirname "$0")/image_lib.sh"
need_store
need_busybox

map_hosts example.test
make_gpg_key signer "Test Signer (ACI signing key) <signer@example.test>"
make_test_ca example.test localhost 127.0.0.1
export SSL_CERT_FILE="$T/pki/ca.crt"

W=$T/www
mkdir -p "$W"
KEY=$(build_busybox "$W/app-1.0.aci" example.test/app 1.0)
sign_file signer "$W/app-1.0.aci"
cat >"$T/http.json" <<'JSON'
{"paths": {"/moved.aci": {"redirect": "http://example.test/app-1.0.aci"}}}
JSON
cat >"$T/https.json" <<'JSON'
{"paths": {"/down.aci": {"redirect": "http://example.test/app-1.0.aci"}}}
JSON
serve http "$W" 80
serve https "$W" 443 tls
URL=http://example.test/app-1.0.aci

# --- --insecure-options=image alone fetches an http URL, without its signature ---
rk --insecure-options=image fetch "$URL"
assert_rc 0 "http URL with --insecure-options=image"
assert_eq "$OUT" "${KEY:0:39}" "image ID on stdout"
assert_eq "$(printf '%s\n' "$ERR" | grep -c '^image: warning: image signature verification has been disabled$')" 1 \
  "rkt's warning"
assert_eq "$(requests http /app-1.0.aci)" 1 "image downloaded over http"
assert_eq "$(requests http /app-1.0.aci.asc)" 0 "no signature asked for"
rk image rm "$KEY"

# --- no flag at all: the signature comes over http too, and is verified ---
rk fetch "$URL" </dev/null
assert_rc 254 "http URL signed by an untrusted key"
assert_contains "$ERR" "openpgp: signature made by unknown entity" "signature checked"
assert_eq "$(listed_keys)" "" "nothing imported"
rk trust --prefix example.test/app --skip-fingerprint-review "$T/signer.asc"
rk fetch "$URL"
assert_rc 0 "signed http URL without any insecure option"
assert_eq "$OUT" "${KEY:0:39}" "signed: image ID"
assert_contains "$ERR" "image: signature verified:" "signed: verified"
assert_eq "$(requests http /app-1.0.aci.asc)" 2 "signature downloaded over http"
rk image rm "$KEY"

# --- http → http redirects are followed ---
rk --insecure-options=image fetch http://example.test/moved.aci
assert_rc 0 "http redirect to http"
assert_eq "$OUT" "${KEY:0:39}" "redirect: image ID"
rk image rm "$KEY"

# --- https → http: only with --insecure-options=http (rkt follows it; we do not) ---
rk --insecure-options=image fetch https://example.test/down.aci
assert_rc 254 "https redirect down to http"
assert_eq "$(one_error_line | grep -v '^image: remote fetching from URL ')" \
  "fetch: error downloading ACI \`https://example.test/down.aci\`: redirect to insecure \`$URL\` refused (use --insecure-options=http)" \
  "downgrade refused"
assert_eq "$(listed_keys)" "" "downgrade: nothing imported"
rk --insecure-options=image,http fetch https://example.test/down.aci
assert_rc 0 "https redirect down to http with --insecure-options=http"
