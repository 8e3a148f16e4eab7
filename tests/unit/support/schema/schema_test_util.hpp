// Shared helpers for the schema unit tests.
#ifndef RKT_TESTS_UNIT_CORE_SCHEMA_SCHEMA_TEST_UTIL_HPP
#define RKT_TESTS_UNIT_CORE_SCHEMA_SCHEMA_TEST_UTIL_HPP

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>
#include <string>

#include "rkt/core/result.hpp"

namespace rkt::schema::test {

inline std::string readAppcData(const std::string& name) {
  std::ifstream in(std::string(RKT_TEST_DATA_DIR) + "/appc/" + name);
  CPPUNIT_ASSERT_MESSAGE("missing test data " + name, in.good());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// An image manifest with the required fields plus `extra` (JSON members, comma-separated).
inline std::string imageJson(const std::string& extra = "") {
  return R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/test")" +
         (extra.empty() ? "" : "," + extra) + "}";
}

/// An image manifest whose app has user and group "0" plus `appFields`.
inline std::string appJson(const std::string& appFields = "") {
  return imageJson(R"("app":{"user":"0","group":"0")" + (appFields.empty() ? "" : "," + appFields) +
                   "}");
}

/// A pod manifest with acVersion/acKind plus `extra`.
inline std::string podJson(const std::string& extra = "") {
  return R"({"acVersion":"1.30.0","acKind":"PodManifest")" + (extra.empty() ? "" : "," + extra) +
         "}";
}

template <class R>
std::string errorOf(const R& r) {
  return r ? std::string("(ok)") : r.error().message;
}

}  // namespace rkt::schema::test

/// Asserts that a Result/Status succeeded, showing the error otherwise.
#define SCHEMA_ASSERT_OK(expr)                                                      \
  do {                                                                              \
    const auto& schema_r_ = (expr);                                                 \
    CPPUNIT_ASSERT_MESSAGE(                                                         \
        std::string(#expr) + " failed: " + ::rkt::schema::test::errorOf(schema_r_), \
        static_cast<bool>(schema_r_));                                              \
  } while (0)

/// Asserts that a Result/Status failed with a message containing `needle`, on one line.
#define SCHEMA_ASSERT_ERROR(expr, needle)                                             \
  do {                                                                                \
    const auto& schema_r_ = (expr);                                                   \
    CPPUNIT_ASSERT_MESSAGE(std::string(#expr) + " unexpectedly succeeded",            \
                           !static_cast<bool>(schema_r_));                            \
    const std::string schema_msg_ = schema_r_.error().message;                        \
    CPPUNIT_ASSERT_MESSAGE(                                                           \
        "error `" + schema_msg_ + "` does not contain `" + std::string(needle) + "`", \
        schema_msg_.find(needle) != std::string::npos);                               \
    CPPUNIT_ASSERT_MESSAGE("error spans lines: " + schema_msg_,                       \
                           schema_msg_.find('\n') == std::string::npos);              \
  } while (0)

#endif  // RKT_TESTS_UNIT_CORE_SCHEMA_SCHEMA_TEST_UTIL_HPP
