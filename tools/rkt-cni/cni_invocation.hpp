// One CNI plugin invocation as a Go plugin's skel reads it (containernetworking/cni pkg/skel,
// spec 1.1): CNI_COMMAND and the variables each command requires, the container id and
// interface name rules, the configuration on stdin with its name and cniVersion, and the
// version rules of CHECK, GC and STATUS. What fails is CNI's error object, as skel reports it.
#ifndef RKT_TOOLS_RKT_CNI_CNI_INVOCATION_HPP
#define RKT_TOOLS_RKT_CNI_CNI_INVOCATION_HPP

#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "rkt/sdk/protocol/cni.hpp"

namespace rkt::cnitool {

struct Invocation {
  std::string command;  ///< ADD, DEL, CHECK, GC, STATUS, VERSION
  std::string containerId;
  std::string netns;
  std::string ifName;
  std::string args;
  std::string path;
  std::string stdinData;
  std::string cniVersion;  ///< the configuration's ("0.1.0" when it has none, as skel)
};

/// No CNI_COMMAND at all: skel prints its "about" text and succeeds.
struct About {};

using Parsed = std::variant<Invocation, About, protocol::cni::ErrorObject>;

/// Reads the invocation from `getenv` and `readStdin` (not read for VERSION) with skel's rules.
Parsed parseInvocation(const std::function<std::optional<std::string>(const char*)>& getenv,
                       const std::function<std::string()>& readStdin);

}  // namespace rkt::cnitool

#endif  // RKT_TOOLS_RKT_CNI_CNI_INVOCATION_HPP
