// rkt's image string classification (rkt/image/common.go, appc discovery's NewAppFromString,
// pkg/distribution's cimd URIs).
#include "rkt/core/image/image_string.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "rkt/base/shorten.hpp"
#include "rkt/schema/names.hpp"

namespace rkt::image {
namespace {

constexpr std::string_view kAciExtension = ".aci";

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Go's url.QueryUnescape (plusIsSpace) / PathUnescape.
std::optional<std::string> unescape(std::string_view s, bool plusIsSpace) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) {
        return std::nullopt;
      }
      const int hi = hexValue(s[i + 1]);
      const int lo = hexValue(s[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (s[i] == '+' && plusIsSpace) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

// Go's url.Parse scheme rule: [A-Za-z][A-Za-z0-9+.-]* followed by ':'.
struct SchemeSplit {
  std::string scheme;  // lowercased; empty when there is none
  std::string_view rest;
};

Result<SchemeSplit> splitScheme(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isalpha(static_cast<unsigned char>(c))) {
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.') {
      if (i == 0) {
        break;
      }
      continue;
    }
    if (c == ':') {
      if (i == 0) {
        return Error{"missing protocol scheme"};
      }
      return SchemeSplit{lower(s.substr(0, i)), s.substr(i + 1)};
    }
    break;
  }
  // No scheme: Go refuses a colon in the first path segment of a relative reference.
  const std::string_view firstSegment = s.substr(0, s.find('/'));
  if (firstSegment.find(':') != std::string_view::npos) {
    return Error{"first path segment in URL cannot contain colon"};
  }
  return SchemeSplit{"", s};
}

// The decoded path of a URL's hierarchical part (after "scheme:"), Go's URL.Path; empty for an
// opaque URL ("file:x.aci").
std::string urlPath(std::string_view rest) {
  std::string_view r = rest.substr(0, rest.find_first_of("?#"));
  if (startsWith(r, "//")) {
    r.remove_prefix(2);
    const std::size_t slash = r.find('/');
    r = slash == std::string_view::npos ? std::string_view() : r.substr(slash);
  } else if (!startsWith(r, "/")) {
    return "";
  }
  return unescape(r, false).value_or(std::string(r));
}

// filepath.Ext(path) == ".aci"
bool hasAciExtension(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = base.rfind('.');
  return dot != std::string_view::npos && base.substr(dot) == kAciExtension;
}

// rkt's guessAppcOrPath.
bool guessIsPath(std::string_view s) {
  if (startsWith(s, "/")) {
    return true;
  }
  struct stat st {};
  if (::stat(std::string(s).c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    return true;
  }
  if (s.find(':') != std::string_view::npos) {
    return false;
  }
  if (s.find("./") != std::string_view::npos) {
    return true;
  }
  return endsWith(s, kAciExtension);
}

Result<ImageRef> appcRef(std::string_view input, std::string_view nameString) {
  Result<AppcName> app = parseAppcName(nameString);
  if (!app) {
    return Error{"invalid appc image string " + quotedName(input) + ": " + app.error().message};
  }
  ImageRef ref;
  ref.kind = ImageKind::kAppc;
  ref.input = std::string(input);
  ref.appc = std::move(*app);
  ref.fetchString = ref.appc.toString();
  return ref;
}

ImageRef aciArchiveRef(std::string_view input, std::string location, std::string_view scheme) {
  ImageRef ref;
  ref.kind = ImageKind::kAciArchive;
  ref.input = std::string(input);
  ref.localFile = scheme.empty() || scheme == "file";
  if (scheme == "http" || scheme == "https") {
    ref.remoteUrl = location;
  }
  ref.fetchString = std::move(location);
  return ref;
}

// rkt's distribution types (pkg/distribution), which name the fetchers of rkt's own kinds.
std::string_view distributionName(ImageKind kind) {
  switch (kind) {
    case ImageKind::kAciArchive:
      return "aci-archive";
    case ImageKind::kDocker:
      return "docker";
    case ImageKind::kAppc:
      return "appc";
    case ImageKind::kHash:
    case ImageKind::kScheme:
      break;
  }
  return "";
}

// A scheme rkt's classification does not own, and no distribution fetcher (those take image
// strings of their own shape, never `SCHEME:rest`): free for a scheme fetcher plugin.
bool isPluginScheme(std::string_view scheme) {
  for (std::string_view owned : {"file", "http", "https", "cimd"}) {
    if (scheme == owned) {
      return false;
    }
  }
  for (ImageKind kind : {ImageKind::kAciArchive, ImageKind::kDocker, ImageKind::kAppc}) {
    if (scheme == distributionName(kind)) {
      return false;
    }
  }
  return true;
}

ImageRef schemeRef(std::string_view input, std::string scheme) {
  ImageRef ref;
  ref.kind = ImageKind::kScheme;
  ref.input = std::string(input);
  ref.scheme = std::move(scheme);
  ref.fetchString = ref.input;
  ref.remoteUrl = ref.input;
  return ref;
}

ImageRef dockerRef(std::string_view input, std::string_view reference) {
  ImageRef ref;
  ref.kind = ImageKind::kDocker;
  ref.input = std::string(input);
  ref.fetchString = "docker://" + std::string(reference);
  ref.remoteUrl = ref.fetchString;
  return ref;
}

// cimd:<type>:v=<uint32>:<data> (rkt's pkg/distribution).
Result<ImageRef> cimdRef(std::string_view input, std::string_view opaque) {
  const std::size_t c1 = opaque.find(':');
  const std::size_t c2 = c1 == std::string_view::npos ? c1 : opaque.find(':', c1 + 1);
  if (c2 == std::string_view::npos) {
    return Error{"malformed distribution uri: " + quotedName(input)};
  }
  const std::string_view type = opaque.substr(0, c1);
  std::string_view version = opaque.substr(c1 + 1, c2 - c1 - 1);
  const std::string_view data = opaque.substr(c2 + 1);
  if (startsWith(version, "v=")) {
    version.remove_prefix(2);
  }
  const bool numeric =
      !version.empty() && version.size() <= 10 &&
      std::all_of(version.begin(), version.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      std::stoull(std::string(version)) <= 0xffffffffull;
  if (!numeric) {
    return Error{"malformed distribution version: " +
                 std::string(opaque.substr(c1 + 1, c2 - c1 - 1))};
  }
  if (type == "aci-archive") {
    std::optional<std::string> url = unescape(data, true);
    if (!url) {
      return Error{"malformed distribution uri: " + quotedName(input)};
    }
    Result<SchemeSplit> split = splitScheme(*url);
    if (!split ||
        (split->scheme != "file" && split->scheme != "http" && split->scheme != "https")) {
      return Error{"aci-archive distribution " + quotedName(input) +
                   " needs a file, http or https URL"};
    }
    return aciArchiveRef(input, *url, split->scheme);
  }
  if (type == "docker") {
    return dockerRef(input, data);
  }
  if (type == "appc") {
    // <name>?<label>=<value>&… with query escaping.
    const std::size_t q = data.find('?');
    std::string name = unescape(data.substr(0, q), false).value_or(std::string(data.substr(0, q)));
    std::string appString = name;
    if (q != std::string_view::npos) {
      std::string_view query = data.substr(q + 1);
      while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const std::size_t eq = pair.find('=');
        std::optional<std::string> key = unescape(pair.substr(0, eq), true);
        std::optional<std::string> value =
            unescape(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
        if (!key || !value) {
          return Error{"malformed distribution uri: " + quotedName(input)};
        }
        if (!key->empty()) {
          appString += "," + *key + "=" + *value;
        }
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      }
    }
    Result<ImageRef> ref = appcRef(input, appString);
    return ref;
  }
  return Error{"unsupported distribution type " + quotedName(type) + " in " + quotedName(input)};
}

}  // namespace

std::string AppcName::toString() const {
  std::string out = name;
  if (auto v = schema::findValue(labels, schema::kLabelVersion)) {
    out += ":" + *v;
  }
  std::map<std::string, std::string> rest;
  for (const auto& l : labels) {
    if (l.name != schema::kLabelVersion) {
      rest.emplace(l.name, l.value);
    }
  }
  for (const auto& [k, v] : rest) {
    out += "," + k + "=" + v;
  }
  return out;
}

std::string ImageRef::fetcherName() const {
  return kind == ImageKind::kScheme ? scheme : std::string(distributionName(kind));
}

bool looksLikeImageId(std::string_view s) {
  // types.NewHash: exactly one '-', algorithm sha512, a non-empty value.
  if (std::count(s.begin(), s.end(), '-') != 1) {
    return false;
  }
  return startsWith(s, schema::kImageIdPrefix) && s.size() > schema::kImageIdPrefix.size();
}

Result<AppcName> parseAppcName(std::string_view s) {
  const std::size_t firstComma = s.find(',');
  const std::size_t firstColon = s.find(':');
  if (firstColon != std::string_view::npos && firstComma != std::string_view::npos &&
      firstColon > firstComma) {
    return Error{"malformed app string - colon may appear only right after the app name"};
  }
  if (std::count(s.begin(), s.end(), ':') > 1) {
    return Error{"malformed app string - colon may appear at most once"};
  }
  std::string prepared = "name=" + std::string(s);
  if (const std::size_t colon = prepared.find(':'); colon != std::string::npos) {
    prepared.replace(colon, 1, ",version=");
  }
  AppcName app;
  std::string_view rest = prepared;
  std::map<std::string, int> seen;
  bool haveName = false;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view part = rest.substr(0, comma);
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return Error{"malformed string " + quotedName(s) +
                   " - has a label without a value: " + std::string(part)};
    }
    const std::string key(part.substr(0, eq));
    const std::string value(part.substr(eq + 1));
    if (++seen[key] > 1) {
      return Error{"label " + key + " with multiple values"};
    }
    if (key == "name") {
      app.name = value;
      haveName = true;
    } else {
      if (Status st = schema::validateAcIdentifier(key); !st) {
        return st.error();
      }
      app.labels.push_back({key, value});
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  if (!haveName || app.name.empty()) {
    return Error{"empty app name"};
  }
  if (Status st = schema::validateAcIdentifier(app.name); !st) {
    return st.error();
  }
  return app;
}

Result<ImageRef> classifyImage(std::string_view image, const FetcherInstalled& schemeFetcher) {
  if (looksLikeImageId(image)) {
    ImageRef ref;
    ref.kind = ImageKind::kHash;
    ref.input = std::string(image);
    return ref;
  }
  Result<SchemeSplit> split = splitScheme(image);
  if (!split) {
    return Error{"failed to parse image url " + quotedName(image) + ": " + split.error().message};
  }
  const std::string& scheme = split->scheme;
  if (scheme.empty()) {
    if (guessIsPath(image)) {
      return aciArchiveRef(image, std::string(image), "");
    }
    return appcRef(image, image);
  }
  if (scheme == "file" || scheme == "http" || scheme == "https") {
    if (hasAciExtension(urlPath(split->rest))) {
      return aciArchiveRef(image, std::string(image), scheme);
    }
    return Error{"invalid image string " + quotedName(image)};
  }
  if (scheme == "docker") {
    std::string_view reference = split->rest;
    if (startsWith(reference, "//")) {
      reference.remove_prefix(2);
    }
    if (reference.empty()) {
      return Error{"docker distribution creation error: empty docker image reference in " +
                   quotedName(image)};
    }
    return dockerRef(image, reference);
  }
  if (scheme == "cimd") {
    return cimdRef(image, split->rest);
  }
  if (schemeFetcher && isPluginScheme(scheme) && schemeFetcher(scheme)) {
    return schemeRef(image, scheme);
  }
  return appcRef(image, image);
}

}  // namespace rkt::image
