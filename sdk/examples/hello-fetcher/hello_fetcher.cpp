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

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <rkt/sdk/protocol/fetcher.hpp>

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

// The factory configuration, a message of this plugin's own read with the SDK's codec:
// {"output_dir": "<absolute directory>"}, all optional.
struct Config {
  static constexpr const char* kWhat = "configuration";
  std::string outputDir;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("output_dir", s.outputDir);
  }

  static void validate(const Config& c) {
    // Fetchers return absolute paths (rkt/abi/fetcher.h).
    if (!c.outputDir.empty() && c.outputDir[0] != '/') {
      rkt::protocol::invalidField<Config>("output_dir", "must be an absolute path");
    }
  }
};

}  // namespace

HelloFetcher::HelloFetcher(const std::string& config)
    : outputDir_(rkt::protocol::decode<Config>(config).outputDir) {}

std::string HelloFetcher::fetch(const std::string& request) {
  // Malformed requests fail with RKT_E_INVALID naming the field; unknown fields are ignored.
  const auto req = rkt::protocol::decode<rkt::protocol::fetcher::FetchRequest>(request);
  const std::string& image = req.image;
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
  std::string dir = outputDir_.empty() ? req.tmpDir : outputDir_;
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir = tmp != nullptr && *tmp == '/' ? tmp : "/tmp";
  }
  const std::string path = writeImage(dir, text);
  rkt::sdk::log(RKT_LOG_DEBUG, "wrote " + path);

  rkt::protocol::fetcher::FetchResult result;
  result.path = path;
  return rkt::protocol::encode(result);
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
