// The OpenPGP fixtures of tests/unit/data/trust (see its README.md).
#ifndef RKT_TESTS_UNIT_CORE_TRUST_TRUST_TEST_DATA_HPP
#define RKT_TESTS_UNIT_CORE_TRUST_TRUST_TEST_DATA_HPP

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace rkt::test {

inline constexpr const char* kSignerFingerprint = "716f3ea338663c6bc8b49310f884d68e52561dac";
inline constexpr const char* kSignerSubkey = "32231dfb2814d48a50d2fc9d893aecbc2f050749";
inline constexpr const char* kOtherFingerprint = "29bb6ad1d629fb874e35c449f383dab764124ff8";

inline std::string trustData(const std::string& name) {
  return std::string(RKT_TEST_DATA_DIR) + "/trust/" + name;
}

inline std::string readTrustData(const std::string& name) {
  std::ifstream in(trustData(name), std::ios::binary);
  if (!in) {
    throw std::runtime_error("missing test data " + name);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace rkt::test

#endif  // RKT_TESTS_UNIT_CORE_TRUST_TRUST_TEST_DATA_HPP
