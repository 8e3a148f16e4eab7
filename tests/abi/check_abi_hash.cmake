# Fails when a file in sdk/include/rkt/abi/ changed without an ABI version bump.
#
#   cmake -DRKT_SOURCE_DIR=<source dir> -P tests/abi/check_abi_hash.cmake             # check
#   cmake -DRKT_SOURCE_DIR=<source dir> -DUPDATE=1 -P tests/abi/check_abi_hash.cmake  # record
#
# tests/abi/abi-headers.sha256 records RKT_PLUGIN_ABI_MAJOR.MINOR and the SHA-256 of every file
# in the ABI directory. UPDATE rewrites it, but only after a version bump (FORCE=1 records
# without one: for changes that cannot affect the ABI, such as comments; say so in the commit).
cmake_minimum_required(VERSION 3.18)
if(NOT RKT_SOURCE_DIR)
  message(FATAL_ERROR "set -DRKT_SOURCE_DIR=<rkt source dir>")
endif()
# file(GLOB ... RELATIVE) needs an absolute directory: `-DRKT_SOURCE_DIR=.` found no header.
get_filename_component(RKT_SOURCE_DIR "${RKT_SOURCE_DIR}" ABSOLUTE)
set(abi_dir "${RKT_SOURCE_DIR}/sdk/include/rkt/abi")
set(record_file "${RKT_SOURCE_DIR}/tests/abi/abi-headers.sha256")
set(update_cmd "cmake -DRKT_SOURCE_DIR=${RKT_SOURCE_DIR} -DUPDATE=1 -P ${CMAKE_CURRENT_LIST_FILE}")

# The version the headers declare now.
file(STRINGS "${abi_dir}/plugin.h" defines REGEX "^#define RKT_PLUGIN_ABI_(MAJOR|MINOR) +[0-9]+")
foreach(line ${defines})
  string(REGEX REPLACE "^#define RKT_PLUGIN_ABI_(MAJOR|MINOR) +([0-9]+).*" "\\1;\\2" pair "${line}")
  list(GET pair 0 which)
  list(GET pair 1 value)
  set(current_${which} ${value})
endforeach()
if(NOT DEFINED current_MAJOR OR NOT DEFINED current_MINOR)
  message(FATAL_ERROR "cannot find RKT_PLUGIN_ABI_MAJOR/MINOR in `${abi_dir}/plugin.h`")
endif()
set(current_version "${current_MAJOR}.${current_MINOR}")

# The hashes of the headers now.
file(GLOB files RELATIVE "${abi_dir}" "${abi_dir}/*")
list(SORT files)
set(current_entries "")
set(current_hashes "")
foreach(f ${files})
  file(SHA256 "${abi_dir}/${f}" h)
  list(APPEND current_entries "${h}  ${f}")
  string(APPEND current_hashes "${h}  ${f}\n")
endforeach()

# What was recorded.
set(recorded_version "")
set(recorded_entries "")
if(EXISTS "${record_file}")
  file(STRINGS "${record_file}" record_lines)
  foreach(line ${record_lines})
    if(line MATCHES "^abi ([0-9]+\\.[0-9]+)$")
      set(recorded_version "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^[0-9a-f]+  ")
      list(APPEND recorded_entries "${line}")
    endif()
  endforeach()
endif()

# Which files differ, for the message.
set(changed "")
foreach(line IN LISTS current_entries recorded_entries)
  string(REGEX REPLACE "^[0-9a-f]+  " "" f "${line}")
  if((NOT line IN_LIST current_entries OR NOT line IN_LIST recorded_entries)
     AND NOT f IN_LIST changed)
    list(APPEND changed "${f}")
  endif()
endforeach()
string(REPLACE ";" ", " changed_text "${changed}")

set(bumped FALSE)
if(NOT recorded_version STREQUAL current_version)
  set(bumped TRUE)
endif()

if(UPDATE)
  if(changed AND NOT bumped AND NOT FORCE)
    message(FATAL_ERROR
      "refusing to record new hashes of sdk/include/rkt/abi/ (${changed_text}) without an ABI "
      "version bump: bump RKT_PLUGIN_ABI_MINOR (appended fields, ops members, status codes or "
      "kinds) or RKT_PLUGIN_ABI_MAJOR (anything removed, reordered or changed in meaning) in "
      "plugin.h first. If the change cannot affect the ABI (comments only), rerun with -DFORCE=1 "
      "and say so in the commit message.")
  endif()
  file(WRITE "${record_file}"
    "# rkt plugin ABI: the version in sdk/include/rkt/abi/plugin.h and the SHA-256 of every file\n"
    "# in sdk/include/rkt/abi/. Checked by ctest `abi/headers-versioned`; regenerate with\n"
    "#   cmake -DRKT_SOURCE_DIR=. -DUPDATE=1 -P tests/abi/check_abi_hash.cmake\n"
    "# after bumping the version (docs/plugins.md, \"Changing the ABI\").\n"
    "abi ${current_version}\n"
    "${current_hashes}")
  message(STATUS "recorded ABI ${current_version} and the hashes of ${abi_dir}")
  return()
endif()

if(NOT EXISTS "${record_file}" OR recorded_version STREQUAL "")
  message(FATAL_ERROR "cannot read the recorded ABI version from `${record_file}`; "
                      "create it with: ${update_cmd}")
endif()
if(changed AND NOT bumped)
  message(FATAL_ERROR
    "sdk/include/rkt/abi/ changed (${changed_text}) but the ABI version is still "
    "${current_version}. Every change to the plugin ABI headers needs a version bump in "
    "plugin.h: RKT_PLUGIN_ABI_MINOR for compatible additions (fields appended to a struct, "
    "members appended to an ops table, new status codes or kinds), RKT_PLUGIN_ABI_MAJOR for "
    "anything else (removed, reordered or retyped members, changed meaning). Then record it "
    "with: ${update_cmd}")
endif()
if(bumped)
  message(FATAL_ERROR
    "the ABI version changed from ${recorded_version} to ${current_version} but "
    "tests/abi/abi-headers.sha256 still records ${recorded_version}; if the bump is intended "
    "(and the host's load rule and docs/plugins.md say what changed), record it with: "
    "${update_cmd}")
endif()
message(STATUS "ABI ${current_version}: sdk/include/rkt/abi/ matches tests/abi/abi-headers.sha256")
