// `rkt image export [--overwrite] IMAGE OUTPUT_ACI_FILE` (rkt-notes §1.23): the stored
// uncompressed tar, so the exported file hashes to the image ID.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "image_support.hpp"
#include "rkt/core/util/copy_tree.hpp"
#include "rkt/core/util/output_path.hpp"

namespace rkt::cli {
namespace {

/// rkt exits 1 (not 254) when only closing the written file fails.
constexpr int kExitCloseFailed = 1;
constexpr const char* kExists = "output ACI file exists (try --overwrite)";

class ImageExportCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--overwrite", overwrite_, "overwrite output ACI");
  }

  int run(Invocation& inv) override {
    if (inv.args.size() != 2) {
      return inv.usageError();
    }
    const std::string& output = inv.args[1];
    std::optional<StoredImage> stored = openStoredImage(inv, inv.args[0]);
    if (!stored) {
      return kExitFailure;
    }
    auto blob = stored->engine.store().blob(stored->key);
    if (!blob) {
      return inv.fail(blob.error().wrap("error reading image"));
    }
    const int in = ::open(blob->c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) {
      return inv.fail(sysError("error reading image: cannot open `" + *blob + "`"));
    }
    // Written beside the output and renamed over it: never through a symlink planted there.
    auto out = util::OutputFile::create(output, overwrite_);
    if (!out) {
      ::close(in);
      if (out.error().sysErrno == EEXIST) {
        return inv.fail(kExists);
      }
      return inv.fail(out.error().wrap("unable to open output ACI file " + output));
    }
    auto copied = util::copyFileData(in, out->fd(), "error writing to output ACI file");
    ::close(in);
    if (!copied) {
      return inv.fail(copied.error());
    }
    if (Status placed = out->commit(); !placed) {
      if (placed.error().sysErrno == EEXIST) {
        return inv.fail(kExists);
      }
      inv.error(placed.error().wrap("error closing output ACI file").message);
      return kExitCloseFailed;
    }
    return kExitOk;
  }

 private:
  bool overwrite_ = false;
};

}  // namespace

extern const CommandSpec kImageExportCommand =
    CommandSpec("export", "Export a stored image to an ACI file")
        .runs<ImageExportCommand>()
        .withUsage("IMAGE OUTPUT_ACI_FILE")
        .completes(ArgCompletion::kImages)
        .withDescription(
            "IMAGE should be a string referencing an image: either an ID or an image name.\n"
            "\n"
            "Note that images must be fetched prior to running export and that this command\n"
            "always returns uncompressed ACIs.");

}  // namespace rkt::cli
