#include "cni_invocation.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <vector>

namespace rkt::cnitool {

namespace pc = protocol::cni;

namespace {

pc::ErrorObject error(int code, const std::string& msg, const std::string& details = "") {
  return {code, msg, details};
}

bool validName(const std::string& s) {
  static const std::regex re("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
  return std::regex_match(s, re);
}

std::optional<pc::ErrorObject> validateContainerId(const std::string& id) {
  if (!validName(id)) {
    return error(pc::kInvalidEnvironment, "invalid characters in containerID", id);
  }
  return std::nullopt;
}

std::optional<pc::ErrorObject> validateIfName(const std::string& name) {
  if (name.size() > 15) {
    return error(pc::kInvalidEnvironment, "interface name is too long",
                 "interface name should be less than 16 characters");
  }
  if (name == "." || name == "..") {
    return error(pc::kInvalidEnvironment, "interface name is . or ..");
  }
  for (const char c : name) {
    if (c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c)) != 0) {
      return error(pc::kInvalidEnvironment,
                   "interface name contains / or : or whitespace characters");
    }
  }
  return std::nullopt;
}

// (major, minor, patch) of "a.b.c"; nullopt when it is not one.
std::optional<std::vector<int>> versionNumbers(const std::string& v) {
  static const std::regex re("^([0-9]+)\\.([0-9]+)\\.([0-9]+)$");
  std::smatch m;
  if (!std::regex_match(v, m, re)) {
    return std::nullopt;
  }
  return std::vector<int>{std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])};
}

}  // namespace

Parsed parseInvocation(const std::function<std::optional<std::string>(const char*)>& getenv,
                       const std::function<std::string()>& readStdin) {
  struct Var {
    const char* name;
    std::string Invocation::*member;
    std::vector<std::string> requiredFor;
    std::optional<pc::ErrorObject> (*validate)(const std::string&);
  };
  const std::vector<Var> vars = {
      {"CNI_COMMAND", &Invocation::command, {"ADD", "CHECK", "DEL", "GC", "STATUS"}, nullptr},
      {"CNI_CONTAINERID", &Invocation::containerId, {"ADD", "CHECK", "DEL"}, &validateContainerId},
      {"CNI_NETNS", &Invocation::netns, {"ADD", "CHECK"}, nullptr},
      {"CNI_IFNAME", &Invocation::ifName, {"ADD", "CHECK", "DEL"}, &validateIfName},
      {"CNI_ARGS", &Invocation::args, {}, nullptr},
      {"CNI_PATH", &Invocation::path, {"ADD", "CHECK", "DEL", "GC", "STATUS"}, nullptr},
  };
  Invocation inv;
  inv.command = getenv("CNI_COMMAND").value_or("");
  std::string missing;
  for (const Var& v : vars) {
    std::string& value = inv.*(v.member);
    value = getenv(v.name).value_or("");
    const bool required =
        std::string(v.name) == "CNI_COMMAND" ||
        std::find(v.requiredFor.begin(), v.requiredFor.end(), inv.command) != v.requiredFor.end();
    if (value.empty()) {
      if (required) {
        missing += (missing.empty() ? "" : ",") + std::string(v.name);
      }
    } else if (required && v.validate != nullptr) {
      if (auto e = v.validate(value)) {
        return *e;
      }
    }
  }
  if (!missing.empty()) {
    if (inv.command.empty()) {
      return About{};
    }
    return error(pc::kInvalidEnvironment, "required env variables [" + missing + "] missing");
  }
  if (inv.command == "VERSION") {
    return inv;
  }
  inv.stdinData = readStdin();
  Poco::JSON::Object::Ptr conf;
  try {
    conf = Poco::JSON::Parser().parse(inv.stdinData).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    return error(pc::kDecodeFailure, std::string("error unmarshall network config: ") + e.what());
  }
  const std::string name = conf->optValue<std::string>("name", "");
  if (name.empty()) {
    return error(pc::kInvalidConfig, "missing network name");
  }
  if (!validName(name)) {
    return error(pc::kInvalidConfig, "invalid characters found in network name", name);
  }
  inv.cniVersion = conf->optValue<std::string>("cniVersion", "");
  if (inv.cniVersion.empty()) {
    inv.cniVersion = "0.1.0";
  }
  const auto& supported = pc::supportedVersions();
  const auto have = versionNumbers(inv.cniVersion);
  std::string minimum;
  if (inv.command == "CHECK") {
    minimum = "0.4.0";
  } else if (inv.command == "GC" || inv.command == "STATUS") {
    minimum = "1.1.0";
  } else if (inv.command != "ADD" && inv.command != "DEL") {
    return error(pc::kInvalidEnvironment, "unknown CNI_COMMAND: " + inv.command);
  }
  if (!minimum.empty()) {
    if (!have) {
      return error(pc::kDecodeFailure, "unable to parse version string \"" + inv.cniVersion + "\"");
    }
    if (*have < *versionNumbers(minimum)) {
      return error(pc::kIncompatibleVersion,
                   "config version does not allow " + std::string(inv.command));
    }
  }
  if (std::find(supported.begin(), supported.end(), inv.cniVersion) == supported.end()) {
    std::string list;
    for (const std::string& v : supported) {
      list += (list.empty() ? "" : " ") + ("\"" + v + "\"");
    }
    return error(pc::kIncompatibleVersion, "incompatible CNI versions",
                 "config is \"" + inv.cniVersion + "\", plugin supports [" + list + "]");
  }
  return inv;
}

}  // namespace rkt::cnitool
