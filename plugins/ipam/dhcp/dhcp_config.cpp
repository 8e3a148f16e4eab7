#include "dhcp_config.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <regex>

namespace rkt::dhcp {

namespace pc = protocol::cni;

namespace {

[[noreturn]] void invalid(const std::string& msg) {
  throw pc::Failure(pc::kInvalidConfig, msg);
}

// "10s", "1m30s", "500ms" (Go durations, as the reference daemon's flags) or a number of
// seconds; whole seconds, at least one.
int seconds(const Poco::Dynamic::Var& v, const std::string& key) {
  if (v.isNumeric()) {
    const double s = v.convert<double>();
    if (s >= 1 && s <= 86400) {
      return static_cast<int>(s);
    }
  } else if (v.isString()) {
    static const std::regex part("([0-9]+)(ms|s|m|h)");
    const std::string text = v.toString();
    double total = 0;
    auto it = std::sregex_iterator(text.begin(), text.end(), part);
    std::size_t covered = 0;
    for (; it != std::sregex_iterator(); ++it) {
      if (static_cast<std::size_t>(it->position()) != covered) {
        break;
      }
      covered += static_cast<std::size_t>(it->length());
      const double n = std::stod((*it)[1]);
      const std::string unit = (*it)[2];
      total += unit == "ms" ? n / 1000 : unit == "s" ? n : unit == "m" ? n * 60 : n * 3600;
    }
    if (covered == text.size() && !text.empty() && total >= 1 && total <= 86400) {
      return static_cast<int>(total);
    }
  }
  invalid("dhcp: invalid " + key + " `" + v.toString() +
          "`: a duration such as \"10s\" between 1s and 24h");
}

}  // namespace

std::uint8_t optionCode(const std::string& option) {
  static const std::map<std::string, std::uint8_t> names = {
      {"dhcp-client-identifier", kOptClientId},
      {"subnet-mask", kOptSubnetMask},
      {"routers", kOptRouter},
      {"host-name", kOptHostName},
      {"user-class", kOptUserClass},
      {"vendor-class-identifier", kOptVendorClass}};
  if (auto it = names.find(option); it != names.end()) {
    return it->second;
  }
  static const std::regex number("[0-9]{1,3}");
  if (!std::regex_match(option, number) || std::stoi(option) > 255) {
    invalid("Can not parse option \"" + option + "\": not a known name or a number 0-255");
  }
  return static_cast<std::uint8_t>(std::stoi(option));
}

Config parseConfig(const pc::Request& r) {
  Poco::JSON::Object::Ptr conf;
  try {
    conf = Poco::JSON::Parser().parse(r.config.text).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw pc::Failure(pc::kDecodeFailure, "error parsing netconf: " + e.message());
  }
  static const std::regex cniName("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  if (!std::regex_match(r.name, cniName)) {
    invalid("dhcp: invalid network name \"" + r.name + "\"");
  }
  if (!std::regex_match(r.containerId, cniName)) {
    throw pc::Failure(pc::kInvalidEnvironment,
                      "dhcp: invalid container id \"" + r.containerId + "\"");
  }
  if (r.ifName.empty() || r.ifName.size() > 15 || r.ifName.find('/') != std::string::npos) {
    throw pc::Failure(pc::kInvalidEnvironment, "invalid interface name \"" + r.ifName + "\"");
  }
  Config c;
  c.network = r.name;
  c.containerId = r.containerId;
  c.ifName = r.ifName;
  c.clientId = (r.containerId + "/" + r.name + "/" + r.ifName).substr(0, 254);
  const auto ipam = conf->getObject("ipam");
  if (ipam.isNull()) {
    invalid("IPAM config missing 'ipam' key");
  }
  std::map<std::string, std::string> args;
  for (const auto& [k, v] : pc::parseArgs(r.args)) {
    args[k] = v;
  }
  try {
    if (auto provide = ipam->getArray("provide"); !provide.isNull()) {
      for (std::size_t i = 0; i < provide->size(); ++i) {
        const auto p = provide->getObject(static_cast<unsigned>(i));
        if (p.isNull()) {
          invalid("dhcp: `provide` entries are objects");
        }
        const std::string option = p->optValue<std::string>("option", "");
        const std::uint8_t code = optionCode(option);
        std::string value = p->optValue<std::string>("value", "");
        if (auto it = args.find(p->optValue<std::string>("fromArg", "")); it != args.end()) {
          value = it->second;
        }
        if (value.size() > 255) {
          invalid("value too long for option \"" + option + "\": \"" + value + "\"");
        }
        if (!value.empty()) {
          c.provide[code] = Bytes(value.begin(), value.end());
        }
      }
    }
    bool skipDefault = false;
    if (auto request = ipam->getArray("request"); !request.isNull()) {
      for (std::size_t i = 0; i < request->size(); ++i) {
        const auto q = request->getObject(static_cast<unsigned>(i));
        if (q.isNull()) {
          invalid("dhcp: `request` entries are objects");
        }
        skipDefault = skipDefault || q->optValue<bool>("skipDefault", false);
        const std::uint8_t code = optionCode(q->optValue<std::string>("option", ""));
        if (std::find(c.request.begin(), c.request.end(), code) == c.request.end()) {
          c.request.push_back(code);
        }
      }
    }
    if (!skipDefault) {
      for (std::uint8_t code : {kOptRouter, kOptSubnetMask}) {
        if (std::find(c.request.begin(), c.request.end(), code) == c.request.end()) {
          c.request.push_back(code);
        }
      }
    }
    if (ipam->has("timeout")) {
      c.timeoutSeconds = seconds(ipam->get("timeout"), "timeout");
    }
    if (ipam->has("resendMax")) {
      c.resendMaxSeconds = seconds(ipam->get("resendMax"), "resendMax");
    }
  } catch (const Poco::Exception& e) {
    invalid("dhcp: invalid ipam configuration: " + e.message());
  }
  return c;
}

std::string stateFileName(const Config& c) {
  return c.network + "/" + c.containerId + "+" + c.ifName + ".json";
}

}  // namespace rkt::dhcp
