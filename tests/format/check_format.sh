#!/bin/bash
# Fails when a tracked C/C++ source differs from what the committed .clang-format makes of it, and
# lists the files (fix with `clang-format -i FILE`). The ABI headers are left out: their bytes are
# frozen by tests/abi's hash, and re-indenting them would need an ABI version bump.
set -u
cd "${RKT_SOURCE_DIR:?}" || exit 1
command -v clang-format >/dev/null || { echo "SKIP: clang-format is not installed" >&2; exit 77; }
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "SKIP: not a git checkout, cannot list the tracked sources" >&2
  exit 77
fi
mapfile -t files < <(git ls-files -- '*.c' '*.h' '*.cpp' '*.hpp' | grep -v '^sdk/include/rkt/abi/')
mapfile -t drift < <(printf '%s\n' "${files[@]}" |
  xargs -d '\n' -P "$(nproc)" -n 25 clang-format --dry-run --Werror 2>&1 |
  grep -oE '^[^:]+:[0-9]+:[0-9]+: (error|warning)' | cut -d: -f1 | sort -u)
if [ "${#drift[@]}" -ne 0 ]; then
  echo "FAIL: ${#drift[@]} file(s) differ from .clang-format (run clang-format -i on them):" >&2
  printf '  %s\n' "${drift[@]}" >&2
  exit 1
fi
echo "PASS: ${#files[@]} files match .clang-format"
