#include "rkt/core/trust/pubkey.hpp"

#include <cctype>
#include <cstdio>

#include "rkt/core/trust/http_get.hpp"
#include "trust/discovery_module.hpp"
#include "util/internal_module.hpp"
#include "util/regular_file.hpp"

namespace rkt::trust {
namespace {

// Go's url.Parse scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) before the first ':'.
std::string urlScheme(const std::string& s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) {
    return "";
  }
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') {
      std::string scheme = s.substr(0, i);
      for (char& ch : scheme) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      return scheme;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return "";
    }
  }
  return "";
}

}  // namespace

void PubkeyManager::out(const std::string& line) const {
  if (options_.out) {
    options_.out(line);
  }
}

void PubkeyManager::log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  }
}

Result<std::vector<std::string>> PubkeyManager::discoverKeyLocations(
    const std::string& prefix) const {
  if (prefix.empty()) {
    return Error{"empty prefix"};
  }
  // Discovery (libxml2) is in rkt-discovery.so, loaded here; pages come through httpGet.
  Result<void*> entry =
      util::internalModuleEntry(detail::kDiscoveryModule, detail::kDiscoveryModuleEntry);
  if (!entry) {
    return entry.error().wrap("prefix meta discovery error");
  }
  const auto discover = reinterpret_cast<detail::DiscoverPubkeysEntry>(*entry);
  HttpGetOptions http;
  http.insecureTls = options_.insecureTls;
  http.allowHttp = options_.allowHttp;
  http.stallTimeout = options_.httpStallTimeout;
  http.config = options_.config;
  discovery::PageFetcher fetch = [&](const std::string& url) -> Result<discovery::Page> {
    auto r = httpGet(url, http);
    if (!r) {
      return r.error();
    }
    return discovery::Page{r->status, std::move(r->body)};
  };
  std::vector<discovery::FailedAttempt> attempts;
  auto keys = discover(prefix, fetch, discovery::Options{options_.allowHttp}, &attempts);
  if (options_.debug) {
    for (const auto& a : attempts) {
      log("meta tag 'ac-discovery-pubkeys' not found on " + a.prefix + ": " + a.error);
    }
  }
  if (!keys) {
    return keys.error().wrap("prefix meta discovery error");
  }
  if (keys->empty()) {
    return Error{"meta discovery on " + prefix + " resulted in no keys"};
  }
  return keys;
}

Result<std::string> PubkeyManager::fetchKey(const std::string& location) const {
  std::string scheme = urlScheme(location);
  if (scheme.empty()) {
    Result<std::string> bytes = util::readRegularFile(location);
    if (!bytes) {
      return bytes.error().wrap("open " + location);
    }
    return bytes;
  }
  if (scheme != "http" && scheme != "https") {
    return Error{"only local files and http or https URLs supported"};
  }
  if (scheme == "http" && !options_.allowHttp) {
    return Error{"--insecure-allow-http required for http URLs"};
  }
  HttpGetOptions http;
  http.insecureTls = options_.insecureTls;
  http.allowHttp = options_.allowHttp;
  http.stallTimeout = options_.httpStallTimeout;
  // rkt sends no credentials with key downloads (a TODO upstream); neither do we.
  auto r = httpGet(location, http);
  if (!r) {
    return r.error().wrap("error getting key");
  }
  if (r->status != 200) {
    return Error{"bad HTTP status code: " + std::to_string(r->status)};
  }
  return std::move(r->body);
}

Result<bool> PubkeyManager::review() const {
  for (;;) {
    out("Are you sure you want to trust this key (yes/no)?");
    if (!options_.readLine) {
      return Error{"error reading input: no input"};
    }
    auto line = options_.readLine();
    if (!line) {
      return line.error().wrap("error reading input");
    }
    if (*line == "yes\n") {
      return true;
    }
    if (*line == "no\n") {
      return false;
    }
    out("Please enter 'yes' or 'no'");
  }
}

Status PubkeyManager::addKeys(const std::vector<std::string>& locations, const std::string& prefix,
                              Accept accept) const {
  for (const std::string& location : locations) {
    auto armored = fetchKey(location);
    if (!armored) {
      return armored.error().wrap("error accessing the key " + location);
    }
    auto keys = readArmoredKeys(*armored);
    if (!keys) {
      return keys.error().wrap("error reading key").wrap("error displaying the key " + location);
    }
    log("prefix: " + goQuote(prefix) + "\nkey: " + goQuote(location));
    for (const PublicKey& k : *keys) {
      out("gpg key fingerprint is: " + displayFingerprint(k.fingerprint));
      for (const std::string& sub : k.subkeyFingerprints) {
        out("    Subkey fingerprint: " + displayFingerprint(sub));
      }
      for (const std::string& uid : k.userIds) {
        out("\t" + uid);
      }
    }
    Accept mode = accept;
    if (options_.trustKeysFromHttps && urlScheme(location) == "https") {
      mode = Accept::kForce;
    }
    if (mode == Accept::kAsk) {
      if (!options_.interactive) {
        log("To trust the key for " + goQuote(prefix) + ", do one of the following:");
        log(" - call rkt with --trust-keys-from-https");
        log(" - run: rkt trust --prefix " + goQuote(prefix));
        return Error{
            "error reviewing key: unable to ask user to review fingerprint due to lack of tty"};
      }
      auto accepted = review();
      if (!accepted) {
        return accepted.error().wrap("error reviewing key");
      }
      if (!*accepted) {
        log("not trusting " + goQuote(location));
        continue;
      }
      out("Trusting " + goQuote(location) + " for prefix " + goQuote(prefix) +
          " after fingerprint review.");
    } else {
      out("Trusting " + goQuote(location) + " for prefix " + goQuote(prefix) +
          " without fingerprint review.");
    }
    auto path = keystore_.storeTrustedKey(prefix, *armored);
    if (!path) {
      return path.error().wrap(prefix.empty() ? std::string("error adding root key")
                                              : "error adding key for prefix " + goQuote(prefix));
    }
    if (prefix.empty()) {
      out("Added root key at " + goQuote(*path));
    } else {
      out("Added key for prefix " + goQuote(prefix) + " at " + goQuote(*path));
    }
  }
  return {};
}

}  // namespace rkt::trust
