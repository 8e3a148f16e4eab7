#include "rkt/support/appexec/child_report.hpp"

#include <cstdlib>

#include "rkt/sdk/error.hpp"
#include "rkt/support/appexec/sys.hpp"

namespace rkt::appexec {

namespace {

constexpr char kErrorMark = '\x01';

}  // namespace

void reportChildError(int fd, const std::exception& error) {
  int code = RKT_E_EXCEPTION;
  int err = 0;
  if (const auto* e = dynamic_cast<const sdk::Error*>(&error)) {
    code = e->code();
    err = e->sysErrno();
  }
  posix::writeAll(fd, std::string(1, kErrorMark) + std::to_string(code) + ":" +
                          std::to_string(err) + ":" + error.what());
}

void throwChildReport(const std::string& report) {
  std::string text = report;
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  if (text.empty() || text[0] != kErrorMark) {
    fail(RKT_E_IO, text);
  }
  const size_t c1 = text.find(':');
  const size_t c2 = c1 == std::string::npos ? c1 : text.find(':', c1 + 1);
  if (c2 == std::string::npos) {
    fail(RKT_E_INTERNAL, text.substr(1));
  }
  const int code = std::atoi(text.substr(1, c1 - 1).c_str());
  const int err = std::atoi(text.substr(c1 + 1, c2 - c1 - 1).c_str());
  fail(code > 0 ? static_cast<rkt_status>(code) : RKT_E_INTERNAL, text.substr(c2 + 1), err);
}

}  // namespace rkt::appexec
