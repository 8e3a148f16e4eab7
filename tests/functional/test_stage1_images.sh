#!/usr/bin/env bash
# Stage1 selection as rkt (rkt-notes §3.4, docs/stage1-images.md): --stage1-path/-url/-from-dir
# fetch that image and nothing else, --stage1-name and --stage1-hash look in the store, stage1.d
# selects when no flag does; trusted locations need no signature; the chosen image is in the
# store, recorded in the pod and listed. rkt's own stage1 names select the built-in plugins,
# with or without an image. The images are stub stage1s (tests/fixtures/make-stub-stage1-aci.sh)
# run by the aci flavor.
. "$(dirname "$0")/lib.sh"
private_mounts "$@"

[ -x /bin/busybox ] || skip "busybox-static is not installed"
PLUGINS="$RKT_BUILD_DIR/lib/rkt/plugins"
for p in stage1-fly stage1-aci store-cas; do
  [ -f "$PLUGINS/$p.so" ] || skip "$p.so is not built"
done

FIX="$RKT_SOURCE_DIR/tests/fixtures"
DATA="$T/data"
mkdir -p "$T/sys" "$T/local/stage1.d" "$T/local/paths.d"
R() { run_rkt --dir="$DATA" --system-config="$T/sys" --local-config="$T/local" "$@"; }
"$FIX/make-busybox-aci.sh" "$T/app.aci" example.com/app 1.0.0 /bin/echo app ran >/dev/null ||
  die "cannot build the app image"
R --insecure-options=image fetch "$T/app.aci"
assert_rc 0 "fetch the app image"
APP=${OUT:0:71}  # from the store from here on: a file is always fetched (and checked) again
stub=$("$FIX/make-stub-stage1-aci.sh" "$T/stub.aci" example.com/stub-stage1 1.0.0 6) ||
  die "cannot build the stub stage1"
stub=${stub:0:71}
STUB_OK="success, stub stage1 would at this point switch to stage2"
# The directory of the pod created last (by its pod-created file, rkt's creation time).
last_pod() { dirname "$(ls -t "$DATA"/pods/run/*/pod-created | head -n 1)"; }
clear_pods() { R gc --grace-period=0s >/dev/null; rm -rf "$DATA/pods/run"/*; }

# 1. A stage1 file that does not exist: rkt's message, whatever flavor its name suggests, and
#    no pod is created.
for p in /does/not/exist /does/not/stage1-fly.aci /does/not/stage1-coreos.aci; do
  R run --stage1-path="$p" "$T/app.aci"
  assert_rc 254 "--stage1-path=$p"
  assert_eq "$ERR" "run: error opening ACI file: open $p: no such file or directory" \
    "--stage1-path=$p message"
  R --insecure-options=image prepare --stage1-path="$p" "$T/app.aci"
  assert_rc 254 "prepare --stage1-path=$p"
  assert_contains "$ERR" "error opening ACI file: open $p: no such file or directory" \
    "prepare --stage1-path=$p message"
done
assert_no_file "$DATA/pods/prepare" "no pod for a missing stage1" 2>/dev/null
[ -z "$(ls -A "$DATA/pods/run" "$DATA/pods/prepared" 2>/dev/null)" ] || fail "pods were created"

# 2. An untrusted location needs a signature (or --insecure-options=image).
R run --stage1-path="$T/stub.aci" "$APP"
assert_rc 254 "untrusted stage1 without signature"
assert_contains "$ERR" "signature" "untrusted stage1 refused for its signature"
R --insecure-options=image run --stage1-path="$T/stub.aci" "$APP"
assert_rc 0 "stub stage1 by path"
assert_contains "$OUT" "$STUB_OK" "the stub stage1 ran"
pod=$(last_pod)
assert_eq "$(cat "$pod/stage1ImageID")" "$stub" "stage1ImageID records the stub"
assert_file "$pod/stage1TreeStoreID" "stage1TreeStoreID"
assert_file "$pod/stage1/manifest" "stage1/manifest"
assert_no_file "$pod/flavor" "no flavor written for a stage1 image (its stage1 writes it)"
assert_eq "$(cat "$pod/stub-cwd")" "$pod" "the run entrypoint runs in \$POD"
assert_eq "$(cat "$pod/stub-lock")" "$pod" "RKT_LOCK_FD is the pod directory"
R image list --no-legend --fields=id,name
assert_contains "$OUT" "example.com/stub-stage1:1.0.0" "rkt image list shows the stage1 image"

# 3. --stage1-hash and --stage1-name take it from the store; a hash not there is final.
clear_pods
R run --stage1-hash="$stub" "$APP"
assert_rc 0 "--stage1-hash"
assert_contains "$OUT" "$STUB_OK" "--stage1-hash ran the stub"
R run --stage1-hash=sha512-00000000000000000000000000000000 "$APP"
assert_rc 254 "--stage1-hash not in the store"
assert_contains "$ERR" "sha512-00000000000000000000000000000000" "missing hash named"
R run --stage1-name=example.com/stub-stage1:1.0.0 "$APP"
assert_rc 0 "--stage1-name from the store"
assert_contains "$OUT" "$STUB_OK" "--stage1-name ran the stub"

# 4. Trusted location: the build's stage1-images directory needs no signature;
#    --stage1-from-dir names files in paths' stage1-images.
images="$RKT_BUILD_DIR/$RKT_PKGLIBDIR/stage1-images"
created_dir=
[ -d "$images" ] || { mkdir -p "$images" && created_dir=1; }
trusted="stub-$(basename "$T").aci"
cp "$T/stub.aci" "$images/$trusted"
on_exit "rm -f '$images/$trusted'; [ -n '$created_dir' ] && rmdir '$images' 2>/dev/null"
R run --stage1-from-dir="$trusted" "$APP"
assert_rc 0 "--stage1-from-dir, trusted, unsigned"
assert_contains "$OUT" "$STUB_OK" "--stage1-from-dir ran the stub"
R run --stage1-path="$images/$trusted" "$APP"
assert_rc 0 "--stage1-path in the trusted directory, unsigned"
mkdir -p "$T/s1dir"
cat >"$T/local/paths.d/s1.json" <<JSON
{ "rktKind": "paths", "rktVersion": "v1", "stage1-images": "$T/s1dir" }
JSON
R run --stage1-from-dir=nosuch.aci "$APP"
assert_rc 254 "--stage1-from-dir of a missing file"
assert_contains "$ERR" "error opening ACI file: open $T/s1dir/nosuch.aci: no such file or directory" \
  "--stage1-from-dir looks in paths' stage1-images"
cp "$T/stub.aci" "$T/s1dir/stub.aci"
R run --stage1-from-dir=stub.aci "$APP"
assert_rc 254 "a configured stage1-images directory is not trusted"
assert_contains "$ERR" "signature" "configured directory needs a signature"
rm "$T/local/paths.d/s1.json"

# 5. stage1.d selects the stage1 when no flag does: name+version from the store, or location.
clear_pods
cat >"$T/local/stage1.d/s1.json" <<JSON
{ "rktKind": "stage1", "rktVersion": "v1", "name": "example.com/stub-stage1", "version": "1.0.0" }
JSON
R run "$APP"
assert_rc 0 "stage1.d name and version"
assert_contains "$OUT" "$STUB_OK" "stage1.d selected the stub"
assert_eq "$(cat "$(last_pod)/stage1ImageID")" "$stub" "configured stage1 recorded"
"$FIX/make-stub-stage1-aci.sh" "$T/stub3.aci" example.com/stub-three 1.0.0 3 >/dev/null
cat >"$T/local/stage1.d/s1.json" <<JSON
{ "rktKind": "stage1", "rktVersion": "v1", "location": "$T/stub3.aci" }
JSON
R --insecure-options=image run "$APP"
assert_rc 0 "stage1.d location"
assert_contains "$OUT" "$STUB_OK" "stage1.d location ran the stub"
R run "$APP"
assert_rc 254 "stage1.d location is not trusted"
rm "$T/local/stage1.d/s1.json"

# 6. rkt's own stage1 names: the built-in plugin, with the image when the store has one.
clear_pods
R run --stage1-name=coreos.com/rkt/stage1-fly "$APP"
assert_rc 0 "built-in fly without an image"
assert_eq "$OUT" "app ran" "fly ran the app"
pod=$(last_pod)
assert_eq "$(readlink "$pod/flavor")" "fly" "flavor fly"
assert_no_file "$pod/stage1TreeStoreID" "no stage1 image for a built-in flavor by name"
"$FIX/make-busybox-aci.sh" "$T/s1fly.aci" coreos.com/rkt/stage1-fly 1.30.0 >/dev/null
R --insecure-options=image run --stage1-path="$T/s1fly.aci" "$APP"
assert_rc 0 "an image named coreos.com/rkt/stage1-fly"
assert_eq "$OUT" "app ran" "an image named like fly runs with the fly plugin"
pod=$(last_pod)
assert_eq "$(readlink "$pod/flavor")" "fly" "fly image: flavor fly"
assert_file "$pod/stage1TreeStoreID" "fly image recorded"
R run --stage1-name=coreos.com/rkt/stage1-fly:1.30.0 "$APP"
assert_rc 0 "fly by name with its image in the store"
assert_file "$(last_pod)/stage1ImageID" "fly by name uses the stored image"
R status "$(basename "$(last_pod)")"
assert_rc 0 "status of a fly pod with a recorded stage1 image"
