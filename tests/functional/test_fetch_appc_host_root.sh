#!/bin/bash
# appc discovery of a name that is a bare host (`root.test`, no path): rkt v1.30 asks the
# host's root page, `GET /?ac-discovery=1` (Go's client sends "/" for an empty path), for the
# image, its dependencies and its keys. The test server answers a request without a path
# (`GET ?ac-discovery=1`) with 400, as real servers do. root.test resolves to 127.0.0.1 only
# inside this test's private namespaces; TLS is verified against the test's own CA.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust_lib.sh"
isolated_network "$@"
. "$(dirname "$0")/image_lib.sh"
need_store
need_busybox
[ -e "$RKT_BUILD_DIR/lib/rkt/plugins/fetcher-appc.so" ] || skip "fetcher-appc.so is not built"

map_hosts root.test
make_gpg_key signer "Test Signer (ACI signing key) <signer@root.test>"
make_test_ca root.test localhost 127.0.0.1
export SSL_CERT_FILE="$T/pki/ca.crt"

W=$T/www
mkdir -p "$W/images"
cp "$T/signer.asc" "$W/pubkeys.gpg"
# The host's root page: discovery for root.test and for everything below it.
cat >"$W/index.html" <<'HTML'
<!DOCTYPE html><html><head>
<meta name="ac-discovery" content="root.test https://root.test/images/{name}-{version}-{os}-{arch}.{ext}">
<meta name="ac-discovery-pubkeys" content="root.test https://root.test/pubkeys.gpg">
</head></html>
HTML
image() { # FILE NAME VERSION [MANIFEST_PATCH]: build and sign
  ACI_MANIFEST_PATCH=${4:-} build_busybox "$1" "$2" "$3" >/dev/null
  sign_file signer "$1"
}
image "$W/images/root.test-1.0-linux-amd64.aci" root.test 1.0
mkdir -p "$W/images/root.test"
image "$W/images/root.test/app-1.0-linux-amd64.aci" root.test/app 1.0 \
  '{"dependencies": [{"imageName": "root.test", "labels": [{"name": "version", "value": "1.0"}]}]}'
serve https "$W" 443 tls

# --- keys: `rkt trust --prefix root.test` discovers them on the root page ---
rk trust --prefix root.test --skip-fingerprint-review
assert_rc 0 "key discovery at the host root"
assert_file "$T/local/trustedkeys/prefix.d/root.test/$FP_signer" "discovered key stored"
assert_eq "$(requests https '/?ac-discovery=1')" 1 "keys: rkt's request for the root page"
assert_eq "$(requests https '?ac-discovery=1')" 0 "keys: no request without a path"

# --- the image named by the host itself ---
rk fetch root.test:1.0
assert_rc 0 "fetch by a host name"
assert_eq "$OUT" "$(key_of "$W/images/root.test-1.0-linux-amd64.aci" | cut -c1-39)" "image ID"
assert_contains "$ERR" "signature verified:" "signature verified"
assert_eq "$(requests https '/?ac-discovery=1')" 2 "image: the root page asked for"

# --- a dependency named by the host, found through the root page ---
rk image rm "$(key_of "$W/images/root.test-1.0-linux-amd64.aci")"
assert_rc 0 "remove the dependency before fetching it by name"
rk fetch root.test/app:1.0
assert_rc 0 "fetch with a dependency at the host root"
assert_contains "$(listed_keys)" "$(key_of "$W/images/root.test-1.0-linux-amd64.aci")" \
  "dependency fetched"
assert_eq "$(requests https '?ac-discovery=1')" 0 "no request without a path"
