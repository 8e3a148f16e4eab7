// Which data directory rkt uses (rkt's calculateDataDir).
#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <memory>

#include "config/fields.hpp"
#include "rkt/core/config.hpp"

namespace rkt::config {

Result<std::string> resolveDataDir(const Config& config,
                                   const std::optional<std::string>& dirFlag) {
  std::string dir = kDefaultDataDir;
  if (dirFlag) {
    if (dirFlag->empty()) {
      return Error{"data directory (--dir) must not be empty"};
    }
    dir = *dirFlag;
  } else if (!config.paths.data.empty()) {
    dir = config.paths.data;
  }
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(dir, ec);
  if (ec) {
    return Error{"cannot make data directory " + goQuote(dir) + " absolute: " + ec.message(),
                 ec.value()};
  }
  absolute = absolute.lexically_normal();
  std::string cleaned = absolute.string();
  if (cleaned.size() > 1 && cleaned.back() == '/') {
    cleaned.pop_back();
  }
  std::unique_ptr<char, void (*)(void*)> real(::realpath(cleaned.c_str(), nullptr), ::free);
  if (real) {
    return std::string(real.get());
  }
  if (errno == ENOENT) {  // not created yet: use it as named
    return cleaned;
  }
  return sysError("cannot resolve data directory " + goQuote(cleaned));
}

}  // namespace rkt::config
