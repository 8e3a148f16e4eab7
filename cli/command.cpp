#include "command.hpp"

#include <ostream>

#include "global_options.hpp"

namespace rkt::cli {

void Invocation::error(const std::string& message) const {
  err << logPrefix << ": " << message << '\n';
}

int Invocation::fail(const Error& e) const {
  return fail(e.message);
}

int Invocation::fail(const std::string& message) const {
  error(message);
  return kExitFailure;
}

void Invocation::debug(const std::string& message) const {
  if (global.debug)
    error(message);
}

int Invocation::usageError(const std::string& message) const {
  if (!message.empty())
    error(message);
  err << helpText;
  return kExitFailure;
}

}  // namespace rkt::cli
