#include "hello_fetcher.hpp"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace hello {
namespace {

// "cannot x: no such file or directory", lowercase as every rkt message.
std::string errnoText(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

constexpr const char kScheme[] = "hello:";

// Parses a JSON object; Poco's exceptions become the SDK's Error so the host gets a status
// and a readable message rather than RKT_E_EXCEPTION.
Poco::JSON::Object::Ptr parseObject(const std::string& json, const std::string& what) {
  Poco::Dynamic::Var value;
  try {
    Poco::JSON::Parser parser;
    value = parser.parse(json);
  } catch (const Poco::Exception& e) {
    throw rkt::sdk::Error(RKT_E_INVALID, "invalid " + what + ": " + e.message());
  }
  if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw rkt::sdk::Error(RKT_E_INVALID, "invalid " + what + ": not a JSON object");
  }
  return value.extract<Poco::JSON::Object::Ptr>();
}

std::string stringField(const Poco::JSON::Object::Ptr& object, const std::string& key,
                        const std::string& what) {
  if (!object->has(key)) {
    return "";
  }
  Poco::Dynamic::Var value = object->get(key);
  if (!value.isString()) {
    throw rkt::sdk::Error(RKT_E_INVALID, "invalid " + what + ": `" + key + "` is not a string");
  }
  return value.extract<std::string>();
}

}  // namespace

HelloFetcher::HelloFetcher(const std::string& config) {
  outputDir_ = stringField(parseObject(config, "configuration"), "output_dir", "configuration");
  if (outputDir_.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    outputDir_ = tmp != nullptr && *tmp == '/' ? tmp : "/tmp";
  } else if (outputDir_[0] != '/') {
    // Fetchers return absolute paths (rkt/abi/fetcher.h).
    throw rkt::sdk::Error(RKT_E_INVALID, "invalid configuration: `output_dir` must be absolute");
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
                          "cannot create a file in `" + outputDir_ + "`: " + errnoText(err), err);
  }
  const std::string content = text + "\n";
  ssize_t written = ::write(fd, content.data(), content.size());
  int writeErr = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(content.size())) {
    ::unlink(path.data());
    throw rkt::sdk::Error(RKT_E_IO,
                          "cannot write `" + std::string(path.data()) + "`: " + errnoText(writeErr),
                          writeErr);
  }
  rkt::sdk::log(RKT_LOG_DEBUG, "wrote " + std::string(path.data()));

  Poco::JSON::Object result;
  result.set("path", std::string(path.data()));
  std::ostringstream out;
  result.stringify(out);
  return out.str();
}

}  // namespace hello
