#include "command.hpp"

#include <ostream>

#include "global_options.hpp"
#include "rkt/base/shorten.hpp"

namespace rkt::cli {

// Every error line of every command passes here: one readable line, however long the names in
// it or whatever bytes they hold (rkt/base/shorten.hpp).
void Invocation::error(const std::string& message) const {
  err << logPrefix << ": " << oneLine(message) << '\n';
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
