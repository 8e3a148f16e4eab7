#include "rkt/support/appexec/ignored_isolators.hpp"

namespace rkt::appexec {

std::vector<std::string> ignoredIsolatorWarnings(const std::string& flavor, const std::string& app,
                                                 const schema::Isolators& isolators) {
  std::vector<std::string> out;
  for (const schema::Isolator& i : isolators) {
    out.push_back((app.empty() ? std::string("pod") : "app `" + app + "`") + ": isolator `" +
                  i.name + "` is not applied by stage1 `" + flavor + "`");
  }
  return out;
}

}  // namespace rkt::appexec
