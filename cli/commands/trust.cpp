// `rkt trust [--prefix=PREFIX] [--root] [--insecure-allow-http] [--skip-fingerprint-review]
// [PUBKEY…]` (rkt-notes §1.19): adds keys to the local trust store.
#include <unistd.h>

#include <iostream>
#include <ostream>
#include <string>

#include "command.hpp"
#include "flags.hpp"
#include "global_options.hpp"
#include "rkt/core/config.hpp"
#include "rkt/core/trust/keystore.hpp"
#include "rkt/core/trust/pubkey.hpp"

namespace rkt::cli {
namespace {

constexpr const char* kUnboundedTrust =
    "aborting due to implicit unbounded trust (root domain)\n"
    "Please provide a specific domain prefix to trust:\n"
    "    rkt trust --prefix \"example.com/foo\" [PUBKEY]\n"
    "    rkt trust --prefix \"example.com/foo/*\" [PUBKEY]\n"
    "Otherwise, trust at the root domain (not recommended) must be explicitly requested:\n"
    "    rkt trust --root PUBKEY";

// Go's url.Parse(prefix).Scheme, enough to refuse "https://example.com".
std::string schemeOf(const std::string& s) {
  auto colon = s.find(':');
  if (colon == std::string::npos || colon == 0) {
    return "";
  }
  for (size_t i = 0; i < colon; ++i) {
    char c = s[i];
    bool ok = std::isalpha(static_cast<unsigned char>(c)) ||
              (i > 0 &&
               (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'));
    if (!ok) {
      return "";
    }
  }
  return s.substr(0, colon);
}

class TrustCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addStringFlag(app, "--prefix", prefix_, "prefix to limit trust to");
    addBoolFlag(app, "--root", root_, "add root key from filesystem without a prefix");
    addBoolFlag(app, "--skip-fingerprint-review", skipReview_,
                "accept key without fingerprint confirmation");
    addBoolFlag(app, "--insecure-allow-http", allowHttp_,
                "allow HTTP use for key discovery and/or retrieval");
  }

  int run(Invocation& inv) override {
    const GlobalOptions& g = inv.global;
    if (prefix_.empty() && !root_) {
      if (!inv.args.empty()) {
        return inv.fail(kUnboundedTrust);
      }
      return inv.usageError();
    }
    if (!prefix_.empty() && root_) {
      return inv.fail("--root and --prefix usage mutually exclusive");
    }
    // rkt has no keystore when image verification is off, and so nothing to add keys to.
    if (g.insecureOptions.skipImageCheck()) {
      return inv.fail("could not get the keystore");
    }
    if (std::string scheme = schemeOf(prefix_); !scheme.empty()) {
      return inv.fail("--prefix must not contain a URL scheme, omit " + scheme + "://");
    }
    auto config =
        config::loadConfig(config::Dirs{g.systemConfigDir, g.localConfigDir, g.userConfigDir});
    if (!config) {
      return inv.fail(config.error().wrap("cannot get configuration"));
    }
    trust::Keystore keystore(
        trust::KeystoreDirs::fromConfigDirs(g.systemConfigDir, g.localConfigDir));

    trust::PubkeyOptions options;
    options.allowHttp = allowHttp_;
    options.insecureTls = g.insecureOptions.skipTlsCheck();
    options.trustKeysFromHttps = g.trustKeysFromHttps;
    options.debug = g.debug;
    options.httpStallTimeout = g.httpStallTimeout;
    options.config = &*config;
    options.out = [&inv](const std::string& line) { inv.out << line << '\n' << std::flush; };
    options.log = [](const std::string& line) { std::cerr << "pubkey: " << line << '\n'; };
    options.interactive = isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1;
    options.readLine = []() -> Result<std::string> {
      std::string line;
      if (!std::getline(std::cin, line)) {
        return Error{"EOF"};
      }
      return line + "\n";
    };
    trust::PubkeyManager manager(keystore, options);

    std::vector<std::string> locations = inv.args;
    if (locations.empty()) {
      auto discovered = manager.discoverKeyLocations(prefix_);
      if (!discovered) {
        return inv.fail(discovered.error().wrap("error determining key location"));
      }
      locations = std::move(*discovered);
    }
    auto accept = skipReview_ ? trust::Accept::kForce : trust::Accept::kAsk;
    if (Status s = manager.addKeys(locations, prefix_, accept); !s) {
      return inv.fail(s.error().wrap("error adding keys"));
    }
    return kExitOk;
  }

 private:
  std::string prefix_;
  bool root_ = false;
  bool skipReview_ = false;
  bool allowHttp_ = false;
};

}  // namespace

extern const CommandSpec kTrustCommand =
    CommandSpec("trust", "Trust a key for image verification")
        .runs<TrustCommand>()
        .withUsage(
            "[--prefix=PREFIX] [--insecure-allow-http] [--skip-fingerprint-review] [--root] "
            "[PUBKEY ...]")
        .withDescription(
            "Adds keys to the local keystore for use in verifying signed images.\n"
            "\n"
            "PUBKEY may be either a local file or URL.\n"
            "\n"
            "PREFIX scopes the applicability of PUBKEY to image names sharing PREFIX.\n"
            "\n"
            "Meta discovery of PUBKEY at PREFIX will be attempted if no PUBKEY is specified.\n"
            "\n"
            "To trust a key for all images instead of for specific images, --root can be\n"
            "specified. Path to a key file must be given (no discovery).");

}  // namespace rkt::cli
