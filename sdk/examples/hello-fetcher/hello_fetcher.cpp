#include "hello_fetcher.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
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

const std::string kScheme = "hello:";

bool equalsIgnoringCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// An ACI image manifest: image `example.com/hello`, the text as its version label.
std::string manifestJson(const std::string& text) {
  Poco::JSON::Object::Ptr version = new Poco::JSON::Object;
  version->set("name", "version");
  version->set("value", text);
  Poco::JSON::Array::Ptr labels = new Poco::JSON::Array;
  labels->add(version);
  Poco::JSON::Object manifest;
  manifest.set("acKind", "ImageManifest");
  manifest.set("acVersion", "0.8.11");
  manifest.set("name", "example.com/hello");
  manifest.set("labels", labels);
  std::ostringstream out;
  manifest.stringify(out);
  return out.str();
}

// One tar member: a file holding `data`, or a directory.
bool addEntry(archive* tar, const char* name, unsigned type, unsigned mode,
              const std::string& data) {
  std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(),
                                                                 archive_entry_free);
  if (!entry) {
    return false;
  }
  archive_entry_set_pathname(entry.get(), name);
  archive_entry_set_filetype(entry.get(), type);
  archive_entry_set_perm(entry.get(), mode);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
  if (archive_write_header(tar, entry.get()) != ARCHIVE_OK) {
    return false;
  }
  return data.empty() ||
         archive_write_data(tar, data.data(), data.size()) == static_cast<la_ssize_t>(data.size());
}

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
  if (!outputDir_.empty() && outputDir_[0] != '/') {
    // Fetchers return absolute paths (rkt/abi/fetcher.h).
    throw rkt::sdk::Error(RKT_E_INVALID, "invalid configuration: `output_dir` must be absolute");
  }
}

std::string HelloFetcher::fetch(const std::string& request) {
  Poco::JSON::Object::Ptr req = parseObject(request, "request");
  const std::string image = stringField(req, "image", "request");
  // rkt routes `hello:<text>` and `hello://<text>` here, as typed (the scheme in any case).
  std::string text;
  if (image.size() > kScheme.size() &&
      equalsIgnoringCase(image.substr(0, kScheme.size()), kScheme)) {
    text = image.substr(kScheme.size());
  }
  if (text.compare(0, 2, "//") == 0) {
    text.erase(0, 2);
  }
  if (text.empty()) {
    throw rkt::sdk::Error(RKT_E_NOT_FOUND,
                          "cannot fetch `" + image + "`: not a hello:<text> image");
  }
  // rkt removes what a fetcher leaves in the request's tmp_dir once it imported it.
  std::string dir = outputDir_.empty() ? stringField(req, "tmp_dir", "request") : outputDir_;
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir = tmp != nullptr && *tmp == '/' ? tmp : "/tmp";
  }
  const std::string path = writeImage(dir, text);
  rkt::sdk::log(RKT_LOG_DEBUG, "wrote " + path);

  Poco::JSON::Object result;
  result.set("path", path);
  std::ostringstream out;
  result.stringify(out);
  return out.str();
}

std::string HelloFetcher::writeImage(const std::string& dir, const std::string& text) {
  std::string templ = dir + "/hello-XXXXXX";
  std::vector<char> path(templ.begin(), templ.end());
  path.push_back('\0');
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    const int err = errno;
    throw rkt::sdk::Error(RKT_E_IO, "cannot create a file in `" + dir + "`: " + errnoText(err),
                          err);
  }
  // An uncompressed tar: `manifest`, and `rootfs/` holding the text in `hello`.
  std::unique_ptr<archive, int (*)(archive*)> tar(archive_write_new(), archive_write_free);
  bool written = tar && archive_write_set_format_pax_restricted(tar.get()) == ARCHIVE_OK &&
                 archive_write_open_fd(tar.get(), fd) == ARCHIVE_OK &&
                 addEntry(tar.get(), "manifest", AE_IFREG, 0644, manifestJson(text)) &&
                 addEntry(tar.get(), "rootfs", AE_IFDIR, 0755, "") &&
                 addEntry(tar.get(), "rootfs/hello", AE_IFREG, 0644, text + "\n") &&
                 archive_write_close(tar.get()) == ARCHIVE_OK;
  std::string why = "out of memory";
  if (tar && archive_error_string(tar.get()) != nullptr) {
    why = archive_error_string(tar.get());
  }
  tar.reset();
  if (::close(fd) != 0 && written) {
    written = false;
    why = errnoText(errno);
  }
  if (!written) {
    // The caller never sees a half-written image.
    ::unlink(path.data());
    throw rkt::sdk::Error(RKT_E_IO, "cannot write `" + std::string(path.data()) + "`: " + why);
  }
  return path.data();
}

}  // namespace hello
