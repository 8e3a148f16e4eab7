// `rkt image extract [--rootfs-only] [--overwrite] IMAGE OUTPUT_DIR` (rkt-notes §1.23): the
// stored ACI unpacked as it is (no dependencies), or only its rootfs.
#include <sys/stat.h>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "image_support.hpp"
#include "rkt/core/image/extract.hpp"

namespace rkt::cli {
namespace {

class ImageExtractCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--rootfs-only", rootfsOnly_, "extract rootfs only");
    addBoolFlag(app, "--overwrite", overwrite_, "overwrite output directory");
  }

  int run(Invocation& inv) override {
    if (inv.args.size() != 2) {
      return inv.usageError();
    }
    std::optional<StoredImage> stored = openStoredImage(inv, inv.args[0]);
    if (!stored) {
      return kExitFailure;
    }
    auto blob = stored->engine.store().blob(stored->key);
    if (!blob) {
      return inv.fail(blob.error().wrap("error reading ACI from the store"));
    }
    std::optional<util::OutputDir> out = prepareOutputDir(inv, inv.args[1], overwrite_);
    if (!out) {
      return kExitFailure;
    }
    const std::string& dir = out->buildPath();
    if (::mkdir(dir.c_str(), 0755) != 0) {
      return inv.fail(sysError("error creating output directory `" + dir + "`"));
    }
    // rkt unpacked into cas/tmp and moved rootfs/ into place; with --rootfs-only the rootfs is
    // extracted straight into the target: the same tree without the detour.
    // A refused image leaves nothing: the build directory goes with `out`.
    if (Status s = image::extractImage(*blob, dir, rootfsOnly_, inv.args[0]); !s) {
      return inv.fail("error extracting ACI: " + s.error().message);
    }
    return commitOutputDir(inv, *out);
  }

 private:
  bool rootfsOnly_ = false;
  bool overwrite_ = false;
};

}  // namespace

extern const CommandSpec kImageExtractCommand =
    CommandSpec("extract", "Extract a stored image to a directory")
        .runs<ImageExtractCommand>()
        .withUsage("IMAGE OUTPUT_DIR")
        .completes(ArgCompletion::kImages)
        .withDescription(
            "IMAGE should be a string referencing an image: either an ID or an image name.\n"
            "\n"
            "Note that the image is extracted as it is stored: its dependencies are not\n"
            "rendered (see `rkt image render`).");

}  // namespace rkt::cli
