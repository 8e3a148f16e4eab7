#!/bin/bash
# Fetching by appc name (fetcher-appc.so): discovery over https (http only when allowed),
# signature verification with keys discovered through ac-discovery-pubkeys, name/label checks,
# dependencies, pull policies, hostile pages. example.test and friends resolve to 127.0.0.1
# only inside this test's private namespaces; TLS is verified against the test's own CA.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust_lib.sh"
isolated_network "$@"
. "$(dirname "$0")/image_lib.sh"
need_store
need_busybox
[ -e "$RKT_BUILD_DIR/lib/rkt/plugins/fetcher-appc.so" ] || skip "fetcher-appc.so is not built"

map_hosts example.test other.test plain.test
make_gpg_key signer "Test Signer (ACI signing key) <signer@example.test>"
make_test_ca example.test other.test plain.test localhost 127.0.0.1
export SSL_CERT_FILE="$T/pki/ca.crt"

W=$T/www
IMG=$W/images/example.test
mkdir -p "$IMG" "$W/plain"
cp "$T/signer.asc" "$W/pubkeys.gpg"
cat >"$W/app" <<'HTML'
<!DOCTYPE html><html><head>
<meta name="ac-discovery" content="example.test https://example.test/images/{name}-{version}-{os}-{arch}.{ext}">
<meta name="ac-discovery-pubkeys" content="example.test https://example.test/pubkeys.gpg">
</head><body>appc discovery for example.test</body></html>
HTML
for page in base withdep wrongname; do cp "$W/app" "$W/$page"; done

image() { # FILE NAME VERSION [MANIFEST_PATCH]: build and sign
  ACI_MANIFEST_PATCH=${4:-} build_busybox "$1" "$2" "$3" >/dev/null
  sign_file signer "$1"
}
image "$IMG/app-1.0-linux-amd64.aci" example.test/app 1.0
image "$IMG/app-latest-linux-amd64.aci" example.test/app 2.0
image "$IMG/app-3.0-linux-amd64.aci" example.test/app 1.0          # label mismatch
image "$IMG/wrongname-1.0-linux-amd64.aci" example.test/impostor 1.0 # name mismatch
image "$IMG/base-1.0-linux-amd64.aci" example.test/base 1.0
image "$IMG/withdep-1.0-linux-amd64.aci" example.test/withdep 1.0 \
  '{"dependencies": [{"imageName": "example.test/base", "labels": [{"name": "version", "value": "1.0"}]}]}'

serve https "$W" 443 tls
# Plain http serves its own tree: what only it has can only be found with http allowed.
H=$T/httproot
mkdir -p "$H"
serve http "$H" 80
store_keys() { listed_keys | tr '\n' ' '; }
KEYFILE=$T/local/trustedkeys/prefix.d/example.test/app/$FP_signer

# --- no trusted key: discovery finds one, but nobody can review it ---
rk fetch example.test/app:1.0 </dev/null
assert_rc 254 "fetch by name without a trusted key"
assert_contains "$ERR" "unable to ask user to review fingerprint due to lack of tty" "key needs review"
assert_contains "$ERR" "openpgp: signature made by unknown entity" "unknown signer"
assert_contains "$ERR" "rkt trust --prefix \"example.test/app\"" "trust hint"
assert_eq "$(store_keys)" "" "nothing imported"
assert_no_file "$KEYFILE" "no key stored without review"

# --- --trust-keys-from-https: the discovered https key is trusted, the image verified ---
rk --trust-keys-from-https fetch example.test/app:1.0 </dev/null
assert_rc 0 "fetch by name with --trust-keys-from-https"
assert_contains "$ERR" "signature verified:" "signature verified"
assert_contains "$ERR" "Test Signer (ACI signing key) <signer@example.test>" "signer shown"
assert_file "$KEYFILE" "discovered key stored for the name"
assert_eq "$OUT" "$(key_of "$IMG/app-1.0-linux-amd64.aci" | cut -c1-39)" "image ID"
# Two fetches, each asking for keys (none trusted yet) and for the image.
assert_eq "$(requests https '/app?ac-discovery=1')" 4 "discovery at the longest prefix"

# The store answers now (pull policy new); no new discovery request.
rk fetch --pull-policy=new example.test/app:1.0
assert_rc 0 "second fetch from the store"
assert_contains "$ERR" "using image from local store for image name example.test/app:1.0" "from store"
assert_eq "$(requests https '/app?ac-discovery=1')" 4 "no discovery for a stored image"

# Without a version: {version} is "latest", and the image becomes the latest one.
rk fetch example.test/app
assert_rc 0 "fetch without a version"
assert_eq "$OUT" "$(key_of "$IMG/app-latest-linux-amd64.aci" | cut -c1-39)" "latest image"
assert_eq "$(requests https '/images/example.test/app-latest-linux-amd64.aci')" 1 "latest URL"

# --- what was fetched must be what was asked for ---
BEFORE=$(store_keys)
rk fetch example.test/app:3.0
assert_rc 254 "label mismatch"
assert_contains "$ERR" "requested value for label \"version\": \"3.0\" differs from fetched aci label value: \"1.0\"" "label mismatch message"
rk trust --prefix example.test/wrongname --skip-fingerprint-review "$T/signer.asc"
rk fetch example.test/wrongname:1.0
assert_rc 254 "name mismatch"
assert_contains "$ERR" "error when reading the app name: \"example.test/wrongname\" expected but \"example.test/impostor\" found" "name mismatch message"
assert_eq "$(store_keys)" "$BEFORE" "mismatched images not imported"

# --- dependencies are discovered and verified too ---
rk trust --prefix example.test --skip-fingerprint-review "$T/signer.asc"
rk fetch example.test/withdep:1.0
assert_rc 0 "fetch with a dependency"
assert_contains "$(store_keys)" "$(key_of "$IMG/base-1.0-linux-amd64.aci")" "dependency fetched"
assert_eq "$(requests https '/images/example.test/base-1.0-linux-amd64.aci')" 1 "dependency by discovery"

# --- discovery failures ---
BEFORE=$(store_keys)
rk fetch other.test/app:1.0
assert_rc 254 "no discovery page"
assert_contains "$ERR" "discovery failed for \"other.test/app\"" "discovery failure"
printf '<html><meta name="ac-discovery" content="other.test"><meta name=ac-discovery content="other.test https://x/{nope}.{ext}"><meta content="other.test https://evil/{ext}">\0\377<script>' >"$W/hostile"
rk fetch other.test/hostile:1.0
assert_rc 254 "hostile discovery page"
assert_contains "$ERR" "discovery failed for \"other.test/hostile\"" "hostile page refused"
assert_eq "$(store_keys)" "$BEFORE" "store unchanged after failed discovery"
# A discovery server that stops sending: the stall timeout ends the fetch (rkt's message; the
# cause of each failed attempt is a --debug line).
echo '{"paths": {"/stalled": {"stall_at_start": true}}}' >"$T/https.json"
bounded rk --debug --http-stall-timeout=2s fetch example.test/stalled:1.0
assert_rc 254 "stalled discovery page"
assert_contains "$ERR" "discovery failed for \"example.test/stalled\"" "stalled page: discovery fails"
assert_contains "$ERR" "no data for 2s" "stalled page: the cause"
echo '{"paths": {}}' >"$T/https.json"

# --- plain http discovery only with --insecure-options=http ---
cat >"$H/papp" <<'HTML'
<meta name="ac-discovery" content="plain.test http://plain.test/images/{name}-{version}.{ext}">
HTML
mkdir -p "$H/images/plain.test"
image "$H/images/plain.test/papp-1.0.aci" plain.test/papp 1.0
rk trust --prefix plain.test --skip-fingerprint-review "$T/signer.asc"
rk fetch plain.test/papp:1.0
assert_rc 254 "http-only discovery without --insecure-options=http"
assert_contains "$ERR" "discovery failed for \"plain.test/papp\"" "http discovery refused"
assert_eq "$(requests http '/papp?ac-discovery=1')" 0 "no plain http request without the option"
rk --insecure-options=http fetch plain.test/papp:1.0
assert_rc 0 "http discovery with --insecure-options=http"
assert_contains "$ERR" "signature verified:" "signature checked after http discovery"
