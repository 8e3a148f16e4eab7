#!/usr/bin/env bash
# Usage: check_exports.sh <plugin .so or directory of them>...
# Fails unless every plugin's dynamic symbol table defines exactly one symbol, the entry
# function rkt_plugin_descriptor_v1 (no leaked C++ runtime or SDK symbols).
set -u
command -v nm >/dev/null || { echo "SKIP: nm(1) is missing" >&2; exit 77; }
files=()
for arg in "$@"; do
  if [ -d "$arg" ]; then
    for f in "$arg"/*.so; do [ -e "$f" ] && files+=("$f"); done
  elif [[ "$arg" != *.so ]]; then
    echo "note: no directory $arg (no plugins built there)"
  else
    files+=("$arg")
  fi
done
[ "${#files[@]}" -gt 0 ] || { echo "FAIL: no plugin files given" >&2; exit 1; }
failures=0
for f in "${files[@]}"; do
  if [ ! -f "$f" ]; then
    echo "FAIL: $f does not exist" >&2
    failures=$((failures + 1))
    continue
  fi
  exported=$(nm -D --defined-only "$f" | awk '{print $NF}' | sort)
  if [ "$exported" != "rkt_plugin_descriptor_v1" ]; then
    echo "FAIL: $f must export only rkt_plugin_descriptor_v1; it exports:" >&2
    printf '  %s\n' $exported >&2
    failures=$((failures + 1))
  else
    echo "ok: $f"
  fi
done
[ "$failures" -eq 0 ]
