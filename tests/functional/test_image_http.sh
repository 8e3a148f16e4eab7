#!/bin/bash
# `rkt fetch` of http:// ACIs against the test server on 127.0.0.1, checked through the server's
# request log: pull policies, ETag revalidation (304 reuses the stored image), Cache-Control
# max-age reuse without any request, a resumed download after a broken transfer, a redirect,
# and temporary files cleaned up afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/image_lib.sh"
need_root
need_store
need_busybox

SRV=$T/srv
mkdir -p "$SRV"
KEY=$(build_busybox "$SRV/bb.aci" example.com/busybox 1.0.0)
cp "$SRV/bb.aci" "$SRV/cached.aci"
cp "$SRV/bb.aci" "$SRV/cut.aci"
start_server "$SRV"
BASE=http://127.0.0.1:$PORT
# Plain http needs no --insecure-options=http (rkt v1.30; test_fetch_http_url.sh).
INSECURE=--insecure-options=image

# --- pull policies -------------------------------------------------------------------------------
rk $INSECURE fetch --pull-policy=never "$BASE/bb.aci"
assert_rc 254 "never with an empty store"
assert_contains "$ERR" "unable to fetch image from URL \"$BASE/bb.aci\"" "never: message"
assert_eq "$(count_requests GET /bb.aci)" 0 "never sends no request"

rk $INSECURE fetch "$BASE/bb.aci"
assert_rc 0 "first fetch (update policy)"
assert_eq "$OUT" "${KEY:0:39}" "fetched key"
assert_contains "$ERR" "image: remote fetching from URL \"$BASE/bb.aci\"" "remote fetch message"
assert_eq "$(count_requests GET /bb.aci)" 1 "one GET"
assert_eq "$(last_header GET /bb.aci if-none-match)" "" "first GET is unconditional"
assert_eq "$(count_requests GET /bb.asc)" 0 "no signature request with insecure image"

rk $INSECURE fetch --pull-policy=new "$BASE/bb.aci"
assert_rc 0 "new uses the stored copy"
assert_eq "$OUT" "${KEY:0:39}" "new: same key"
assert_contains "$ERR" "using image from local store for url $BASE/bb.aci" "new: store message"
assert_eq "$(count_requests GET /bb.aci)" 1 "new sends no request"

rk $INSECURE fetch --pull-policy=never "$BASE/bb.aci"
assert_rc 0 "never finds the stored copy by URL"
assert_eq "$(count_requests GET /bb.aci)" 1 "never sends no request"

# --- update revalidates: ETag -> 304 reuses the stored image ------------------------------------
etag=$(python3 -c 'import hashlib,sys; print("\"%s\"" % hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest()[:16])' "$SRV/bb.aci")
rk $INSECURE fetch --full "$BASE/bb.aci"
assert_rc 0 "update refetch"
assert_eq "$OUT" "$KEY" "304: stored key"
assert_eq "$(count_requests GET /bb.aci)" 2 "update asks the server again"
assert_eq "$(last_header GET /bb.aci if-none-match)" "$etag" "conditional GET with the stored ETag"
assert_eq "$(ls -A "$DATA/cas/tmp" | grep -v '^cas-tmp' | wc -l)" 0 "no download left in cas/tmp"

# A changed resource (new ETag) is downloaded and imported again.
echo '{"paths": {"/bb.aci": {"etag": "\"v2\""}}}' >"$SRV_CFG"
rk $INSECURE fetch --full "$BASE/bb.aci"
assert_rc 0 "fetch after the ETag changed"
assert_eq "$(count_requests GET /bb.aci)" 3 "downloaded again"
rk $INSECURE fetch --full "$BASE/bb.aci"
assert_eq "$(last_header GET /bb.aci if-none-match)" '"v2"' "the new ETag was recorded"

# --- Cache-Control: max-age reuses the stored image without a request ---------------------------
echo '{"paths": {"/cached.aci": {"cache_control": "max-age=3600"}}}' >"$SRV_CFG"
rk $INSECURE fetch "$BASE/cached.aci"
assert_rc 0 "fetch of a cacheable image"
assert_eq "$(count_requests GET /cached.aci)" 1 "one GET"
rk $INSECURE fetch --full "$BASE/cached.aci"
assert_rc 0 "fetch within max-age"
assert_eq "$OUT" "$KEY" "max-age: stored key"
assert_eq "$(count_requests GET /cached.aci)" 1 "no request within max-age"
assert_eq "$(count_requests HEAD /cached.aci)" 0 "not even a HEAD"

# --- a broken transfer leaves a partial download that the next fetch resumes --------------------
size=$(stat -c %s "$SRV/cut.aci")
echo '{"paths": {"/cut.aci": {"cut_after": 100000}}}' >"$SRV_CFG"
rk $INSECURE fetch "$BASE/cut.aci"
assert_rc 254 "fetch broken off by the server"
assert_eq "$(printf '%s\n' "$ERR" | grep -c '^fetch: ')" 1 "one error line"
rk $INSECURE fetch --full "$BASE/cut.aci"
assert_rc 0 "fetch resumes"
assert_eq "$OUT" "$KEY" "resumed download has the right key"
assert_eq "$(count_requests HEAD /cut.aci)" 1 "resume probes with HEAD"
assert_eq "$(last_header GET /cut.aci range)" "bytes=100000-" "resume asks for the rest"
assert_eq "$(count_requests GET /cut.aci)" 2 "two GETs in all"
assert_eq "$(ls -A "$DATA/cas/tmp" | grep -v '^cas-tmp' | wc -l)" 0 "partial download cleaned up"

# --- a redirect is followed; the record is kept under the URL the user gave ---------------------
echo "{\"paths\": {\"/redir.aci\": {\"redirect\": \"$BASE/bb.aci\"}}}" >"$SRV_CFG"
gets=$(count_requests GET /bb.aci)
rk $INSECURE fetch --full "$BASE/redir.aci"
assert_rc 0 "fetch through a redirect"
assert_eq "$OUT" "$KEY" "redirect: key of the target"
assert_eq "$(count_requests GET /redir.aci)" 1 "asked the redirecting URL"
assert_eq "$(count_requests GET /bb.aci)" $((gets + 1)) "followed it to the target"
rk $INSECURE fetch --pull-policy=new "$BASE/redir.aci"
assert_rc 0 "redirected image found by its URL"
assert_eq "$(count_requests GET /redir.aci)" 1 "new: no request for the redirected URL"

# --- a missing file is a clear error -------------------------------------------------------------
rk $INSECURE fetch "$BASE/missing.aci"
assert_rc 254 "404"
assert_contains "$ERR" "404" "404 in the message"
assert_eq "$(listed_keys)" "$KEY" "only one image in the store"

# --- a server that stops sending: the stall timeout (--http-stall-timeout) ends the fetch with
# one error naming the URL, whether it stalls before its headers or in the middle of the body ---
cp "$SRV/bb.aci" "$SRV/stall.aci"
for stall in '"stall_after": 100000' '"stall_at_start": true'; do
  echo "{\"paths\": {\"/stall.aci\": {$stall}}}" >"$SRV_CFG"
  bounded rk $INSECURE --http-stall-timeout=2s fetch "$BASE/stall.aci"
  assert_rc 254 "stalled server ($stall)"
  errors=$(printf '%s\n' "$ERR" | grep -v '^image: ')
  assert_eq "$(printf '%s\n' "$errors" | wc -l)" 1 "stalled server ($stall): one error line"
  assert_contains "$errors" "\`$BASE/stall.aci\`" "stalled server ($stall): the error names the URL"
  assert_contains "$errors" "no data for 2s" "stalled server ($stall): the error says why"
done
rk --http-stall-timeout=0s version
assert_rc 254 "a stall timeout of zero"
assert_contains "$ERR" "--http-stall-timeout" "zero stall timeout: the message names the flag"

# --- an image the store refuses is named by its URL, not by the temporary download ----------
head -c 5000 "$SRV/bb.aci" >"$SRV/bad.aci"
echo '{"paths": {}}' >"$SRV_CFG"
rk $INSECURE fetch "$BASE/bad.aci"
assert_rc 254 "corrupt remote image"
errors=$(printf '%s\n' "$ERR" | grep -v '^image: ')
assert_eq "$(printf '%s\n' "$errors" | wc -l)" 1 "corrupt remote image: one error line"
assert_contains "$errors" "\`$BASE/bad.aci\`" "corrupt remote image: the error names the URL"
assert_not_contains "$errors" "$DATA" "corrupt remote image: no temporary file named"
