// `rkt image export [--overwrite] IMAGE OUTPUT_ACI_FILE` (rkt-notes §1.23): the stored
// uncompressed tar, so the exported file hashes to the image ID.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "command.hpp"
#include "flags.hpp"
#include "image_support.hpp"
#include "rkt/core/image/resolve.hpp"
#include "rkt/core/util/copy_tree.hpp"

namespace rkt::cli {
namespace {

/// rkt exits 1 (not 254) when only closing the written file fails.
constexpr int kExitCloseFailed = 1;

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
    std::optional<ImageContext> ctx = openImageContext(inv);
    if (!ctx) {
      return kExitFailure;
    }
    auto key = image::resolveImageArg(*ctx->store, inv.args[0]);
    if (!key) {
      return inv.fail(key.error());
    }
    auto blob = ctx->store->blob(*key);
    if (!blob) {
      return inv.fail(blob.error().wrap("error reading image"));
    }
    const int in = ::open(blob->c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) {
      return inv.fail(sysError("error reading image: cannot open `" + *blob + "`"));
    }
    const int flags = O_CREAT | O_WRONLY | O_CLOEXEC | (overwrite_ ? O_TRUNC : O_EXCL);
    const int out = ::open(output.c_str(), flags, 0644);
    if (out < 0) {
      const int err = errno;
      ::close(in);
      if (err == EEXIST) {
        return inv.fail("output ACI file exists (try --overwrite)");
      }
      return inv.fail(sysError("unable to open output ACI file " + output, err));
    }
    auto copied = util::copyFileData(in, out, "error writing to output ACI file");
    ::close(in);
    if (!copied) {
      ::close(out);
      return inv.fail(copied.error());
    }
    if (::fsync(out) != 0 || ::close(out) != 0) {
      inv.error(sysError("error closing output ACI file").message);
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
