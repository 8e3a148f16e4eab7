#!/usr/bin/env bash
# Third-party plugin workflow against a staged install of this build:
#  1. `cmake --install` puts rkt in bin/, plugins in lib/rkt/plugins/, the SDK headers, CMake
#     package and pkg-config file in their places;
#  2. sdk/examples/hello-fetcher configures and builds against it with find_package, and with
#     plain g++ + pkg-config, warning-free, each .so exporting one symbol;
#  3. the staged rkt lists the example as loaded via RKT_PLUGIN_PATH, and finds it in its own
#     lib/rkt/plugins once the example is installed into the same prefix.
. "$(dirname "$0")/../functional/lib.sh"

CMAKE=${CMAKE_COMMAND:-cmake}
CXX=${CXX_COMPILER:-c++}
EXAMPLE="$RKT_SOURCE_DIR/sdk/examples/hello-fetcher"
STAGE="$T/stage"
EXPORTS="$RKT_SOURCE_DIR/tests/abi/check_exports.sh"

# 1. Staged install.
"$CMAKE" --install "$RKT_BUILD_DIR" --prefix "$STAGE" >"$T/install.log" 2>&1 ||
  die "cmake --install failed: $(tail -20 "$T/install.log")"
assert_file "$STAGE/bin/rkt" "rkt is installed in bin/"
for so in "$RKT_BUILD_DIR"/lib/rkt/plugins/*.so; do
  [ -e "$so" ] || continue
  assert_file "$STAGE/lib/rkt/plugins/$(basename "$so")" "in-tree plugin installed in lib/rkt/plugins"
done
# Internal modules (lib/rkt/rkt-*.so) and plugin helpers (lib/rkt/plugins/<plugin>/*.so).
for so in "$RKT_BUILD_DIR"/lib/rkt/*.so "$RKT_BUILD_DIR"/lib/rkt/plugins/*/*.so; do
  [ -e "$so" ] || continue
  assert_file "$STAGE/${so#"$RKT_BUILD_DIR"/}" "internal module or plugin helper installed"
done
assert_file "$STAGE/include/rkt/abi/plugin.h" "ABI headers installed"
assert_file "$STAGE/include/rkt/sdk/fetcher.hpp" "C++ SDK headers installed"
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
  cflags=$(pkg-config --cflags rkt-plugin-sdk) || die "pkg-config --cflags failed"
  libs=$(pkg-config --libs rkt-plugin-sdk) || die "pkg-config --libs failed"
  assert_contains "$cflags" "-I$STAGE/" "pkg-config points into the staged prefix"
  mkdir -p "$T/build-pc"
  # shellcheck disable=SC2086
  "$CXX" -std=c++17 -shared -fPIC -Wall -Wextra -Werror $cflags -o "$T/build-pc/fetcher-hello.so" \
    "$EXAMPLE/plugin.cpp" "$EXAMPLE/hello_fetcher.cpp" $libs -lPocoJSON -lPocoFoundation \
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

# 3b. Installed next to rkt, it is found without RKT_PLUGIN_PATH (<exe>/../lib/rkt/plugins).
"$CMAKE" --install "$T/build-cmake" --prefix "$STAGE" >/dev/null 2>&1 || die "installing the example failed"
assert_file "$STAGE/lib/rkt/plugins/fetcher-hello.so" "example installed into lib/rkt/plugins"
OUT=$(env -u RKT_PLUGIN_PATH "$STAGE/bin/rkt" plugins list 2>"$T/err") && RC=0 || RC=$?
assert_rc 0 "rkt plugins list (installed)"
row=$(row_of "$OUT" "$STAGE/lib/rkt/plugins/fetcher-hello.so")
assert_contains "$row" "loaded" "installed example found beside the installed rkt"
