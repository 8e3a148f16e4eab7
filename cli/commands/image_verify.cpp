// `rkt image verify IMAGE…` (rkt-notes §1.23): checks each image's rendered tree against the
// hash recorded when it was rendered, and re-renders a damaged one — the repair `rkt run` and
// `rkt prepare` point to when they refuse a damaged tree (docs/store.md). rkt's lines, on
// stdout as rkt printed them.
#include <ostream>

#include "command.hpp"
#include "engine_support.hpp"
#include "image_support.hpp"
#include "rkt/core/image/resolve.hpp"

namespace rkt::cli {
namespace {

class ImageVerifyCommand : public Command {
 public:
  int run(Invocation& inv) override {
    if (inv.args.empty()) {
      return inv.fail("must provide at least one image ID");
    }
    std::optional<Engine> engine = openEngineWithStore(inv);
    if (!engine) {
      return kExitFailure;
    }
    for (const std::string& img : inv.args) {
      auto key = image::resolveImageArg(engine->store(), img);
      if (!key) {
        return inv.fail(key.error().wrap("unable to resolve image \"" + img + "\""));
      }
      auto result = engine->store().verify(*key);
      if (!result) {
        return inv.fail(result.error().wrap("unable to verify the tree cache for image \"" + img +
                                            "\" (\"" + *key + "\")"));
      }
      switch (result->status) {
        case image::VerifyStatus::kNotRendered:
          inv.out << "image \"" << img << "\" not rendered; no verification needed\n";
          break;
        case image::VerifyStatus::kRebuilt:
        case image::VerifyStatus::kDamaged:  // not asked for: verify always repairs
          inv.out << "tree cache verification failed for image " << img
                  << ": the rendered tree does not match its recorded hash;  rebuilding...\n";
          break;
        case image::VerifyStatus::kOk:
          inv.out << "successfully verified checksum for image: \"" << img << "\" (\"" << *key
                  << "\")\n";
          break;
      }
    }
    return kExitOk;
  }
};

}  // namespace

extern const CommandSpec kImageVerifyCommand =
    CommandSpec("verify", "Verify one or more rendered images in the local store")
        .runs<ImageVerifyCommand>()
        .withUsage("IMAGE...")
        .completes(ArgCompletion::kImages)
        .withDescription(
            "Given one or more image IDs or image names, verify will verify that their on-disk\n"
            "checksum matches the value previously calculated on render. A damaged tree is\n"
            "rendered again.");

}  // namespace rkt::cli
