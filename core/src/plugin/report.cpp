#include "rkt/core/plugin/report.hpp"

#include <filesystem>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "rkt/core/plugin/kinds.hpp"
#include "util/json_indent.hpp"

namespace rkt::plugin {

std::string_view refusalName(Refusal refusal) {
  switch (refusal) {
    case Refusal::None:
      return "loaded";
    case Refusal::BadDirectory:
      return "bad-directory";
    case Refusal::BadFile:
      return "bad-file";
    case Refusal::BadFileName:
      return "bad-file-name";
    case Refusal::Shadowed:
      return "shadowed";
    case Refusal::NotLoadable:
      return "not-loadable";
    case Refusal::NoEntrySymbol:
      return "no-entry-symbol";
    case Refusal::NoDescriptor:
      return "no-descriptor";
    case Refusal::AbiMajorMismatch:
      return "abi-major-mismatch";
    case Refusal::AbiMinorNewer:
      return "abi-minor-newer";
    case Refusal::DescriptorTooLarge:
      return "descriptor-too-large";
    case Refusal::DescriptorTooSmall:
      return "descriptor-too-small";
    case Refusal::EmptyField:
      return "empty-field";
    case Refusal::NoInit:
      return "no-init";
    case Refusal::NameMismatch:
      return "name-mismatch";
    case Refusal::InitFailed:
      return "init-failed";
    case Refusal::InitException:
      return "init-exception";
    case Refusal::DuplicateFactory:
      return "duplicate-factory";
    case Refusal::NoFactory:
      return "no-factory";
  }
  return "unknown";
}

}  // namespace rkt::plugin

namespace rkt::plugin {
namespace {

Poco::Dynamic::Var stringOrNull(const std::string& s) {
  return s.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s);
}

}  // namespace

std::string displayName(const PluginReport& report) {
  if (!report.name.empty()) {
    return report.name;
  }
  if (!report.fileName.empty()) {
    return report.fileName;
  }
  return std::filesystem::path(report.path).filename().string();
}

std::vector<std::string> displayKinds(const PluginReport& report) {
  std::vector<std::string> kinds;
  if (report.loaded()) {
    for (rkt_kind k :
         {RKT_KIND_FETCHER, RKT_KIND_STORE, RKT_KIND_STAGE1, RKT_KIND_NET, RKT_KIND_IPAM}) {
      for (const auto& f : report.factories) {
        if (f.kind == k) {
          kinds.emplace_back(kindName(k));
          break;
        }
      }
    }
  } else if (!report.fileKind.empty()) {
    kinds.push_back(report.fileKind);
  }
  return kinds;
}

std::string reportsToJson(const std::vector<PluginReport>& reports, bool pretty) {
  Poco::JSON::Array array;
  for (const auto& r : reports) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("path", r.path);
    o->set("name", displayName(r));
    Poco::JSON::Array kinds;
    for (const auto& k : displayKinds(r)) {
      kinds.add(k);
    }
    o->set("kinds", kinds);
    o->set("version", stringOrNull(r.version));
    o->set("abi", r.haveAbi ? Poco::Dynamic::Var(std::to_string(r.abiMajor) + "." +
                                                 std::to_string(r.abiMinor))
                            : Poco::Dynamic::Var());
    o->set("description", stringOrNull(r.description));
    o->set("license", stringOrNull(r.license));
    o->set("sdk_build", stringOrNull(r.sdkBuild));
    Poco::JSON::Array factories;
    for (const auto& f : r.factories) {
      Poco::JSON::Object::Ptr fo = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      fo->set("kind", std::string(kindName(f.kind)));
      fo->set("name", f.name);
      factories.add(fo);
    }
    o->set("factories", factories);
    o->set("status", r.loaded() ? "loaded" : "refused");
    if (!r.loaded()) {
      o->set("reason", std::string(refusalName(r.refusal)));
      o->set("message", r.message);
    }
    array.add(o);
  }
  std::ostringstream out;
  array.stringify(out);
  return pretty ? util::indentJson(out.str()) : out.str();
}

}  // namespace rkt::plugin
