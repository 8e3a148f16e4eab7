// Small helpers shared by the fly stage1 test fixtures.
#ifndef RKT_PLUGINS_STAGE1_FLY_TESTS_FLY_TEST_UTIL_HPP
#define RKT_PLUGINS_STAGE1_FLY_TESTS_FLY_TEST_UTIL_HPP

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "fly_harness.hpp"

namespace flytest {

/// A pod manifest `app` object.
inline std::string appJson(const std::vector<std::string>& exec, const std::string& user = "0",
                           const std::string& group = "0", const std::string& extra = "") {
  return "{\"exec\":" + jsArray(exec) + ",\"user\":" + js(user) + ",\"group\":" + js(group) +
         extra + "}";
}

/// A pod whose app runs `sh -c script`.
inline PodOptions shell(const std::string& script, const std::string& user = "0",
                        const std::string& group = "0", const std::string& extra = "") {
  PodOptions o;
  o.appJson = appJson({"/bin/sh", "-c", script}, user, group, extra);
  return o;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// "exit <code>, stdout <...>, stderr <...>" for assertion messages.
inline std::string describe(const Finished& f) {
  return "exit " + std::to_string(f.exitCode) + " signal " + std::to_string(f.signal) +
         "\n--- stdout:\n" + f.out + "--- stderr:\n" + f.err;
}

std::vector<std::string> lines(const std::string& text);

}  // namespace flytest

#define FLY_ASSERT_EXIT(code, finished) \
  CPPUNIT_ASSERT_EQUAL_MESSAGE(::flytest::describe(finished), (code), (finished).exitCode)

#define FLY_ASSERT_CONTAINS(needle, haystack)                                           \
  CPPUNIT_ASSERT_MESSAGE(std::string("expected `") + (needle) + "` in:\n" + (haystack), \
                         ::flytest::contains((haystack), (needle)))

#endif  // RKT_PLUGINS_STAGE1_FLY_TESTS_FLY_TEST_UTIL_HPP
