#include "hello_fetcher.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace hello {
namespace {

constexpr const char kScheme[] = "hello:";

// Parses a JSON object; Poco's exceptions become the SDK's Error so the host gets a status
// and a readable message rather than RKT_E_EXCEPTION.
Poco::JSON::Object::Ptr parseObject(const std::string& json, const std::string& what) {
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    if (object.isNull()) {
      throw rkt::sdk::Error(RKT_E_INVALID, "invalid " + what + ": not a JSON object");
    }
    return object;
  } catch (const Poco::Exception& e) {
    throw rkt::sdk::Error(RKT_E_INVALID, "invalid " + what + ": " + e.displayText());
  }
}

std::string stringField(const Poco::JSON::Object::Ptr& object, const std::string& key,
                        const std::string& what) {
  if (!object->has(key)) {
    return "";
  }
  try {
    return object->getValue<std::string>(key);
  } catch (const Poco::Exception&) {
    throw rkt::sdk::Error(RKT_E_INVALID, "invalid " + what + ": `" + key + "` is not a string");
  }
}

}  // namespace

HelloFetcher::HelloFetcher(const std::string& config) {
  outputDir_ = stringField(parseObject(config, "configuration"), "output_dir", "configuration");
  if (outputDir_.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    outputDir_ = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
}

std::string HelloFetcher::fetch(const std::string& request) {
  const std::string image = stringField(parseObject(request, "request"), "image", "request");
  if (image.compare(0, sizeof kScheme - 1, kScheme) != 0) {
    throw rkt::sdk::Error(RKT_E_NOT_FOUND, "cannot fetch `" + image + "`: not a hello: image");
  }
  const std::string text = image.substr(sizeof kScheme - 1);

  std::string templ = outputDir_ + "/hello-XXXXXX";
  std::vector<char> path(templ.begin(), templ.end());
  path.push_back('\0');
  int fd = ::mkstemp(path.data());
  if (fd < 0) {
    int err = errno;
    throw rkt::sdk::Error(RKT_E_IO,
                          "cannot create a file in `" + outputDir_ + "`: " + std::strerror(err),
                          err);
  }
  const std::string content = text + "\n";
  ssize_t written = ::write(fd, content.data(), content.size());
  int writeErr = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(content.size())) {
    ::unlink(path.data());
    throw rkt::sdk::Error(RKT_E_IO, "cannot write `" + std::string(path.data()) + "`", writeErr);
  }
  rkt::sdk::log(RKT_LOG_DEBUG, "wrote " + std::string(path.data()));

  Poco::JSON::Object result;
  result.set("path", std::string(path.data()));
  std::ostringstream out;
  result.stringify(out);
  return out.str();
}

}  // namespace hello
