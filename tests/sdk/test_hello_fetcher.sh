#!/usr/bin/env bash
# Third-party plugin workflow against a staged install of this build:
#  1. `cmake --install` puts rkt in bin/, plugins in $RKT_PKGLIBDIR/plugins/ (lib/<triplet>/rkt
#     with make's multiarch libdir), the SDK headers, CMake package and pkg-config file in their
#     places;
#  2. sdk/examples/hello-fetcher configures and builds against it with find_package, and with
#     plain g++ + pkg-config, warning-free, each .so exporting one symbol;
#  3. the staged rkt lists the example as loaded via RKT_PLUGIN_PATH, and finds it in its own
#     plugin directory once the example is installed into the same prefix;
#  4. with it, `rkt fetch hello:world` imports the example's image into the store.
. "$(dirname "$0")/../functional/lib.sh"

CMAKE=${CMAKE_COMMAND:-cmake}
CXX=${CXX_COMPILER:-c++}
EXAMPLE="$RKT_SOURCE_DIR/sdk/examples/hello-fetcher"
STAGE="$T/stage"
EXPORTS="$RKT_SOURCE_DIR/tests/abi/check_exports.sh"
LIB=${RKT_PKGLIBDIR:-lib/rkt}

# 1. Staged install.
"$CMAKE" --install "$RKT_BUILD_DIR" --prefix "$STAGE" >"$T/install.log" 2>&1 ||
  die "cmake --install failed: $(tail -20 "$T/install.log")"
assert_file "$STAGE/bin/rkt" "rkt is installed in bin/"
for so in "$RKT_BUILD_DIR/$LIB"/plugins/*.so; do
  [ -e "$so" ] || continue
  assert_file "$STAGE/$LIB/plugins/$(basename "$so")" "in-tree plugin installed in $LIB/plugins"
done
# Internal modules ($LIB/rkt-*.so) and plugin helpers ($LIB/plugins/<plugin>/*.so).
for so in "$RKT_BUILD_DIR/$LIB"/*.so "$RKT_BUILD_DIR/$LIB"/plugins/*/*.so; do
  [ -e "$so" ] || continue
  assert_file "$STAGE/${so#"$RKT_BUILD_DIR"/}" "internal module or plugin helper installed"
done
assert_file "$STAGE/include/rkt/abi/plugin.h" "ABI headers installed"
assert_file "$STAGE/include/rkt/sdk/fetcher.hpp" "C++ SDK headers installed"
assert_file "$STAGE/include/rkt/sdk/protocol/fetcher.hpp" "protocol headers installed"
assert_file "$STAGE/share/rkt/schema/fetcher-fetch-request.schema.json" "protocol schemas installed"
sdkconfig=$(find "$STAGE" -name RktPluginSdkConfig.cmake | head -1)
[ -n "$sdkconfig" ] || die "RktPluginSdkConfig.cmake is not installed"
pcfile=$(find "$STAGE" -name rkt-plugin-sdk.pc | head -1)
[ -n "$pcfile" ] || die "rkt-plugin-sdk.pc is not installed"

# 2a. CMake package, warnings as errors.
"$CMAKE" -S "$EXAMPLE" -B "$T/build-cmake" -DCMAKE_PREFIX_PATH="$STAGE" \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >"$T/configure.log" 2>&1 ||
  die "configuring the example failed: $(tail -30 "$T/configure.log")"
sdk_dir=$(sed -n 's/^RktPluginSdk_DIR:PATH=//p' "$T/build-cmake/CMakeCache.txt")
assert_eq "$sdk_dir" "$(dirname "$sdkconfig")" "the example used the staged SDK package"
"$CMAKE" --build "$T/build-cmake" >"$T/build.log" 2>&1 ||
  die "building the example failed: $(tail -30 "$T/build.log")"
assert_file "$T/build-cmake/fetcher-hello.so" "example built as fetcher-hello.so"
bash "$EXPORTS" "$T/build-cmake/fetcher-hello.so" >/dev/null || fail "example (CMake) exports more than its entry symbol"

# 2b. pkg-config and a bare compiler.
if command -v pkg-config >/dev/null; then
  export PKG_CONFIG_PATH="$(dirname "$pcfile")"
  cflags=$(pkg-config --cflags rkt-plugin-sdk-protocol) || die "pkg-config --cflags failed"
  libs=$(pkg-config --libs rkt-plugin-sdk-protocol) || die "pkg-config --libs failed"
  assert_contains "$libs" "-lPocoJSON" "the protocol module declares the codec's JSON library"
  assert_contains "$cflags" "-I$STAGE/" "pkg-config points into the staged prefix"
  mkdir -p "$T/build-pc"
  # shellcheck disable=SC2086
  "$CXX" -std=c++17 -shared -fPIC -Wall -Wextra -Werror $cflags -o "$T/build-pc/fetcher-hello.so" \
    "$EXAMPLE/plugin.cpp" "$EXAMPLE/hello_fetcher.cpp" $libs -larchive \
    >"$T/pc.log" 2>&1 || die "building the example with pkg-config failed: $(tail -30 "$T/pc.log")"
  bash "$EXPORTS" "$T/build-pc/fetcher-hello.so" >/dev/null || fail "example (pkg-config) exports more than its entry symbol"
else
  echo "note: pkg-config is missing; skipped the pkg-config build"
fi

# 3a. The staged rkt loads it through RKT_PLUGIN_PATH.
abi=$("$STAGE/bin/rkt" version | sed -n 's/^Plugin ABI: //p')
[ -n "$abi" ] || die "rkt version shows no plugin ABI"
row_of() { printf '%s\n' "$1" | grep -F "$2"; }
for dir in "$T/build-cmake" "$T/build-pc"; do
  [ -e "$dir/fetcher-hello.so" ] || continue
  OUT=$(RKT_PLUGIN_PATH="$dir" "$STAGE/bin/rkt" plugins list 2>"$T/err") && RC=0 || RC=$?
  ERR=$(cat "$T/err")
  assert_rc 0 "rkt plugins list ($dir)"
  row=$(row_of "$OUT" "$dir/fetcher-hello.so")
  assert_contains "$row" "loaded" "example from $dir is loaded"
  assert_contains "$row" "hello" "example row names the plugin"
  assert_contains "$row" "1.0.0" "example row shows its version"
  OUT=$(RKT_PLUGIN_PATH="$dir" "$STAGE/bin/rkt" plugins list --format=json 2>"$T/err") && RC=0 || RC=$?
  assert_rc 0 "rkt plugins list --format=json ($dir)"
  assert_json "$OUT" "plugins list JSON"
  status=$(printf '%s' "$OUT" | python3 -c '
import json, sys
path = sys.argv[1]
for p in json.load(sys.stdin):
    if p["path"] == path:
        print(p["status"], p["name"], ",".join(p["kinds"]), p["abi"])
' "$dir/fetcher-hello.so")
  assert_eq "$status" "loaded hello fetcher $abi" "JSON entry of the example"
done

# 4. It serves `hello:<text>` images: rkt routes the scheme to fetcher-hello.so and imports the
#    ACI it builds into the store (docs/plugins.md, "Routing").
D="$T/data"
R() { RKT_PLUGIN_PATH="$T/build-cmake" run_rkt_staged --dir="$D" "$@"; }
run_rkt_staged() { OUT=$("$STAGE/bin/rkt" "$@" 2>"$T/err") && RC=0 || RC=$?; ERR=$(cat "$T/err"); }
run_rkt_staged --dir="$D" fetch --pull-policy=never hello:world
assert_rc 254 "without the plugin, hello:world is an appc name"
assert_contains "$ERR" "unable to fetch image from image name \"hello:world\"" "appc name without the plugin"
R fetch hello:world
assert_rc 254 "fetch verifies signatures by default"
assert_contains "$ERR" "no signature found for \"hello:world\"" "the hello image is unsigned"
R --insecure-options=image fetch hello:world
assert_rc 0 "rkt fetch hello:world"
key=$OUT
[[ "$key" =~ ^sha512-[0-9a-f]{32}$ ]] || fail "fetch prints the image ID, got '$key'"
run_rkt_staged --dir="$D" image list --full --no-legend --fields=id,name
assert_rc 0 "image list"
row=$(printf '%s\n' "$OUT" | tr -s '\t' ' ' | grep "^${key:-none}[0-9a-f]* ")
assert_eq "${row#* }" "example.com/hello:world" "the fetched image is in the store under the example's name"
run_rkt_staged --dir="$D" image cat-manifest "$key"
assert_contains "$OUT" '"value": "world"' "the text is the image's version label"
assert_eq "$(ls -A "$D/cas/tmp" 2>/dev/null)" "" "nothing left in the store's download directory"
# Recorded under the reference: run/prepare's default pull policy finds it without fetching.
R --insecure-options=image fetch --pull-policy=new hello:world
assert_rc 0 "fetch hello:world again"
assert_eq "$OUT" "$key" "the stored image is reused"
assert_contains "$ERR" "using image from local store for url hello:world" "reused from the store"
R --insecure-options=image fetch hello:
assert_rc 254 "the plugin's own error"
assert_contains "$ERR" "cannot fetch \`hello:\`: not a hello:<text> image" "plugin error passed on"

# 3b. Installed next to rkt, it is found without RKT_PLUGIN_PATH (<exe>/../$LIB/plugins).
"$CMAKE" --install "$T/build-cmake" --prefix "$STAGE" >/dev/null 2>&1 || die "installing the example failed"
assert_file "$STAGE/$LIB/plugins/fetcher-hello.so" "example installed into $LIB/plugins"
OUT=$(env -u RKT_PLUGIN_PATH "$STAGE/bin/rkt" plugins list 2>"$T/err") && RC=0 || RC=$?
assert_rc 0 "rkt plugins list (installed)"
row=$(row_of "$OUT" "$STAGE/$LIB/plugins/fetcher-hello.so")
assert_contains "$row" "loaded" "installed example found beside the installed rkt"

# 5. Relocatable: the staged tree, moved elsewhere, searches only its own plugin directory (no
#    directory of the configure-time prefix is compiled in) and still loads its internal modules.
mv "$STAGE" "$T/moved"
OUT=$(env -u RKT_PLUGIN_PATH "$T/moved/bin/rkt" --system-config="$T/none" --local-config="$T/none" \
  --debug plugins list 2>&1) && RC=0 || RC=$?
assert_rc 0 "rkt plugins list (moved)"
searched=$(printf '%s\n' "$OUT" | sed -n 's/^list: plugin search path: //p')
assert_eq "$searched" "$T/moved/$LIB/plugins" "the only plugin directory searched"
assert_contains "$(row_of "$OUT" "$T/moved/$LIB/plugins/fetcher-hello.so")" "loaded" "plugin found after the move"
OUT=$("$T/moved/bin/rkt" --dir="$D" image extract --rootfs-only "$key" "$T/extracted" 2>&1) && RC=0 || RC=$?
assert_rc 0 "rkt image extract (moved; reads the image with the rkt-archive.so module)"
assert_not_contains "$OUT" "cannot load the internal module" "internal modules found after the move"
