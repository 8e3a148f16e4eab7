// `rkt image cat-manifest [--pretty-print=true] IMAGE` (rkt-notes §1.23).
#include <ostream>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "image_support.hpp"
#include "rkt/schema/image_manifest.hpp"

namespace rkt::cli {
namespace {

class ImageCatManifestCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--pretty-print", prettyPrint_, "apply indent to format the output");
  }

  int run(Invocation& inv) override {
    if (inv.args.size() != 1) {
      return inv.usageError();
    }
    std::optional<StoredImage> stored = openStoredImage(inv, inv.args[0]);
    if (!stored) {
      return kExitFailure;
    }
    auto text = stored->engine.store().manifest(stored->key);
    if (!text) {
      return inv.fail(text.error().wrap("cannot get image manifest"));
    }
    // rkt prints the manifest as its schema library serialises it, not the stored bytes.
    auto manifest = schema::parseImageManifest(*text);
    if (!manifest) {
      return inv.fail(manifest.error().wrap("cannot read the image manifest"));
    }
    auto out = schema::serializeImageManifest(
        *manifest, prettyPrint_ ? schema::JsonStyle::Pretty : schema::JsonStyle::Compact);
    if (!out) {
      return inv.fail(out.error().wrap("cannot read the image manifest"));
    }
    inv.out << *out << '\n';
    return kExitOk;
  }

 private:
  bool prettyPrint_ = true;
};

}  // namespace

extern const CommandSpec kImageCatManifestCommand =
    CommandSpec("cat-manifest", "Inspect and print the image manifest")
        .runs<ImageCatManifestCommand>()
        .withUsage("IMAGE")
        .completes(ArgCompletion::kImages)
        .withDescription(
            "IMAGE should be a string referencing an image; either an ID or an image name.");

}  // namespace rkt::cli
