#include "rkt/support/oci/layout.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <sstream>

#include "json_util.hpp"
#include "rkt/support/archive/digest.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::oci {
namespace {

using detail::obj;
using detail::parseObject;
using detail::str;

std::string hex(const std::array<std::uint8_t, 32>& d) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : d) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

bool validDigest(const std::string& d) {
  if (d.size() != 7 + 64 || d.compare(0, 7, "sha256:") != 0) {
    return false;
  }
  for (size_t i = 7; i < d.size(); ++i) {
    char c = d[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

Result<Descriptor> parseDescriptor(const Poco::JSON::Object::Ptr& o, const std::string& what) {
  Descriptor d;
  d.mediaType = str(o, "mediaType");
  d.digest = str(o, "digest");
  if (!validDigest(d.digest)) {
    return Error{what + ": unsupported or malformed digest `" + d.digest +
                 "` (expected sha256:<64 hex digits>)"};
  }
  if (!o->has("size") || !o->get("size").isInteger() || o->getValue<std::int64_t>("size") < 0) {
    return Error{what + ": descriptor of `" + d.digest + "` has no valid size"};
  }
  d.size = o->getValue<std::int64_t>("size");
  if (auto a = obj(o, "annotations")) {
    for (const auto& [k, v] : *a) {
      if (v.isString()) {
        d.annotations[k] = v.extract<std::string>();
      }
    }
  }
  if (auto p = obj(o, "platform")) {
    d.os = str(p, "os");
    d.arch = str(p, "architecture");
    d.variant = str(p, "variant");
  }
  return d;
}

Result<std::string> readSmallFile(const std::string& path, const std::string& what) {
  const posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd.valid()) {
    return sysError(what);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return sysError(what);
  }
  if (!S_ISREG(st.st_mode)) {
    return Error{what + ": not a regular file"};
  }
  if (st.st_size > kMaxJsonBlob) {
    return Error{what + ": larger than " + std::to_string(kMaxJsonBlob) + " bytes"};
  }
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = posix::readSome(fd.get(), text.data() + got, text.size() - got);
    if (n < 0) {
      return sysError(what);
    }
    if (n == 0) {
      break;
    }
    got += static_cast<size_t>(n);
  }
  text.resize(got);
  return text;
}

Status writeText(const std::string& path, const std::string& text) {
  const posix::UniqueFd fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!fd.valid() || !posix::writeAll(fd.get(), text)) {
    return sysError("cannot write `" + path + "`");
  }
  return {};
}

bool isIndex(const std::string& mediaType) {
  return mediaType == kOciIndex || mediaType == kDockerList;
}

bool isManifest(const std::string& mediaType) {
  return mediaType == kOciManifest || mediaType == kDockerManifest || mediaType.empty();
}

// Whether an index entry is for `platform` (entries without one match any).
bool matchesPlatform(const Descriptor& d, const schema::OsArch& platform) {
  if (d.os.empty() && d.arch.empty()) {
    return true;
  }
  Result<schema::OsArch> mapped = schema::appcOsArchFromGo(d.os, d.arch, d.variant);
  return mapped && *mapped == platform;
}

std::string platformOf(const Descriptor& d) {
  std::string p = d.os + "/" + d.arch;
  return d.variant.empty() ? p : p + "/" + d.variant;
}

}  // namespace

Result<std::vector<Descriptor>> parseIndex(const std::string& json, const std::string& what) {
  auto root = parseObject(json, what);
  if (!root) {
    return root.error();
  }
  if (!(*root)->has("manifests") ||
      (*root)->get("manifests").type() != typeid(Poco::JSON::Array::Ptr)) {
    return Error{what + " has no `manifests` list"};
  }
  std::vector<Descriptor> out;
  Poco::JSON::Array::Ptr list = (*root)->getArray("manifests");
  for (size_t i = 0; i < list->size(); ++i) {
    Poco::JSON::Object::Ptr entry = list->getObject(static_cast<unsigned>(i));
    if (!entry) {
      return Error{what + ": entry " + std::to_string(i) + " is not an object"};
    }
    auto d = parseDescriptor(entry, what);
    if (!d) {
      return d.error();
    }
    out.push_back(std::move(*d));
  }
  return out;
}

Status initLayout(const std::string& dir) {
  for (const std::string& d : {dir, dir + "/blobs", dir + "/blobs/sha256"}) {
    if (::mkdir(d.c_str(), 0755) != 0 && errno != EEXIST) {
      return sysError("cannot create OCI layout `" + dir + "`");
    }
  }
  if (Status s = writeText(dir + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})"); !s) {
    return s.error().wrap("cannot create OCI layout `" + dir + "`");
  }
  return {};
}

Status writeIndex(const std::string& dir, const std::vector<Descriptor>& manifests) {
  Poco::JSON::Array list;
  for (const Descriptor& d : manifests) {
    Poco::JSON::Object entry;
    entry.set("mediaType", d.mediaType);
    entry.set("digest", d.digest);
    entry.set("size", d.size);
    if (!d.annotations.empty()) {
      Poco::JSON::Object annotations;
      for (const auto& [k, v] : d.annotations) {
        annotations.set(k, v);
      }
      entry.set("annotations", annotations);
    }
    if (!d.os.empty() || !d.arch.empty()) {
      Poco::JSON::Object platform;
      platform.set("os", d.os);
      platform.set("architecture", d.arch);
      if (!d.variant.empty()) {
        platform.set("variant", d.variant);
      }
      entry.set("platform", platform);
    }
    list.add(entry);
  }
  Poco::JSON::Object index;
  index.set("schemaVersion", 2);
  index.set("mediaType", kOciIndex);
  index.set("manifests", list);
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(index, out);
  if (Status s = writeText(dir + "/index.json", out.str()); !s) {
    return s.error().wrap("cannot write the index of OCI layout `" + dir + "`");
  }
  return {};
}

Result<Layout> Layout::open(const std::string& dir) {
  const std::string what = "cannot read OCI layout `" + dir + "`";
  auto marker = readSmallFile(dir + "/oci-layout", what + ": no `oci-layout`");
  if (!marker) {
    return marker.error();
  }
  auto m = parseObject(*marker, what + ": `oci-layout`");
  if (!m) {
    return m.error();
  }
  if (str(*m, "imageLayoutVersion") != "1.0.0") {
    return Error{what + ": unsupported imageLayoutVersion `" + str(*m, "imageLayoutVersion") +
                 "` (expected 1.0.0)"};
  }
  auto index = readSmallFile(dir + "/index.json", what + ": no `index.json`");
  if (!index) {
    return index.error();
  }
  auto manifests = parseIndex(*index, what + ": `index.json`");
  if (!manifests) {
    return manifests.error();
  }
  Layout layout;
  layout.dir_ = dir;
  layout.manifests_ = std::move(*manifests);
  return layout;
}

Result<std::string> Layout::blobPath(const std::string& digest) const {
  if (!validDigest(digest)) {
    return Error{"unsupported or malformed digest `" + digest + "`"};
  }
  return dir_ + "/blobs/sha256/" + digest.substr(7);
}

Status Layout::verifyBlob(const Descriptor& d) const {
  auto path = blobPath(d.digest);
  if (!path) {
    return path.error();
  }
  return verifyFile(*path, d, "blob `" + d.digest + "` of OCI layout `" + dir_ + "`");
}

Status verifyFile(const std::string& path, const Descriptor& d, const std::string& what) {
  const posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd.valid()) {
    return sysError("cannot open " + what);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Error{"cannot read " + what + ": not a regular file"};
  }
  if (st.st_size != d.size) {
    return Error{what + " has " + std::to_string(st.st_size) + " bytes, its descriptor says " +
                 std::to_string(d.size)};
  }
  archive::Sha256 sha;
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t n = posix::readSome(fd.get(), buf.data(), buf.size());
    if (n < 0) {
      return sysError("cannot read " + what);
    }
    if (n == 0) {
      break;
    }
    sha.update(buf.data(), static_cast<size_t>(n));
  }
  std::string actual = "sha256:" + hex(sha.digest());
  if (actual != d.digest) {
    return Error{what + " does not match its digest (content is " + actual + ")"};
  }
  return {};
}

Result<std::string> Layout::readJsonBlob(const Descriptor& d) const {
  if (d.size > kMaxJsonBlob) {
    return Error{"blob `" + d.digest + "` of OCI layout `" + dir_ + "` is larger than " +
                 std::to_string(kMaxJsonBlob) + " bytes"};
  }
  if (Status s = verifyBlob(d); !s) {
    return s.error();
  }
  auto path = blobPath(d.digest);
  return readSmallFile(*path, "cannot read blob `" + d.digest + "`");
}

Result<ResolvedImage> Layout::resolve(const std::string& ref,
                                      const schema::OsArch& platform) const {
  const std::string what = "OCI layout `" + dir_ + "`";
  std::vector<Descriptor> candidates;
  std::vector<std::string> names;
  for (const Descriptor& d : manifests_) {
    auto name = d.annotations.find(kRefNameAnnotation);
    std::string n = name == d.annotations.end() ? std::string() : name->second;
    names.push_back(n.empty() ? d.digest : n);
    if (ref.empty() || n == ref || d.digest == ref) {
      candidates.push_back(d);
    }
  }
  auto offered = [&names] {
    std::string s;
    for (const std::string& n : names) {
      s += (s.empty() ? "" : ", ") + n;
    }
    return s.empty() ? std::string("nothing") : s;
  };
  if (candidates.empty()) {
    return Error{what + " has no image `" + ref + "` (it has: " + offered() + ")"};
  }
  // Narrow to the platform: entries of the top index, then nested indexes (manifest lists).
  std::string refName = ref;
  for (int depth = 0; depth < 4; ++depth) {
    if (candidates.size() > 1) {
      std::vector<Descriptor> matching;
      std::string platforms;
      for (const Descriptor& d : candidates) {
        platforms += (platforms.empty() ? "" : ", ") + platformOf(d);
        if (matchesPlatform(d, platform)) {
          matching.push_back(d);
        }
      }
      if (matching.size() != 1) {
        std::string tail = matching.empty()
                               ? "none is for " + platform.toString() + " (" + platforms + ")"
                               : "name one of them as oci:PATH:REF";
        return Error{what + " has " + std::to_string(candidates.size()) + " images" +
                     (ref.empty() ? "" : " named `" + ref + "`") + ": " + tail +
                     (ref.empty() ? " (it has: " + offered() + ")" : "")};
      }
      candidates = matching;
    }
    Descriptor chosen = candidates.front();
    if (!matchesPlatform(chosen, platform)) {
      return Error{what + ": image `" + (ref.empty() ? chosen.digest : ref) + "` is for " +
                   platformOf(chosen) + ", not " + platform.toString()};
    }
    if (refName.empty()) {
      auto n = chosen.annotations.find(kRefNameAnnotation);
      if (n != chosen.annotations.end()) {
        refName = n->second;
      }
    }
    if (isIndex(chosen.mediaType)) {
      auto json = readJsonBlob(chosen);
      if (!json) {
        return json.error();
      }
      auto nested = parseIndex(*json, what + ": index `" + chosen.digest + "`");
      if (!nested) {
        return nested.error();
      }
      candidates = std::move(*nested);
      if (candidates.empty()) {
        return Error{what + ": index `" + chosen.digest + "` lists no images"};
      }
      continue;
    }
    if (!isManifest(chosen.mediaType)) {
      return Error{what + ": `" + chosen.digest + "` has unsupported media type `" +
                   chosen.mediaType + "`"};
    }
    auto json = readJsonBlob(chosen);
    if (!json) {
      return json.error();
    }
    const std::string mwhat = what + ": manifest `" + chosen.digest + "`";
    auto m = parseObject(*json, mwhat);
    if (!m) {
      return m.error();
    }
    ResolvedImage image;
    image.manifest = chosen;
    image.refName = refName;
    Poco::JSON::Object::Ptr config = obj(*m, "config");
    if (!config) {
      return Error{mwhat + " has no `config`"};
    }
    auto configDesc = parseDescriptor(config, mwhat);
    if (!configDesc) {
      return configDesc.error();
    }
    auto configJson = readJsonBlob(*configDesc);
    if (!configJson) {
      return configJson.error();
    }
    image.configJson = std::move(*configJson);
    image.configDigest = configDesc->digest;
    if (!(*m)->has("layers") || (*m)->get("layers").type() != typeid(Poco::JSON::Array::Ptr)) {
      return Error{mwhat + " has no `layers` list"};
    }
    Poco::JSON::Array::Ptr layers = (*m)->getArray("layers");
    for (size_t i = 0; i < layers->size(); ++i) {
      Poco::JSON::Object::Ptr l = layers->getObject(static_cast<unsigned>(i));
      if (!l) {
        return Error{mwhat + ": layer " + std::to_string(i) + " is not an object"};
      }
      auto d = parseDescriptor(l, mwhat);
      if (!d) {
        return d.error();
      }
      image.layers.push_back(std::move(*d));
    }
    return image;
  }
  return Error{what + ": indexes nested more than 4 deep"};
}

}  // namespace rkt::oci
