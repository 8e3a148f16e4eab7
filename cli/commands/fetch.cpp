// `rkt fetch [--full] [--pull-policy=update] IMAGE [--signature=FILE] [IMAGE …]` (rkt-notes
// §1.10), also the hidden `rkt image fetch`: brings images (and their dependencies) into the
// store and prints one image ID per image.
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "argscan.hpp"
#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "global_options.hpp"
#include "image_support.hpp"
#include "rkt/core/image/finder.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::cli {
namespace {

struct ImageArg {
  std::string image;
  std::string signature;
};

std::optional<std::string> checkPullPolicy(const std::string& value) {
  if (auto p = image::parsePullPolicy(value); !p) {
    return p.error().message;
  }
  return std::nullopt;
}

class FetchCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addStringFlag(app, "--signature", signature_,
                  "local signature file to use in validating the preceding image");
    hide(addBoolFlag(app, "--store-only", storeOnly_,
                     "use only available images in the store (do not discover or download from "
                     "remote URLs)"));
    hide(addBoolFlag(app, "--no-store", noStore_, "fetch images, ignoring the local store"));
    addCheckedFlag(app, "--pull-policy", pullPolicy_, checkPullPolicy,
                   "when to pull an image: never (only the store), new (the store, then remote "
                   "when missing) or update (remote first)");
    addBoolFlag(app, "--full", full_, "print the full image hash after fetching");
  }

  int run(Invocation& inv) override {
    GlobalOptions global = inv.global;
    std::vector<ImageArg> images;
    if (!signature_.empty()) {
      return inv.fail("unable to parse arguments: --signature must follow an image");
    }
    if (std::optional<std::string> problem = parseImages(inv, global, images)) {
      return inv.fail("unable to parse arguments: " + *problem);
    }
    if (images.empty()) {
      return inv.fail("must provide at least one image");
    }
    if (storeOnly_ && noStore_) {
      return inv.fail("both --store-only and --no-store specified");
    }
    if (storeOnly_) {
      inv.err << "Flag --store-only has been deprecated, please use --pull-policy=never\n";
      pullPolicy_ = "never";
    }
    if (noStore_) {
      inv.err << "Flag --no-store has been deprecated, please use --pull-policy=update\n";
      pullPolicy_ = "update";
    }
    const auto policy = image::parsePullPolicy(pullPolicy_);
    if (!policy) {
      return inv.fail(policy.error());
    }

    std::optional<Engine> engine = openEngineWithStore(inv, &global);
    if (!engine) {
      return kExitFailure;
    }
    // rkt renders at fetch time only where pods will use the tree through overlayfs.
    Result<std::unique_ptr<image::Finder>> finder =
        engine->imageFinder(FindOptions{*policy, ::geteuid() == 0 && image::overlaySupported()});
    if (!finder) {
      return inv.fail(finder.error());
    }

    for (const ImageArg& arg : images) {
      Result<std::string> key = (*finder)->findImage(arg.image, arg.signature);
      if (!key) {
        return inv.fail(key.error());
      }
      inv.out << (full_ ? *key : schema::shortImageId(*key)) << '\n';
      inv.out.flush();
    }
    return kExitOk;
  }

 private:
  // rkt's parseApps for fetch: images, with --signature (and any fetch or global flag) after
  // them; `--` (app arguments) is refused, `---` and empty words are ignored.
  std::optional<std::string> parseImages(const Invocation& inv, GlobalOptions& global,
                                         std::vector<ImageArg>& images) {
    CLI::App scratch;
    scratch.set_help_flag();
    scratch.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    addGlobalFlags(scratch, global);
    addFlags(scratch);
    const std::vector<std::string>& args = inv.args;
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& word = args[i];
      const Token token = classifyToken(scratch, word);
      if (token.kind == Token::Kind::kEndOfFlags) {
        return std::string("app arguments unsupported");
      }
      if (token.kind == Token::Kind::kPositional) {
        if (word.empty() || word.rfind("---", 0) == 0) {
          continue;
        }
        images.push_back({word, ""});
        continue;
      }
      const std::size_t end = std::min(args.size(), i + 1 + token.valueTokens);
      const FlagScan scan =
          scanFlags(scratch, std::vector<std::string>(args.begin() + i, args.begin() + end), true);
      if (scan.error) {
        return scan.error;
      }
      std::vector<std::string> tokens(args.begin() + i, args.begin() + end);
      i = end - 1;
      signature_.clear();
      std::vector<std::string> toParse = normalizeForCli11(scratch, tokens);
      std::reverse(toParse.begin(), toParse.end());
      try {
        scratch.parse(toParse);
      } catch (const CLI::ParseError& e) {
        return std::string(e.what());
      }
      if (token.option != nullptr && token.option->get_name() == "--signature") {
        if (images.empty()) {
          return std::string("--signature must follow an image");
        }
        if (!images.back().signature.empty()) {
          return std::string("--signature specified multiple times for the same image");
        }
        images.back().signature = signature_;
      }
    }
    signature_.clear();
    return std::nullopt;
  }

  std::string signature_;
  bool storeOnly_ = false;
  bool noStore_ = false;
  std::string pullPolicy_ = "update";
  bool full_ = false;
};

constexpr const char* kFetchDescription =
    "Locates and downloads remote ACIs and their attached signatures, and imports local ACI\n"
    "files, into the local store. Prints the image ID of each image (--full for the whole ID).\n"
    "\n"
    "With the default pull policy `update`, images are fetched from their source again (HTTP\n"
    "caching may still reuse the stored copy); `new` uses the store first; `never` only the\n"
    "store. Local files are always imported.";

}  // namespace

extern const CommandSpec kFetchCommand =
    CommandSpec("fetch", "Fetch image(s) and store them in the local store")
        .runs<FetchCommand>()
        .withUsage("IMAGE_URL...")
        .withTraits(kRawArgs)
        .withDescription(kFetchDescription);

extern const CommandSpec kImageFetchCommand =
    CommandSpec("fetch", "Fetch image(s) and store them in the local store")
        .runs<FetchCommand>()
        .withUsage("IMAGE_URL...")
        .withTraits(kRawArgs | kHidden)
        .withDescription(kFetchDescription);

}  // namespace rkt::cli
