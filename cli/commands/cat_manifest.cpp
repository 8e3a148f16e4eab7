// `rkt cat-manifest [--pretty-print=true] (UUID | --uuid-file=FILE)` (rkt-notes §1.17): the pod
// manifest, re-serialised (tab-indented unless --pretty-print=false).
#include <ostream>
#include <string>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "pod_support.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/schema/pod_manifest.hpp"

namespace rkt::cli {
namespace {

class CatManifestCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--pretty-print", prettyPrint_, "apply indent to format the output");
    addStringFlag(app, "--uuid-file", uuidFile_, "read pod UUID from file instead of argument")
        ->type_name(kFileType);
  }

  int run(Invocation& inv) override {
    std::string uuid;
    // As in rkt, --uuid-file wins over a positional argument.
    if (!uuidFile_.empty()) {
      Result<std::string> fromFile = pod::readUuidFile(uuidFile_);
      if (!fromFile)
        return inv.fail(fromFile.error().wrap("unable to resolve UUID from file"));
      uuid = *fromFile;
    } else if (inv.args.size() == 1) {
      uuid = inv.args.front();
    } else {
      return inv.usageError();
    }
    std::optional<Engine> engine = openEngine(inv);
    if (!engine)
      return kExitFailure;
    Result<pod::Pod> pod = pod::openPod(engine->podDirs(), uuid);
    if (!pod)
      return inv.fail(pod.error().wrap("problem retrieving pod"));
    Result<std::string> text = pod::readManifest(*pod);
    if (!text)
      return inv.fail(text.error().wrap("cannot read the pod manifest"));
    Result<schema::PodManifest> manifest = schema::parsePodManifest(*text);
    if (!manifest)
      return inv.fail(manifest.error().wrap("cannot read the pod manifest"));
    Result<std::string> out = schema::serializePodManifest(
        *manifest, prettyPrint_ ? schema::JsonStyle::Pretty : schema::JsonStyle::Compact);
    if (!out)
      return inv.fail(out.error().wrap("cannot read the pod manifest"));
    inv.out << *out << '\n';
    return kExitOk;
  }

 private:
  bool prettyPrint_ = true;
  std::string uuidFile_;
};

}  // namespace

extern const CommandSpec kCatManifestCommand =
    CommandSpec("cat-manifest", "Inspect and print the pod manifest")
        .runs<CatManifestCommand>()
        .withUsage("--uuid-file=FILE | UUID ...")
        .withDescription("UUID should be the UUID of a pod")
        .completes(ArgCompletion::kPods);

}  // namespace rkt::cli
