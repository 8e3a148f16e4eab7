// `rkt image rm IMAGE…` (rkt-notes §1.23): image IDs (unique prefixes) or image names (every
// image of that name).
#include "command.hpp"
#include "engine_support.hpp"
#include "image_support.hpp"

namespace rkt::cli {
namespace {

class ImageRmCommand : public Command {
 public:
  int run(Invocation& inv) override {
    if (inv.args.empty()) {
      return inv.fail("must provide at least one image ID");
    }
    std::optional<Engine> engine = openEngineWithStore(inv);
    if (!engine) {
      return kExitFailure;
    }
    return removeImages(inv, *engine, inv.args);
  }
};

}  // namespace

extern const CommandSpec kImageRmCommand =
    CommandSpec("rm",
                "Remove one or more images with the given IDs or image names from the "
                "local store")
        .runs<ImageRmCommand>()
        .withUsage("IMAGEID...")
        .completes(ArgCompletion::kImages);

}  // namespace rkt::cli
