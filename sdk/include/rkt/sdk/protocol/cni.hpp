// The messages of the net and ipam plugin kinds (rkt/abi/net.h, rkt/abi/ipam.h), defined once for
// the core, the in-tree plugins and the CNI bridges: the request every op takes, CNI's result
// (spec 1.0 layout, which 1.1 extends), CNI's error object and the VERSION answer. Schemas:
// sdk/schema/net-{request,result,error,version-result}.schema.json.
#ifndef RKT_SDK_PROTOCOL_CNI_HPP
#define RKT_SDK_PROTOCOL_CNI_HPP

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rkt/sdk/error.hpp"
#include "rkt/sdk/protocol/json.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::protocol::cni {

/// The CNI versions the in-process plugins speak (their results are converted for older ones
/// by the CNI bridges).
inline const std::vector<std::string>& supportedVersions() {
  static const std::vector<std::string> versions = {"0.1.0", "0.2.0", "0.3.0", "0.3.1",
                                                    "0.4.0", "1.0.0", "1.1.0"};
  return versions;
}

/// CNI's well-known error codes (spec 1.1, "Error").
enum ErrorCode : int {
  kIncompatibleVersion = 1,
  kUnsupportedField = 2,
  kUnknownContainer = 3,
  kInvalidEnvironment = 4,
  kIoFailure = 5,
  kDecodeFailure = 6,
  kInvalidConfig = 7,
  kTryAgainLater = 11,
  kNotAvailable = 50,
  kLimitedConnectivity = 51,
  kInternal = 999,  ///< what the reference plugins report for every other failure
};

/// One attachment GC must keep (CNI 1.1 `cni.dev/valid-attachments`).
struct Attachment {
  std::string containerId;
  std::string ifName;
  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("containerID", s.containerId, Presence::kRequired);
    v("ifname", s.ifName, Presence::kRequired);
  }
};

/// The request of every net and ipam op: CNI's environment and stdin in one message.
struct Request {
  static constexpr const char* kWhat = "net request";
  static constexpr const char* kSchema = "net-request";
  std::string cniVersion;
  std::string name;         ///< the network's name
  std::string containerId;  ///< CNI_CONTAINERID (rkt: the pod UUID)
  std::string ifName;       ///< CNI_IFNAME
  std::string args;         ///< CNI_ARGS, "K=V;K=V"
  std::string netns;     ///< CNI_NETNS, for results and messages; the descriptor is authoritative
  RawJsonObject config;  ///< the network's configuration object (CNI stdin)
  RawJsonObject runtimeConfig;
  RawJsonObject prevResult;
  std::vector<Attachment> validAttachments;  ///< GC only

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("cniVersion", s.cniVersion, Presence::kRequired);
    v("name", s.name, Presence::kRequired);
    v("container_id", s.containerId, Presence::kOmitEmpty);
    v("ifname", s.ifName, Presence::kOmitEmpty);
    v("args", s.args, Presence::kOmitEmpty);
    v("netns", s.netns, Presence::kOmitEmpty);
    v("config", s.config, Presence::kRequired);
    v("runtimeConfig", s.runtimeConfig, Presence::kOmitEmpty);
    v("prevResult", s.prevResult, Presence::kOmitEmpty);
    v("valid_attachments", s.validAttachments, Presence::kOmitEmpty);
  }
};

struct Interface {
  std::string name;
  std::string mac;
  std::string sandbox;  ///< the netns path for a container interface, empty on the host
  std::optional<int> mtu;
  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("name", s.name, Presence::kRequired);
    v("mac", s.mac, Presence::kOmitEmpty);
    v("mtu", s.mtu);
    v("sandbox", s.sandbox, Presence::kOmitEmpty);
  }
};

struct IpConfig {
  std::optional<int> interface;  ///< index into `interfaces`; absent in IPAM results
  std::string address;           ///< CIDR: "10.1.2.3/24"
  std::string gateway;
  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("interface", s.interface);
    v("address", s.address, Presence::kRequired);
    v("gateway", s.gateway, Presence::kOmitEmpty);
  }
};

struct Route {
  std::string dst;  ///< CIDR
  std::string gw;   ///< empty: the result's gateway of the family
  std::optional<int> mtu;
  std::optional<int> priority;
  std::optional<int> table;
  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("dst", s.dst, Presence::kRequired);
    v("gw", s.gw, Presence::kOmitEmpty);
    v("mtu", s.mtu);
    v("priority", s.priority);
    v("table", s.table);
  }
};

struct Dns {
  static constexpr const char* kWhat = "CNI dns";  // decoded alone from a network's `dns`
  std::vector<std::string> nameservers;
  std::string domain;
  std::vector<std::string> search;
  std::vector<std::string> options;
  bool empty() const {
    return nameservers.empty() && domain.empty() && search.empty() && options.empty();
  }
  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("nameservers", s.nameservers, Presence::kOmitEmpty);
    v("domain", s.domain, Presence::kOmitEmpty);
    v("search", s.search, Presence::kOmitEmpty);
    v("options", s.options, Presence::kOmitEmpty);
  }
};

/// CNI's result (ADD of a net plugin; an IPAM result has no interfaces and no ips[].interface).
/// `dns` is always written, as `{}` when empty, like the reference plugins.
struct Result {
  static constexpr const char* kWhat = "CNI result";
  static constexpr const char* kSchema = "net-result";
  std::string cniVersion;
  std::vector<Interface> interfaces;
  std::vector<IpConfig> ips;
  std::vector<Route> routes;
  Dns dns;
  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("cniVersion", s.cniVersion, Presence::kRequired);
    v("interfaces", s.interfaces, Presence::kOmitEmpty);
    v("ips", s.ips, Presence::kOmitEmpty);
    v("routes", s.routes, Presence::kOmitEmpty);
    v("dns", s.dns);
  }
};

/// CNI's error object.
struct ErrorObject {
  static constexpr const char* kWhat = "CNI error";
  static constexpr const char* kSchema = "net-error";
  int code = kInternal;
  std::string msg;
  std::string details;
  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("code", s.code, Presence::kRequired);
    v("msg", s.msg, Presence::kRequired);
    v("details", s.details, Presence::kOmitEmpty);
  }
};

/// The answer to VERSION.
struct VersionResult {
  static constexpr const char* kWhat = "CNI version result";
  static constexpr const char* kSchema = "net-version-result";
  std::string cniVersion;
  std::vector<std::string> supportedVersions;
  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("cniVersion", s.cniVersion, Presence::kRequired);
    v("supportedVersions", s.supportedVersions, Presence::kRequired);
  }
};

/// A failure with CNI's code and details: the SDK appends it as the error object and records
/// "msg: details" as the call's error message.
class Failure : public sdk::Error {
 public:
  Failure(int cniCode, const std::string& msg, const std::string& details = "",
          rkt_status status = RKT_E_INVALID, int sysErrno = 0)
      : sdk::Error(status, details.empty() ? msg : msg + ": " + details, sysErrno),
        object_{cniCode, msg, details} {}
  const ErrorObject& object() const { return object_; }

 private:
  ErrorObject object_;
};

/// CNI_ARGS "K=V;K=V" as (key, value) pairs in order. An entry without `=` is a Failure
/// (code 4, as the reference plugins' skel).
inline std::vector<std::pair<std::string, std::string>> parseArgs(const std::string& args) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string::size_type start = 0;
  while (start <= args.size()) {
    const auto end = std::min(args.find(';', start), args.size());
    const std::string item = args.substr(start, end - start);
    if (!item.empty()) {
      const auto eq = item.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw Failure(kInvalidEnvironment, "ARGS: invalid pair \"" + item + "\"");
      }
      out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace rkt::protocol::cni

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_PROTOCOL_CNI_HPP
