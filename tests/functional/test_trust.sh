#!/bin/bash
# `rkt trust` (rkt-notes §1.19): flags, key sources (file, https, http, discovery), the
# fingerprint review, and what lands in the trust store.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/trust_lib.sh"
isolated_network "$@"
command -v script >/dev/null || skip "script(1) is missing (util-linux)"

map_hosts example.test
make_gpg_key signer "Test Signer (ACI signing key) <signer@example.test>"
make_test_ca example.test localhost 127.0.0.1
mkdir -p "$T/www" "$T/sys" "$T/local"
cp "$T/signer.asc" "$T/www/key.gpg"
cat >"$T/www/app" <<HTML
<html><head>
<meta name="ac-discovery-pubkeys" content="example.test/app https://example.test/key.gpg">
</head></html>
HTML
serve https "$T/www" 443 tls
serve http "$T/www" 80
export SSL_CERT_FILE="$T/pki/ca.crt"

R=(--system-config="$T/sys" --local-config="$T/local")
PREFIX_DIR="$T/local/trustedkeys/prefix.d"
ROOT_DIR="$T/local/trustedkeys/root.d"

# rkt_tty INPUT ARGS...: runs rkt on a terminal (script(1)), typing INPUT.
rkt_tty() {
  local input=$1
  shift
  local cmd
  cmd=$(printf '%q ' "$RKT" "$@")
  OUT=$(printf '%b' "$input" | script -qec "$cmd" /dev/null 2>&1) && RC=0 || RC=$?
  ERR=$OUT
}

# --- flag combinations ---
run_rkt "${R[@]}" trust
assert_rc 254 "trust without flags"
assert_contains "$ERR" "trust [--prefix=PREFIX]" "trust without flags prints usage"

run_rkt "${R[@]}" trust "$T/signer.asc"
assert_rc 254 "key without --prefix or --root"
assert_contains "$ERR" "aborting due to implicit unbounded trust (root domain)" "unbounded trust"

run_rkt "${R[@]}" trust --root --prefix example.test/app "$T/signer.asc"
assert_rc 254 "--root with --prefix"
assert_contains "$ERR" "--root and --prefix usage mutually exclusive" "mutually exclusive"

run_rkt "${R[@]}" trust --prefix https://example.test/app "$T/signer.asc"
assert_rc 254 "prefix with a scheme"
assert_contains "$ERR" "--prefix must not contain a URL scheme, omit https://" "prefix scheme"

run_rkt "${R[@]}" --insecure-options=image trust --prefix example.test/app "$T/signer.asc"
assert_rc 254 "no keystore with --insecure-options=image"
assert_contains "$ERR" "could not get the keystore" "no keystore"

# --- review needs a terminal ---
run_rkt "${R[@]}" trust --prefix example.test/app "$T/signer.asc" </dev/null
assert_rc 254 "review without a terminal"
assert_contains "$ERR" "unable to ask user to review fingerprint due to lack of tty" "no tty"
assert_contains "$ERR" "run: rkt trust --prefix \"example.test/app\"" "no-tty hint"
assert_no_file "$PREFIX_DIR/example.test/app/$FP_signer" "nothing stored without review"

# Fingerprint as rkt prints it: groups of four, two spaces in the middle.
UPPER=$(echo "$FP_signer" | tr a-f A-F)
PRETTY="${UPPER:0:4} ${UPPER:4:4} ${UPPER:8:4} ${UPPER:12:4} ${UPPER:16:4}  ${UPPER:20:4} ${UPPER:24:4} ${UPPER:28:4} ${UPPER:32:4} ${UPPER:36:4}"

rkt_tty 'no\n' "${R[@]}" trust --prefix example.test/app "$T/signer.asc"
assert_rc 0 "answering no"
assert_contains "$OUT" "gpg key fingerprint is: $PRETTY" "fingerprint display"
assert_contains "$OUT" "Test Signer (ACI signing key) <signer@example.test>" "identity display"
assert_contains "$OUT" "Are you sure you want to trust this key (yes/no)?" "prompt"
assert_contains "$OUT" "not trusting \"$T/signer.asc\"" "refused key"
assert_no_file "$PREFIX_DIR/example.test/app/$FP_signer" "nothing stored after no"

rkt_tty 'maybe\nyes\n' "${R[@]}" trust --prefix example.test/app "$T/signer.asc"
assert_rc 0 "answering yes"
assert_contains "$OUT" "Please enter 'yes' or 'no'" "re-prompt"
assert_contains "$OUT" "Trusting \"$T/signer.asc\" for prefix \"example.test/app\" after fingerprint review." "trusting"
assert_contains "$OUT" "Added key for prefix \"example.test/app\" at \"$PREFIX_DIR/example.test/app/$FP_signer\"" "added"
cmp -s "$T/signer.asc" "$PREFIX_DIR/example.test/app/$FP_signer" || fail "stored key differs from the file"
assert_eq "$(stat -c %a "$PREFIX_DIR/example.test/app/$FP_signer")" 644 "key file mode"
assert_eq "$(stat -c %a "$PREFIX_DIR/example.test/app")" 755 "key dir mode"
rm -rf "$T/local/trustedkeys"

# --- sources ---
run_rkt "${R[@]}" trust --root --skip-fingerprint-review "$T/signer.asc"
assert_rc 0 "root key"
assert_contains "$OUT" "Trusting \"$T/signer.asc\" for prefix \"\" without fingerprint review." "root trusting"
assert_contains "$OUT" "Added root key at \"$ROOT_DIR/$FP_signer\"" "root added"
rm -rf "$T/local/trustedkeys"

run_rkt "${R[@]}" trust --prefix example.test/app --skip-fingerprint-review "$T/www/app"
assert_rc 254 "not a key"
assert_contains "$ERR" "error displaying the key $T/www/app" "junk key names the file"
run_rkt "${R[@]}" trust --prefix example.test/app --skip-fingerprint-review "$T/missing.asc"
assert_rc 254 "missing key file"
assert_contains "$ERR" "error accessing the key $T/missing.asc" "missing key"
assert_no_file "$T/local/trustedkeys" "nothing stored for bad keys"

run_rkt "${R[@]}" trust --prefix example.test/app --skip-fingerprint-review https://example.test/key.gpg
assert_rc 0 "https key"
assert_file "$PREFIX_DIR/example.test/app/$FP_signer" "https key stored"
rm -rf "$T/local/trustedkeys"

# TLS is really verified: without the test CA the same download fails …
SSL_CERT_FILE=/nonexistent run_rkt "${R[@]}" trust --prefix example.test/app --skip-fingerprint-review https://example.test/key.gpg
assert_rc 254 "https key from an unknown CA"
assert_no_file "$PREFIX_DIR/example.test/app/$FP_signer" "nothing stored after a TLS failure"
# … unless TLS checks are off.
SSL_CERT_FILE=/nonexistent run_rkt "${R[@]}" --insecure-options=tls trust --prefix example.test/app --skip-fingerprint-review https://example.test/key.gpg
assert_rc 0 "https key with --insecure-options=tls"
rm -rf "$T/local/trustedkeys"

run_rkt "${R[@]}" trust --prefix example.test/app --skip-fingerprint-review https://example.test/nokey.gpg
assert_rc 254 "https 404"
assert_contains "$ERR" "bad HTTP status code: 404" "404 key"

run_rkt "${R[@]}" trust --prefix example.test/app --skip-fingerprint-review http://example.test/key.gpg
assert_rc 254 "http key without --insecure-allow-http"
assert_contains "$ERR" "--insecure-allow-http required for http URLs" "http refused"
run_rkt "${R[@]}" trust --prefix example.test/app --skip-fingerprint-review --insecure-allow-http http://example.test/key.gpg
assert_rc 0 "http key with --insecure-allow-http"
assert_file "$PREFIX_DIR/example.test/app/$FP_signer" "http key stored"
rm -rf "$T/local/trustedkeys"

# A key server that stops sending: the stall timeout ends the download, naming the URL.
echo '{"paths": {"/stalled.gpg": {"stall_at_start": true}}}' >"$T/https.json"
bounded run_rkt "${R[@]}" --http-stall-timeout=2s trust --prefix example.test/app --skip-fingerprint-review https://example.test/stalled.gpg
assert_rc 254 "stalled key server"
assert_contains "$ERR" "no data for 2s from \`https://example.test/stalled.gpg\`" "stalled key server: URL and cause"
assert_no_file "$T/local/trustedkeys" "nothing stored after a stalled download"

# A named pipe given as the key is refused, not read forever.
mkfifo "$T/key.fifo"
bounded run_rkt "${R[@]}" trust --prefix example.test/app --skip-fingerprint-review "$T/key.fifo"
assert_rc 254 "named pipe as the key"
assert_contains "$ERR" "$T/key.fifo: not a regular file (a named pipe)" "named pipe key: refused by name"

# --- discovery (ac-discovery-pubkeys) ---
run_rkt "${R[@]}" trust --prefix example.test/app </dev/null
assert_rc 254 "discovered key still needs review"
assert_contains "$ERR" "key: \"https://example.test/key.gpg\"" "discovered location"
assert_eq "$(requests https '/app?ac-discovery=1')" 1 "discovery page requested over https"

run_rkt "${R[@]}" --trust-keys-from-https trust --prefix example.test/app </dev/null
assert_rc 0 "discovered https key with --trust-keys-from-https"
assert_contains "$OUT" "without fingerprint review" "no review for https keys"
assert_file "$PREFIX_DIR/example.test/app/$FP_signer" "discovered key stored"
rm -rf "$T/local/trustedkeys"

run_rkt "${R[@]}" trust --prefix example.test/none --skip-fingerprint-review
assert_rc 254 "no pubkeys tag"
assert_contains "$ERR" "meta discovery on example.test/none resulted in no keys" "no keys discovered"

# A hostile page: no usable tags, nothing stored, a clear error.
printf '<html><meta name="ac-discovery-pubkeys" content="onlyprefix"><meta name="ac-discovery-pubkeys"></html>\0\377' >"$T/www/hostile"
run_rkt "${R[@]}" trust --prefix example.test/hostile --skip-fingerprint-review
assert_rc 254 "hostile discovery page"
assert_contains "$ERR" "resulted in no keys" "hostile page"
assert_no_file "$T/local/trustedkeys" "nothing stored after failed discovery"
