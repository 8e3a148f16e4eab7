// rkt's stage0 configuration: the `auth.d`, `paths.d` and `stage1.d` files of the system, local
// and user configuration directories, merged with rkt's override rules (docs/configuration.md).
//
// Error messages quote file names and values with double quotes, as rkt's own messages do
// (`no rktKind specified in "/etc/rkt/auth.d/a.json"`), so they can be compared with rkt's.
#ifndef RKT_CORE_CONFIG_HPP
#define RKT_CORE_CONFIG_HPP

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "rkt/core/result.hpp"

namespace rkt::protocol::fetcher {
struct AuthEntry;  // rkt/sdk/protocol/fetcher.hpp
}

namespace rkt::config {

inline constexpr const char* kDefaultSystemConfigDir = "/usr/lib/rkt";
inline constexpr const char* kDefaultLocalConfigDir = "/etc/rkt";
inline constexpr const char* kDefaultDataDir = "/var/lib/rkt";

/// `auth` type "basic", and the credentials of every `dockerAuth` entry.
struct BasicCredentials {
  std::string user;
  std::string password;
  bool operator==(const BasicCredentials& o) const {
    return user == o.user && password == o.password;
  }
};

/// `auth` type "oauth": sent as `Authorization: Bearer <token>`.
struct OAuthCredentials {
  std::string token;
  bool operator==(const OAuthCredentials& o) const { return token == o.token; }
};

/// `auth` type "aws": requests are signed (AWS SigV4, service s3) by the fetcher, not here.
/// An empty awsRegion means "derive it from the host".
struct AwsCredentials {
  std::string accessKeyId;
  std::string secretAccessKey;
  std::string awsRegion;
  bool operator==(const AwsCredentials& o) const {
    return accessKeyId == o.accessKeyId && secretAccessKey == o.secretAccessKey &&
           awsRegion == o.awsRegion;
  }
};

using AuthCredentials = std::variant<BasicCredentials, OAuthCredentials, AwsCredentials>;

/// The `type` value of an `auth` entry: "basic", "oauth" or "aws".
std::string authTypeName(const AuthCredentials& credentials);

/// `paths` kind. Empty means "not configured". All set values are absolute paths.
struct Paths {
  std::string data;          ///< "data": image store and pods (overridden by --dir)
  std::string stage1Images;  ///< "stage1-images": where --stage1-from-dir looks
  std::string plugins;       ///< "plugins" (our extension): an extra plugin search directory
};

/// `stage1` kind. name and version are either both set or both empty.
struct Stage1 {
  std::string name;
  std::string version;
  std::string location;  ///< absolute path or file/docker/http/https URL; empty = not set
};

/// The merged configuration.
struct Config {
  std::map<std::string, AuthCredentials> authPerHost;  ///< key: host[:port] exactly as written
  std::map<std::string, BasicCredentials> dockerCredentialsPerRegistry;
  Paths paths;
  Stage1 stage1;
};

/// The configuration directories, lowest precedence first. An empty user dir is not read.
struct Dirs {
  std::string system = kDefaultSystemConfigDir;
  std::string local = kDefaultLocalConfigDir;
  std::string user;
};

/// Reads system, local and (if set) user dir and merges them, later overriding earlier.
/// A directory that does not exist is skipped; one that exists but is not a directory, and any
/// malformed `*.json` file in a known subdirectory, is an error naming the path.
Result<Config> loadConfig(const Dirs& dirs);

/// Same for an explicit list of directories, lowest precedence first; empty entries are skipped.
Result<Config> loadConfigFrom(const std::vector<std::string>& dirs);

/// Reads one configuration directory without merging. Within one directory a domain, registry,
/// path field, stage1 name+version or stage1 location may be defined only once.
Result<Config> readConfigDir(const std::string& dir);

/// Applies `over` on top of `into` with rkt's rules: auth per domain and dockerAuth per
/// registry replace; each paths field replaces when non-empty; stage1 name+version replace
/// together when name is non-empty; location replaces when non-empty.
void mergeConfig(Config& into, const Config& over);

/// The credentials configured for exactly this host (host[:port] as in the URL), or nullptr.
/// The pointer is valid as long as `config` is not modified.
const AuthCredentials* authFor(const Config& config, const std::string& host);

/// The `credentials` object of an auth.d entry, as the fetch request carries it and the HTTP
/// client (support/http) reads it: basic -> user, password; oauth -> token; aws ->
/// accessKeyID, secretAccessKey, awsRegion. Headers and signatures are the client's business.
std::map<std::string, std::string> credentialFields(const AuthCredentials& credentials);

/// The auth.d (`auth`) entries of `config`, one per host, as the fetch request carries them and
/// the HTTP client (support/http) matches them against URLs.
std::vector<protocol::fetcher::AuthEntry> authEntries(const Config& config);

/// The dockerAuth credentials for a registry (docker index name such as "registry-1.docker.io").
std::optional<BasicCredentials> dockerCredentials(const Config& config,
                                                  const std::string& registry);

/// The data directory rkt uses: `dirFlag` when --dir was given explicitly, else paths `data`,
/// else /var/lib/rkt. The result is absolute with symlinks resolved; a path that does not exist
/// (yet) is kept as is. An empty --dir is an error.
Result<std::string> resolveDataDir(const Config& config, const std::optional<std::string>& dirFlag);

/// What `rkt config` prints: {"stage0":[...]} with one auth entry per domain (sorted by domain),
/// one dockerAuth entry per registry (sorted by registry), one paths and one stage1 entry.
/// Pretty output is tab-indented like rkt's; otherwise compact. No trailing newline.
std::string toJson(const Config& config, bool pretty);

}  // namespace rkt::config

#endif  // RKT_CORE_CONFIG_HPP
