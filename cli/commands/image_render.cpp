// `rkt image render [--rootfs-only] [--overwrite] IMAGE OUTPUT_DIR` (rkt-notes §1.23): the image
// rendered with its dependencies through the tree store, copied out.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <system_error>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "image_support.hpp"
#include "rkt/core/util/copy_tree.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "rkt/support/posix/overlay_layers.hpp"

namespace rkt::cli {
namespace {

class ImageRenderCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--rootfs-only", rootfsOnly_, "render rootfs only");
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
    const image::StoreClient& store = stored->engine.store();
    auto tree = store.render(stored->key, false);
    if (!tree) {
      return inv.fail(tree.error().wrap("error rendering ACI"));
    }

    std::optional<util::OutputDir> out = prepareOutputDir(inv, inv.args[1], overwrite_);
    if (!out) {
      return kExitFailure;
    }
    const std::string& dir = out->buildPath();
    std::string rootfsOut = dir;
    if (!rootfsOnly_) {
      if (::mkdir(dir.c_str(), 0755) != 0) {
        return inv.fail(sysError("error creating output directory"));
      }
      rootfsOut = dir + "/rootfs";
      if (Status st = writeManifest(store, stored->key, dir + "/manifest"); !st) {
        return inv.fail(st.error());
      }
    }
    // A tree found complete may have been damaged since: rkt checks its hash before copying.
    // Here the check runs on a second thread while this one copies; the copy counts only when
    // the tree proved intact, else the tree is rendered again and copied again. The check is
    // the quick one: the store reads the whole tree only when the tree's fingerprint (the
    // metadata of its entries) changed since it was rendered (docs/store.md). The store is
    // used by that thread alone until it is joined. Whatever fails, the output at the target
    // is untouched: the copy is built beside it and only put in place at the end.
    std::future<Result<image::VerifyResult>> checking =
        std::async(std::launch::async,
                   [&store, &key = stored->key] { return store.verify(key, /*quick=*/true); });
    Result<util::CopyStats> copied = copyRootfs(*tree, rootfsOut);
    Result<image::VerifyResult> check = checking.get();
    if (!check) {
      return inv.fail(check.error().wrap("error rendering ACI"));
    }
    if (check->status != image::VerifyStatus::kOk) {
      inv.error("warning: tree cache is in a bad state. Rebuilding...");
      tree = store.render(stored->key, check->status == image::VerifyStatus::kNotRendered);
      if (!tree) {
        return inv.fail(tree.error().wrap("error rendering ACI"));
      }
      std::error_code ec;
      std::filesystem::remove_all(rootfsOut, ec);
      if (ec) {
        return inv.fail(Error{"error removing the copy of a bad tree: " + ec.message()});
      }
      copied = copyRootfs(*tree, rootfsOut);
    }
    if (!copied) {
      return inv.fail(copied.error().wrap("error copying ACI rootfs"));
    }
    return commitOutputDir(inv, *out);
    return kExitOk;
  }

 private:
  // The tree's rootfs; for an image kept as layers, the merge of its stack (docs/images.md).
  static Result<util::CopyStats> copyRootfs(const image::RenderResult& tree,
                                            const std::string& out) {
    if (tree.lowerDirs.empty()) {
      return util::copyTree(tree.path + "/rootfs", out);
    }
    std::vector<std::string> stack{tree.path + "/rootfs"};
    stack.insert(stack.end(), tree.lowerDirs.begin(), tree.lowerDirs.end());
    if (::mkdir(out.c_str(), 0755) != 0) {
      return sysError("cannot create `" + out + "`");
    }
    if (Status s = posix::mergeLayers(stack, out); !s) {
      return s.error();
    }
    return util::CopyStats{};
  }

  // rkt writes the manifest as its schema library serialises it, mode 0700.
  static Status writeManifest(const image::StoreClient& store, const std::string& key,
                              const std::string& path) {
    auto text = store.manifest(key);
    if (!text) {
      return text.error().wrap("error getting manifest");
    }
    auto manifest = schema::parseImageManifest(*text);
    if (!manifest) {
      return manifest.error().wrap("error getting manifest");
    }
    auto json = schema::serializeImageManifest(*manifest);
    if (!json) {
      return json.error().wrap("error marshalling manifest");
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
    if (fd < 0) {
      return sysError("error writing image manifest");
    }
    const ssize_t n = ::write(fd, json->data(), json->size());
    const bool ok = n == static_cast<ssize_t>(json->size());
    if (::close(fd) != 0 || !ok) {
      return sysError("error writing image manifest");
    }
    return {};
  }

  bool rootfsOnly_ = false;
  bool overwrite_ = false;
};

}  // namespace

extern const CommandSpec kImageRenderCommand =
    CommandSpec("render", "Render a stored image to a directory with all its dependencies")
        .runs<ImageRenderCommand>()
        .withUsage("IMAGE OUTPUT_DIR")
        .completes(ArgCompletion::kImages)
        .withDescription(
            "IMAGE should be a string referencing an image: either an ID or an image name.\n"
            "\n"
            "The image and its dependencies are rendered into the tree store (as pods use\n"
            "them) and the result is copied to OUTPUT_DIR with a `manifest` file, or only the\n"
            "rootfs with --rootfs-only.");

}  // namespace rkt::cli
