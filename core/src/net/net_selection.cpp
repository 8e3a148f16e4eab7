// `--net` (rkt-notes §5.1, rkt's common.NetList).
#include <set>

#include "rkt/core/net/pod_network.hpp"

namespace rkt::net {

Result<NetSelection> parseNetSelection(const std::vector<std::string>& values) {
  NetSelection sel;
  std::set<std::string> seen;
  bool any = false;
  for (const std::string& value : values) {
    std::string::size_type start = 0;
    while (start <= value.size()) {
      const auto end = std::min(value.find(',', start), value.size());
      const std::string item = value.substr(start, end - start);
      start = end + 1;
      if (item.empty() && value.empty()) {
        break;  // `--net` without a value
      }
      const auto colon = item.find(':');
      const std::string name = item.substr(0, colon);
      const std::string args = colon == std::string::npos ? "" : item.substr(colon + 1);
      if (name.empty()) {
        return Error{"invalid --net value \"" + value + "\": network name cannot be empty"};
      }
      if (args.find(':') != std::string::npos) {
        return Error{"invalid --net entry \"" + item + "\": too many colons"};
      }
      if (!seen.insert(name).second) {
        return Error{"found duplicate network name \"" + name + "\""};
      }
      if ((name == "all" || name == "host") && colon != std::string::npos) {
        return Error{"network \"" + name + "\" does not take arguments"};
      }
      any = true;
      if (name == "host") {
        sel.mode = NetSelection::Mode::kHost;
      } else if (name == "none") {
        sel.mode = NetSelection::Mode::kNone;
      } else if (name == "all") {
        sel.all = true;
      } else {
        sel.entries.push_back({name, args});
      }
    }
  }
  if (!any) {
    sel.entries.push_back({"default", ""});
  }
  if (sel.mode != NetSelection::Mode::kContained && seen.size() > 1) {
    return Error{std::string("--net=") + (sel.mode == NetSelection::Mode::kHost ? "host" : "none") +
                 " cannot be combined with other networks"};
  }
  return sel;
}

}  // namespace rkt::net
