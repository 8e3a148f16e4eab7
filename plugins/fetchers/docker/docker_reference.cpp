#include "docker_reference.hpp"

#include <regex>

#include "rkt/sdk/plugin.hpp"

namespace rkt::dockerfetcher {
namespace {

// The distribution reference grammar (github.com/distribution/reference), lowercase paths.
const std::regex kComponent("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
const std::regex kTag("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
const std::regex kDigest("sha256:[a-f0-9]{64}");
const std::regex kHost("[A-Za-z0-9.-]+(:[0-9]+)?|\\[[0-9A-Fa-f:.]+\\](:[0-9]+)?");

bool isDockerHub(const std::string& r) {
  return r == kDefaultRegistry || r == "docker.io" || r == "index.docker.io";
}

[[noreturn]] void invalid(const std::string& image, const std::string& why) {
  throw sdk::Error(RKT_E_INVALID, "invalid docker image reference `" + image + "`: " + why);
}

}  // namespace

std::string DockerReference::toString() const {
  return registry + "/" + repository + (digest.empty() ? ":" + tag : "@" + digest);
}

bool sameRegistry(const std::string& a, const std::string& b) {
  return a == b || (isDockerHub(a) && isDockerHub(b));
}

DockerReference parseDockerReference(const std::string& image) {
  std::string rest = image;
  for (const char* prefix : {"docker://", "docker:"}) {
    if (rest.rfind(prefix, 0) == 0) {
      rest = rest.substr(std::char_traits<char>::length(prefix));
      break;
    }
  }
  if (rest.empty()) {
    invalid(image, "empty reference");
  }
  DockerReference ref;
  if (std::size_t at = rest.find('@'); at != std::string::npos) {
    ref.digest = rest.substr(at + 1);
    rest.resize(at);
    if (!std::regex_match(ref.digest, kDigest)) {
      invalid(image, "digest `" + ref.digest + "` is not sha256:<64 lowercase hex digits>");
    }
  }
  // A tag follows the last ':' after the last '/' (a ':' before it is the registry's port).
  const std::size_t slash = rest.rfind('/');
  if (std::size_t colon = rest.rfind(':');
      colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    ref.tag = rest.substr(colon + 1);
    rest.resize(colon);
    if (!std::regex_match(ref.tag, kTag)) {
      invalid(image, "invalid tag `" + ref.tag + "`");
    }
  }
  // The first component names a registry when it looks like a host: it has a '.' or a port,
  // or is `localhost` (docker's rule).
  std::string repo = rest;
  ref.registry = kDefaultRegistry;
  if (std::size_t first = rest.find('/'); first != std::string::npos) {
    const std::string head = rest.substr(0, first);
    if (head.find_first_of(".:") != std::string::npos || head == "localhost") {
      if (!std::regex_match(head, kHost)) {
        invalid(image, "invalid registry `" + head + "`");
      }
      ref.registry = isDockerHub(head) ? kDefaultRegistry : head;
      repo = rest.substr(first + 1);
    }
  }
  if (repo.empty()) {
    invalid(image, "no repository");
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t end = repo.find('/', start);
    const std::string component = repo.substr(start, end - start);
    if (!std::regex_match(component, kComponent)) {
      invalid(image, "invalid repository name component `" + component +
                         "` (lowercase letters, digits and separators)");
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  if (ref.registry == kDefaultRegistry && repo.find('/') == std::string::npos) {
    repo = "library/" + repo;
  }
  ref.repository = repo;
  if (ref.tag.empty() && ref.digest.empty()) {
    ref.tag = "latest";
  }
  return ref;
}

}  // namespace rkt::dockerfetcher
