#!/bin/bash
# Signature verification of fetched ACIs (rkt-notes §4.5): local files and https/http URLs,
# trust by prefix and root, masked keys, malformed input, 202-deferred signatures, auth.d.
# Signatures are made by gpg with keys this test generates; TLS is verified against a CA this
# test makes (SSL_CERT_FILE); example.test resolves to 127.0.0.1 in private namespaces only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust_lib.sh"
isolated_network "$@"
. "$(dirname "$0")/image_lib.sh"
need_store
need_busybox

map_hosts example.test other.test
make_gpg_key signer "Test Signer (ACI signing key) <signer@example.test>"
make_gpg_key other "Other Signer <other@example.test>"
make_test_ca example.test other.test localhost 127.0.0.1
export SSL_CERT_FILE="$T/pki/ca.crt"

mkdir -p "$T/www"
build_busybox "$T/www/app-1.0.aci" example.test/app 1.0 >/dev/null
cp "$T/www/app-1.0.aci" "$T/img/app.aci"
serve https "$T/www" 443 tls
serve http "$T/www" 80

PREFIX_DIR="$T/local/trustedkeys/prefix.d"
trust_prefix() { # PREFIX KEYNAME
  rk trust --prefix "$1" --skip-fingerprint-review "$T/$2.asc"
  [ "$RC" -eq 0 ] || die "rkt trust --prefix $1 failed: $ERR"
}
untrust() { rm -rf "$T/local/trustedkeys" "$T/sys/trustedkeys"; }
store_keys() { listed_keys | tr '\n' ' '; }

# --- local files ---
rk fetch "$T/img/app.aci"
assert_rc 254 "unsigned file"
assert_contains "$ERR" "error opening signature file" "unsigned file"
assert_eq "$(store_keys)" "" "unsigned image not imported"

rk --insecure-options=image fetch "$T/img/app.aci"
assert_rc 0 "unsigned file with --insecure-options=image"
assert_contains "$ERR" "warning: image signature verification has been disabled" "insecure warning"
rk image rm "$(key_of "$T/img/app.aci")"

sign_file other "$T/img/app.aci"
rk fetch "$T/img/app.aci"
assert_rc 254 "signature by an untrusted key"
assert_contains "$ERR" "openpgp: signature made by unknown entity" "unknown entity"
assert_contains "$ERR" "rkt trust --prefix \"example.test/app\"" "trust hint"
assert_eq "$(store_keys)" "" "untrusted image not imported"

sign_file signer "$T/img/app.aci"
trust_prefix example.test/other signer
rk fetch "$T/img/app.aci"
assert_rc 254 "key trusted for another prefix"
assert_contains "$ERR" "openpgp: signature made by unknown entity" "other prefix does not help"
assert_eq "$(store_keys)" "" "nothing imported with a key for another prefix"
untrust

trust_prefix example.test/app signer
rk fetch "$T/img/app.aci"
assert_rc 0 "trusted prefix"
assert_contains "$ERR" "signature verified:" "signature verified"
assert_contains "$ERR" "  Test Signer (ACI signing key) <signer@example.test>" "signer identity"
assert_eq "$OUT" "$(key_of "$T/img/app.aci" | cut -c1-39)" "fetch prints the image ID"
rk image rm "$OUT"
untrust

rk trust --root --skip-fingerprint-review "$T/signer.asc"
rk fetch "$T/img/app.aci"
assert_rc 0 "root key"
assert_contains "$ERR" "signature verified:" "root key verifies"
rk image rm "$OUT"
untrust

# A vendor key (system config) masked by a zero-length file in the local config.
mkdir -p "$T/sys/trustedkeys/root.d" "$T/local/trustedkeys/root.d"
cp "$T/signer.asc" "$T/sys/trustedkeys/root.d/$FP_signer"
rk fetch "$T/img/app.aci"
assert_rc 0 "vendor key"
rk image rm "$OUT"
: >"$T/local/trustedkeys/root.d/$FP_signer"
rk fetch "$T/img/app.aci"
assert_rc 254 "masked vendor key"
assert_contains "$ERR" "openpgp: signature made by unknown entity" "masked key refused"
assert_eq "$(store_keys)" "" "nothing imported with a masked key"
untrust

# A key file not named by its fingerprint breaks the keyring, with a clear error.
mkdir -p "$PREFIX_DIR/example.test/app"
cp "$T/signer.asc" "$PREFIX_DIR/example.test/app/$FP_other"
rk fetch "$T/img/app.aci"
assert_rc 254 "misnamed key file"
assert_contains "$ERR" "fingerprint mismatch" "misnamed key file"
assert_eq "$(store_keys)" "" "nothing imported with a misnamed key"
untrust
trust_prefix example.test/app signer

# --signature FILE instead of the file next to the image.
mv "$T/img/app.aci.asc" "$T/img/elsewhere.asc"
rk fetch "$T/img/app.aci"
assert_rc 254 "signature file gone"
rk fetch "$T/img/app.aci" --signature "$T/img/elsewhere.asc"
assert_rc 0 "--signature"
assert_contains "$ERR" "signature verified:" "--signature verified"
rk image rm "$OUT"

# Malformed signatures: each a clear error, nothing imported.
cp "$T/img/elsewhere.asc" "$T/img/corrupt.asc"
python3 - "$T/img/corrupt.asc" <<'PY'
import sys
p = sys.argv[1]
lines = open(p).read().split("\n")
i = next(n for n, l in enumerate(lines) if len(l) > 40)   # a base64 body line
lines[i] = lines[i][:10] + ("A" if lines[i][10] != "A" else "B") + lines[i][11:]
open(p, "w").write("\n".join(lines))
PY
printf -- '-----BEGIN PGP SIGNATURE-----\n\nbm90IGEgc2lnbmF0dXJl\n-----END PGP SIGNATURE-----\n' >"$T/img/junk.asc"
head -c 300 /dev/urandom >"$T/img/random.asc"
for bad in corrupt junk random; do
  rk fetch "$T/img/app.aci" --signature "$T/img/$bad.asc"
  assert_rc 254 "$bad signature"
  assert_contains "$ERR" "verification failed" "$bad signature names the image"
  assert_eq "$(store_keys)" "" "$bad signature: nothing imported"
done
# A signature over other bytes.
printf 'tampered' >>"$T/img/app.aci"
rk fetch "$T/img/app.aci" --signature "$T/img/elsewhere.asc"
assert_rc 254 "modified image"
assert_contains "$ERR" "openpgp: invalid signature" "modified image"
assert_eq "$(store_keys)" "" "modified image not imported"

# --- https and http ---
sign_file signer "$T/www/app-1.0.aci"
rk fetch https://example.test/app-1.0.aci
assert_rc 0 "https with a signature next to the image"
assert_contains "$ERR" "signature verified:" "https verified"
assert_eq "$(requests https /app-1.0.aci.asc)" 1 "signature downloaded"
rk image rm "$OUT"

SSL_CERT_FILE=/nonexistent rk fetch https://example.test/app-1.0.aci
assert_rc 254 "https from an unknown CA"
SSL_CERT_FILE=/nonexistent rk --insecure-options=tls fetch https://example.test/app-1.0.aci
assert_rc 0 "--insecure-options=tls"
assert_contains "$ERR" "signature verified:" "signature still checked without TLS checks"
rk image rm "$OUT"

rk fetch http://example.test/app-1.0.aci
assert_rc 0 "plain http (no --insecure-options=http needed, as in rkt)"
assert_contains "$ERR" "signature verified:" "signature checked over http"
rk image rm "$OUT"

# 202 on the signature: download the image first, then the signature again.
echo '{"paths": {"/app-1.0.aci.asc": {"statuses": [202]}}}' >"$T/https.json"
rk --pull-policy=update fetch https://example.test/app-1.0.aci
assert_rc 0 "deferred signature"
assert_contains "$ERR" "signature verified:" "deferred signature verified"
rk image rm "$OUT"
echo '{"paths": {}}' >"$T/https.json"

# An unsigned remote image.
cp "$T/www/app-1.0.aci" "$T/www/unsigned.aci"
rk fetch https://example.test/unsigned.aci
assert_rc 254 "unsigned remote image"
assert_contains "$ERR" "error opening signature file" "unsigned remote image"
assert_eq "$(store_keys)" "" "unsigned remote image not imported"

# --- auth.d: credentials go to their host only, and only over https ---
mkdir -p "$T/local/auth.d"
cat >"$T/local/auth.d/basic.json" <<'JSON'
{"rktKind": "auth", "rktVersion": "v1", "domains": ["example.test"], "type": "basic",
 "credentials": {"user": "alice", "password": "s3cret"}}
JSON
cat >"$T/local/auth.d/oauth.json" <<'JSON'
{"rktKind": "auth", "rktVersion": "v1", "domains": ["other.test"], "type": "oauth",
 "credentials": {"token": "tok3n"}}
JSON
BASIC="Basic $(printf 'alice:s3cret' | base64)"
echo "{\"paths\": {\"/app-1.0.aci\": {\"require_auth\": \"$BASIC\"}, \"/app-1.0.aci.asc\": {\"require_auth\": \"$BASIC\"}}}" >"$T/https.json"
rk fetch https://example.test/app-1.0.aci
assert_rc 0 "basic credentials for example.test"
rk image rm "$OUT"
echo "{\"paths\": {\"/app-1.0.aci\": {\"require_auth\": \"Bearer tok3n\"}, \"/app-1.0.aci.asc\": {\"require_auth\": \"Bearer tok3n\"}}}" >"$T/https.json"
rk fetch https://other.test/app-1.0.aci
assert_rc 0 "oauth token for other.test"
rk image rm "$OUT"
rk fetch https://example.test/app-1.0.aci
assert_rc 254 "the oauth token is not sent to example.test"
rk fetch http://example.test/app-1.0.aci
assert_rc 0 "plain http fetch"
python3 - "$T/http.log" <<'PY' || fail "credentials were sent over plain http"
import json, sys
for line in open(sys.argv[1]):
    if "authorization" in json.loads(line)["headers"]:
        sys.exit(1)
PY
