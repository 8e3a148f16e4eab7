# What every test of the tree shares, and rkt_plugin_tests(), with which a plugin registers the
# tests in its own folder (docs/layout.md, "Tests"). Included by the top-level CMakeLists.txt
# before plugins/ and tests/, so tests/ keeps no list of plugins: a plugin switched off
# (-DRKT_PLUGIN_<KIND>_<NAME>=OFF) never runs its CMakeLists.txt and so has no tests.

# Where the ABI fixtures are built (tests/abi); the loader's unit tests load them.
set(RKT_ABI_FIXTURE_DIR "${CMAKE_BINARY_DIR}/tests/abi/plugins")

# What a functional test script gets (tests/functional/lib.sh reads it): the rkt binary, the
# build and source trees, where rkt's modules and plugins are, and the version rkt reports.
set(RKT_FUNCTIONAL_TEST_ENVIRONMENT
  "RKT=$<TARGET_FILE:rkt>"
  "RKT_BUILD_DIR=${CMAKE_BINARY_DIR}"
  "RKT_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
  "RKT_PKGLIBDIR=${RKT_PKGLIBDIR}"
  "RKT_PLUGIN_DIR=${RKT_PLUGIN_OUTPUT_DIR}"
  "RKT_VERSION_STRING=${RKT_VERSION_STRING}")

# Every unit test program builds against this: CppUnit, the shared helpers of tests/unit
# (included as "core/pod/pod_test_support.hpp", "support/archive/archive_fixture.hpp", ...), the
# core's private headers, and where the test data, fixtures and built plugins are.
if(RKT_BUILD_TESTS AND CPPUNIT_FOUND)
  add_library(rkt_unit_test_base INTERFACE)
  target_include_directories(rkt_unit_test_base INTERFACE
    ${CMAKE_SOURCE_DIR}/tests/unit ${CMAKE_SOURCE_DIR}/core/src)
  target_link_libraries(rkt_unit_test_base INTERFACE PkgConfig::CPPUNIT)
  target_compile_definitions(rkt_unit_test_base INTERFACE
    RKT_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    RKT_TEST_DATA_DIR="${CMAKE_SOURCE_DIR}/tests/unit/data"
    RKT_ABI_FIXTURE_DIR="${RKT_ABI_FIXTURE_DIR}"
    RKT_PLUGIN_BUILD_DIR="${RKT_PLUGIN_OUTPUT_DIR}"
    RKT_FIXTURES_DIR="${CMAKE_SOURCE_DIR}/tests/fixtures"
    RKT_SDK_SCHEMA_DIR="${CMAKE_SOURCE_DIR}/sdk/schema")
  # Every unit test program: what `make check-unit-asan` builds before `ctest -L unit`.
  add_custom_target(rkt-unit-tests-all)
endif()

# rkt_add_cppunit_tests(<target> <test name prefix> <label> <timeout> <sources>...): one ctest
# test `<prefix><Suite>` per CPPUNIT_TEST_SUITE(<Suite>) in the sources, running
# `<target> <Suite>`. Tests exiting 77 are skipped (a program that cannot run here says why).
function(rkt_add_cppunit_tests target prefix label timeout)
  foreach(src ${ARGN})
    file(STRINGS ${src} suite_lines REGEX "CPPUNIT_TEST_SUITE\\([A-Za-z0-9_]+\\)")
    foreach(line ${suite_lines})
      string(REGEX REPLACE ".*CPPUNIT_TEST_SUITE\\(([A-Za-z0-9_]+)\\).*" "\\1" suite "${line}")
      add_test(NAME ${prefix}${suite} COMMAND ${target} ${suite})
      set_tests_properties(${prefix}${suite} PROPERTIES
        LABELS ${label} TIMEOUT ${timeout} SKIP_RETURN_CODE 77)
    endforeach()
  endforeach()
endfunction()

# rkt_plugin_tests([UNIT <dir>] [INTEGRATION <dir>] [FUNCTIONAL <dir>] [LIBS <lib>...]
#                  [ENVIRONMENT <VAR=value>...])
#
# Called from a plugin's CMakeLists.txt (after rkt_add_plugin); directories are relative to it.
#   UNIT <dir>         every .cpp in <dir>: CppUnit fixtures and their helpers, with
#                      tests/unit/main.cpp, built into rkt-<kind>-<name>-unit-tests; one test
#                      `unit/<Suite>` (label `unit`) per fixture, as tests/unit/ registers its
#                      own. Built in the sanitizer build too (make check-unit-asan).
#   INTEGRATION <dir>  every .cpp in <dir>, its own main() included (which may exit 77 to skip;
#                      tests/unit/run_fixtures.hpp runs the fixtures):
#                      CppUnit fixtures that drive the built plugin as rkt does, e.g. on real
#                      pods as root; rkt-<kind>-<name>-tests, one test
#                      `plugins/<kind>-<name>/<Suite>` (label `plugins`) per fixture.
#   FUNCTIONAL <dir>   every test_<x>.sh (bash) and test_<x>.py (python3) in <dir>: one test
#                      `plugins/<kind>-<name>/<x>` (label `plugins`) each, with the functional
#                      tests' environment (RKT_FUNCTIONAL_TEST_ENVIRONMENT) and ENVIRONMENT.
#   LIBS               what the UNIT and INTEGRATION programs link besides CppUnit (the
#                      plugin's implementation library, rkt_core to load it as rkt does, ...).
# Every test program depends on the plugin module, so a test can load the built plugin.
# INTEGRATION and FUNCTIONAL tests need the rkt binary's build and are left out of the
# RKT_UNIT_TESTS_ONLY (sanitizer) build.
function(rkt_plugin_tests)
  cmake_parse_arguments(T "" "UNIT;INTEGRATION;FUNCTIONAL" "LIBS;ENVIRONMENT" ${ARGN})
  if(T_UNPARSED_ARGUMENTS OR NOT RKT_PLUGIN_KIND OR NOT RKT_PLUGIN_NAME)
    message(FATAL_ERROR "rkt_plugin_tests: called outside a plugin folder or with unknown "
                        "arguments `${T_UNPARSED_ARGUMENTS}`")
  endif()
  if(NOT RKT_BUILD_TESTS)
    return()
  endif()
  set(plugin "${RKT_PLUGIN_KIND}-${RKT_PLUGIN_NAME}")
  set(module "plugin-${plugin}")

  if(T_UNIT AND CPPUNIT_FOUND)
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${T_UNIT}/*.cpp)
    set(target "rkt-${plugin}-unit-tests")
    add_executable(${target} ${CMAKE_SOURCE_DIR}/tests/unit/main.cpp ${sources})
    target_link_libraries(${target} PRIVATE rkt_unit_test_base ${T_LIBS})
    add_dependencies(${target} ${module})
    add_dependencies(rkt-unit-tests-all ${target})
    rkt_add_cppunit_tests(${target} "unit/" unit 300 ${sources})
  endif()
  if(RKT_UNIT_TESTS_ONLY)
    return()
  endif()

  if(T_INTEGRATION AND CPPUNIT_FOUND)
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${T_INTEGRATION}/*.cpp)
    set(target "rkt-${plugin}-tests")
    add_executable(${target} ${sources})
    target_link_libraries(${target} PRIVATE rkt_unit_test_base ${T_LIBS})
    add_dependencies(${target} ${module})
    rkt_add_cppunit_tests(${target} "plugins/${plugin}/" plugins 600 ${sources})
  endif()

  if(T_FUNCTIONAL)
    set(environment ${RKT_FUNCTIONAL_TEST_ENVIRONMENT} ${T_ENVIRONMENT})
    file(GLOB scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${T_FUNCTIONAL}/test_*.sh
         ${CMAKE_CURRENT_SOURCE_DIR}/${T_FUNCTIONAL}/test_*.py)
    foreach(script ${scripts})
      get_filename_component(name ${script} NAME_WE)
      string(REGEX REPLACE "^test_" "" name "${name}")
      if(script MATCHES "\\.py$")
        find_program(RKT_PYTHON3 python3 REQUIRED)
        set(interpreter ${RKT_PYTHON3})
      else()
        set(interpreter bash)
      endif()
      add_test(NAME plugins/${plugin}/${name} COMMAND ${interpreter} ${script})
      set_tests_properties(plugins/${plugin}/${name} PROPERTIES
        LABELS plugins TIMEOUT 600 SKIP_RETURN_CODE 77
        ENVIRONMENT "${environment}")
    endforeach()
  endif()
endfunction()
