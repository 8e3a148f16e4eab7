// `stage1` (stage1.d): default stage1 image name+version and location.
#include <cctype>

#include "config/fields.hpp"
#include "config/kinds.hpp"

namespace rkt::config::detail {

namespace {

// The RFC 3986 scheme of `location` ("" when it has none), lowercased.
std::string schemeOf(const std::string& location) {
  if (location.empty() || !std::isalpha(static_cast<unsigned char>(location[0]))) {
    return "";
  }
  std::string scheme;
  for (char c : location) {
    if (c == ':') {
      return scheme;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return "";
    }
    scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return "";
}

Status validateLocation(const std::string& location) {
  if (location[0] == '/') {
    return {};
  }
  const std::string scheme = schemeOf(location);
  if (scheme == "file" || scheme == "docker" || scheme == "http" || scheme == "https") {
    return {};
  }
  const std::string expected = "(expected an absolute path or a file, docker, http or https URL)";
  if (scheme.empty()) {
    return Error{"stage1 image location " + goQuote(location) + " is not an absolute path " +
                 expected};
  }
  return Error{"stage1 image location " + goQuote(location) + " has unsupported scheme " +
               goQuote(scheme) + " " + expected};
}

}  // namespace

Status parseStage1V1(const Poco::JSON::Object& object, const std::string& file, DirState& state) {
  auto name = stringField(object, "name");
  if (!name) {
    return name.error();
  }
  auto version = stringField(object, "version");
  if (!version) {
    return version.error();
  }
  auto location = stringField(object, "location");
  if (!location) {
    return location.error();
  }
  if (!name->empty() && version->empty()) {
    return Error{"stage1 image name " + goQuote(*name) + " is specified without a version"};
  }
  if (name->empty() && !version->empty()) {
    return Error{"stage1 image version " + goQuote(*version) + " is specified without a name"};
  }
  Stage1& stage1 = state.config.stage1;
  if (!name->empty()) {
    if (!state.nameVersionFile.empty()) {
      return Error{"stage1 image name and version are already specified in " +
                   goQuote(state.nameVersionFile)};
    }
    stage1.name = *name;
    stage1.version = *version;
    state.nameVersionFile = file;
  }
  if (!location->empty()) {
    if (auto s = validateLocation(*location); !s) {
      return s;
    }
    if (!state.locationFile.empty()) {
      return Error{"stage1 image location is already specified in " + goQuote(state.locationFile)};
    }
    stage1.location = *location;
    state.locationFile = file;
  }
  return {};
}

}  // namespace rkt::config::detail
