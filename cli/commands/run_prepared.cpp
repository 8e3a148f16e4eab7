// `rkt run-prepared [flags] UUID` (rkt-notes §1.9): runs a pod `rkt prepare` left in prepared/.
// Of several run-prepared racing for one pod exactly one runs it; the others fail.
#include <fcntl.h>
#include <unistd.h>

#include <ostream>

#include "command.hpp"
#include "pod_run_support.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/core/stage0/pod_setup.hpp"
#include "rkt/core/stage1/stage1_client.hpp"
#include "rkt/schema/pod_manifest.hpp"
#include "run_flags.hpp"

namespace rkt::cli {
namespace {

class RunPreparedCommand : public Command {
 public:
  void addFlags(CLI::App& app) override { addRunFlags(app, flags_, kForRunPrepared); }

  int run(Invocation& inv) override {
    if (inv.args.size() != 1)
      return inv.usageError();
    Result<stage0::DnsConfig> dns = stage0::parseDnsFlags(flags_.dns);
    if (!dns)
      return inv.fail(dns.error());
    std::optional<ImageContext> images = openImageContext(inv);
    if (!images)
      return kExitFailure;
    pod::PodDirs dirs(images->dataDir);
    Result<pod::Pod> pod = pod::openPod(dirs, inv.args[0]);
    if (!pod)
      return inv.fail(pod.error());
    if (pod->state() != pod::State::Prepared)
      return inv.fail("pod \"" + pod->uuid().str() + "\" is not prepared");

    Result<stage1::Stage1Client> client = stage1::Stage1Client::forPod(*images->registry, *pod);
    if (!client)
      return inv.fail(client.error());
    RunContext ctx{std::move(*images), std::move(*client), true};

    Result<std::string> manifestJson = readAt(pod->dirFd(), pod::layout::kPodManifest);
    if (!manifestJson)
      return inv.fail(manifestJson.error());
    Result<schema::PodManifest> manifest = schema::parsePodManifest(*manifestJson);
    if (!manifest)
      return inv.fail(manifest.error().wrap("cannot read the pod manifest"));
    if (flags_.interactive && manifest->apps.size() > 1)
      return inv.fail("interactive option only supports pods with one app");
    ctx.overlay = ::faccessat(pod->dirFd(), pod::layout::kOverlayPrepared, F_OK, 0) == 0;
    if (ctx.overlay) {
      const std::string reason = stage0::overlayUnusableReason(ctx.images.dataDir);
      if (!reason.empty())
        return inv.fail("unable to run prepared overlay-enabled pod: overlay not supported");
    }

    pod->setDurability(pod::Durability::Unsynced);
    if (Status s = pod->toRun(); !s)
      return inv.fail(s.error().wrap("error transitioning to run"));

    std::vector<std::string> names;
    for (const schema::RuntimeApp& ra : manifest->apps)
      names.push_back(ra.name);
    Result<std::vector<stage0::PreparedApp>> apps = stage0::readPreparedApps(pod->path(), names);
    if (!apps)
      return inv.fail(apps.error());
    if (ctx.overlay) {
      for (stage0::PreparedApp& app : *apps) {
        Result<image::RenderResult> tree = ctx.images.store->render(app.imageId, false);
        if (tree) {
          app.treePath = tree->path;
          app.treeId = tree->treeId;
          continue;
        }
        // As rkt, a prepared pod runs from the tree it recorded: `image gc` may have removed
        // the image (no running pod used it) and kept the tree (this pod refers to it).
        std::optional<std::string> recorded = recordedTreePath(*ctx.images.store, app.treeId);
        if (!recorded)
          return inv.fail(tree.error().wrap("error rendering tree image"));
        app.treePath = *recorded;
      }
    }
    return runPod(inv, flags_, ctx, *pod, *apps, ctx.overlay, *dns);
  }

 private:
  static std::optional<std::string> recordedTreePath(const image::StoreClient& store,
                                                     const std::string& treeId) {
    if (treeId.empty())
      return std::nullopt;
    Result<std::vector<image::TreeRecord>> trees = store.listTrees();
    if (!trees)
      return std::nullopt;
    for (const image::TreeRecord& t : *trees) {
      if (t.treeId == treeId)
        return t.path;
    }
    return std::nullopt;
  }

  static Result<std::string> readAt(int dirFd, const char* name) {
    const int fd = ::openat(dirFd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
      return sysError(std::string("cannot open the pod's `") + name + "`");
    std::string out;
    char buf[8192];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
      out.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return out;
  }

  RunFlags flags_;
};

}  // namespace

extern const CommandSpec kRunPreparedCommand =
    CommandSpec("run-prepared", "Run a prepared application pod in rkt")
        .runs<RunPreparedCommand>()
        .withUsage("UUID")
        .withTraits(kNeedsRoot)
        .completes(ArgCompletion::kPods)
        .withDescription("UUID must have been acquired via `rkt prepare`");

}  // namespace rkt::cli
