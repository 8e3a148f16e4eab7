// `rkt image gc [--grace-period=24h0m0s]` (rkt-notes §1.23, §4.9): first the rendered trees no
// pod refers to and the trees renders left incomplete (under the exclusive prepare lock), then
// images not used for the grace period and not used by a running pod.
#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "image_support.hpp"
#include "rkt/core/image/gc.hpp"
#include "rkt/core/util/duration.hpp"

namespace rkt::cli {
namespace {

std::optional<std::string> checkDuration(const std::string& v) {
  if (auto d = util::parseGoDuration(v); !d) {
    return d.error().message;
  }
  return std::nullopt;
}

class ImageGcCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addCheckedFlag(app, "--grace-period", gracePeriod_, checkDuration,
                   "duration to wait since an image was last used before removing it")
        ->type_name("DURATION");
  }

  int run(Invocation& inv) override {
    const auto grace = util::parseGoDuration(gracePeriod_);
    if (!grace) {
      return inv.fail(grace.error());
    }
    std::optional<Engine> engine = openEngineWithStore(inv);
    if (!engine) {
      return kExitFailure;
    }
    auto log = [&inv](const std::string& line) { inv.error(line); };
    if (Status st = image::gcTrees(engine->store(), engine->dataDir(), log); !st) {
      return inv.fail(st.error().wrap("failed to remove unreferenced treestores"));
    }
    auto running = image::runningImageIds(engine->dataDir(), log);
    if (!running) {
      return inv.fail(running.error());
    }
    if (!running->complete) {
      return kExitOk;  // a running pod's images are unknown: keep every image (warned above)
    }
    auto images = engine->store().list();
    if (!images) {
      return inv.fail(images.error().wrap("failed to get aciinfos"));
    }
    const std::vector<std::string> candidates =
        image::gcImageCandidates(*images, *grace, running->ids);
    if (candidates.empty()) {
      return kExitOk;
    }
    // A concurrent `image rm` or `image gc` removing one of them first is no failure.
    return removeImages(inv, *engine, candidates, MissingImages::kGone);
  }

 private:
  std::string gracePeriod_ = "24h0m0s";
};

}  // namespace

extern const CommandSpec kImageGcCommand =
    CommandSpec("gc", "Garbage collect local store")
        .runs<ImageGcCommand>()
        .completes(ArgCompletion::kNothing)
        .withDescription(
            "Removes rendered trees that no pod uses (and trees renders left incomplete), then\n"
            "images that were not used within the grace period and are not used by a running pod.\n"
            "This is intended to be run periodically from a timer or cron job.");

}  // namespace rkt::cli
