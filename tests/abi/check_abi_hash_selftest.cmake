# Proves abi/headers-versioned can fail: on a scratch copy of the ABI headers and the record,
# an edit without a bump must fail the check, and recording after a minor bump must pass.
#   cmake -DRKT_SOURCE_DIR=<src> -DSCRATCH=<empty dir> -P check_abi_hash_selftest.cmake
cmake_minimum_required(VERSION 3.18)
set(checker "${RKT_SOURCE_DIR}/tests/abi/check_abi_hash.cmake")
file(REMOVE_RECURSE "${SCRATCH}")
file(MAKE_DIRECTORY "${SCRATCH}/sdk/include/rkt" "${SCRATCH}/tests/abi")
file(COPY "${RKT_SOURCE_DIR}/sdk/include/rkt/abi" DESTINATION "${SCRATCH}/sdk/include/rkt")
file(COPY "${RKT_SOURCE_DIR}/tests/abi/abi-headers.sha256" DESTINATION "${SCRATCH}/tests/abi")

function(run_check expect_ok what)
  execute_process(COMMAND ${CMAKE_COMMAND} -DRKT_SOURCE_DIR=${SCRATCH} ${ARGN} -P ${checker}
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(expect_ok AND NOT rc EQUAL 0)
    message(FATAL_ERROR "${what}: expected the check to pass, it failed: ${err}")
  elseif(NOT expect_ok AND rc EQUAL 0)
    message(FATAL_ERROR "${what}: expected the check to fail, it passed")
  endif()
endfunction()

run_check(TRUE "unchanged copy")
set(fetcher "${SCRATCH}/sdk/include/rkt/abi/fetcher.h")
file(APPEND "${fetcher}" "/* an edit */\n")
run_check(FALSE "edited header, no bump")
run_check(FALSE "recording an edit without a bump" -DUPDATE=1)
file(READ "${SCRATCH}/sdk/include/rkt/abi/plugin.h" plugin_h)
string(REGEX REPLACE "#define RKT_PLUGIN_ABI_MINOR [0-9]+" "#define RKT_PLUGIN_ABI_MINOR 99"
       plugin_h "${plugin_h}")
file(WRITE "${SCRATCH}/sdk/include/rkt/abi/plugin.h" "${plugin_h}")
run_check(FALSE "bumped but not recorded")
run_check(TRUE "recording after a bump" -DUPDATE=1)
run_check(TRUE "recorded bump")
file(REMOVE_RECURSE "${SCRATCH}")
message(STATUS "the ABI hash check detects unversioned edits")
