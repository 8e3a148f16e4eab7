// The engine: rkt's pod and image lifecycle as a library. An Engine is one opened context (the
// configuration, the data directory, the plugin registry, the store), built in one place, with
// the operations every front end calls: the CLI (which only parses flags and prints), `rkt app
// …`, the api-service and tests. crun's `libcrun_container_run` behind its `src/run.c` is the
// model.
//
//   EngineOptions options;
//   options.configDirs = {"/usr/lib/rkt", "/etc/rkt", ""};
//   options.log = [](LogKind kind, const std::string& line) { std::cerr << line << '\n'; };
//   Result<Engine> engine = Engine::open(std::move(options));
//   Result<pod::Uuid> uuid = engine->prepare(prepareOptions);     // `rkt prepare`
//   Result<int> status = engine->runPrepared(uuid->str(), runOptions);
//
// Errors come back as values carrying rkt's messages; what is printed along the way (notices,
// image progress, --debug lines) goes through EngineOptions::log. Nothing here writes to
// stdout or stderr itself.
#ifndef RKT_CORE_ENGINE_HPP
#define RKT_CORE_ENGINE_HPP

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rkt/core/config.hpp"
#include "rkt/core/image/finder.hpp"
#include "rkt/core/image/store_client.hpp"
#include "rkt/core/insecure_options.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/result.hpp"
#include "rkt/core/stage0/app_list.hpp"
#include "rkt/core/stage0/dns.hpp"
#include "rkt/core/stage1/selection.hpp"
#include "rkt/core/stage1/stage1.hpp"
#include "rkt/core/trust/http_get.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::plugin {
class PluginRegistry;
}

namespace rkt {

/// What a line the engine reports is (rkt prints all of them on stderr).
enum class LogKind {
  kNotice,  ///< for the user, as the command's own line ("disabling overlay support: …")
  kDebug,   ///< only with --debug (the engine sends them only when EngineOptions::debug)
  kImage,   ///< progress of finding and fetching images (rkt prefixes it "image: ")
};
using LogSink = std::function<void(LogKind kind, const std::string& line)>;

/// How the engine reaches a stage1 flavor: Stage1Client::open by default. A test seam.
using Stage1Opener = std::function<Result<std::unique_ptr<stage1::Stage1>>(
    plugin::PluginRegistry& registry, const std::string& flavor)>;

/// What rkt's global flags say: where the configuration and data are, and how to fetch.
struct EngineOptions {
  config::Dirs configDirs;
  /// --dir; nullopt: the paths.d `data` directory, else /var/lib/rkt.
  std::optional<std::string> dataDir;
  InsecureOptions insecure;
  bool trustKeysFromHttps = false;
  bool debug = false;
  std::chrono::milliseconds httpStallTimeout = trust::kDefaultHttpStallTimeout;
  /// Receives every line the engine reports; may be empty.
  LogSink log;
  /// Called right before a stage1 op that may replace the process (fly's run, enter): the
  /// front end flushes what it buffered. May be empty.
  std::function<void()> flush;
  /// Empty: stage1 flavors are plugins (Stage1Client::open).
  Stage1Opener openStage1;
};

/// What `rkt prepare` and `rkt run` say about the pod to create (their flags, checked).
struct PrepareOptions {
  stage1::Stage1Flags stage1;  ///< --stage1-*: which flavor
  stage0::AppList apps;        ///< images, per-app flags, --volume, pod-wide --mount
  std::vector<schema::ExposedPort> ports;
  /// --pod-manifest: a pod manifest file instead of `apps` (their images must be in the store).
  std::string podManifest;
  image::PullPolicy pullPolicy = image::PullPolicy::kNew;
  bool inheritEnv = false;
  schema::Environment setEnv;      ///< --set-env
  schema::Environment setEnvFile;  ///< --set-env-file contents
  bool noOverlay = false;
  bool privateUsers = false;
  /// --uuid-file-save: the new pod's UUID is written there once the pod exists ("" = not).
  std::string uuidFileSave;
};

/// What `rkt run` and `rkt run-prepared` say about running a pod.
struct RunOptions {
  std::string net = "default";
  bool interactive = false;
  std::string hostname;  ///< "" = "rkt-<uuid>"
  std::string ipc;       ///< "" = the protocol's default
  stage0::DnsConfig dns;
};

/// `rkt enter`: a command in one app of a running pod whose pid 1 is `pid`.
struct EnterOptions {
  pid_t pid = 0;
  std::string app;
  std::vector<std::string> command;
  bool interactive = false;  ///< stdin is a terminal
};

/// How removeImages treats an image that is not (or no longer) in the store.
enum class MissingImages {
  kError,  ///< `rkt image rm`: an error
  /// `rkt image gc`, whose arguments are keys it just listed: a concurrent remover got there
  /// first, which is what gc wanted; neither an error nor counted as removed.
  kGone,
};

/// The counts rkt's rmImages summarises.
struct RemovedImages {
  int removed = 0;  ///< removed, stale ones included
  int stale = 0;    ///< removed but some files stayed
  int failed = 0;   ///< could not be resolved or removed
};

/// How an image finder fetches: `rkt fetch`, and the images of `rkt run`/`prepare`.
struct FindOptions {
  image::PullPolicy pullPolicy = image::PullPolicy::kNew;
  /// Render every fetched image into the tree store.
  bool render = false;
  /// Bring in the images' dependencies (rkt's stage1 finder does not).
  bool withDeps = true;
  /// The image comes from a trusted stage1 location: no signature check.
  bool trustedLocation = false;
};

class Engine {
 public:
  /// Loads the configuration ("cannot get configuration: …") and resolves the data directory
  /// ("cannot get the data directory: …"). Plugins and the store are opened on first use.
  static Result<Engine> open(EngineOptions options);

  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;
  ~Engine();

  const EngineOptions& options() const;
  const config::Config& config() const;
  const std::string& dataDir() const;
  const pod::PodDirs& podDirs() const;
  /// The plugin registry on the configured search path; created on first use.
  plugin::PluginRegistry& registry();

  /// Opens the `cas` store on the data directory once ("cannot open store: …").
  Status openStore();
  /// The open store. Precondition: openStore() succeeded.
  const image::StoreClient& store() const;

  /// A finder on the store (opened first) with the engine's trust settings and log.
  Result<std::unique_ptr<image::Finder>> imageFinder(const FindOptions& options);

  /// Stage1 flavor `flavor` (EngineOptions::openStage1, else its plugin):
  /// "cannot load stage1 `<flavor>`: …".
  /// `configJson` is the plugin instance's configuration (EngineOptions::openStage1 ignores it).
  Result<std::unique_ptr<stage1::Stage1>> openStage1(const std::string& flavor,
                                                     const std::string& configJson = "{}");
  /// The stage1 that prepared `pod` (its `flavor` entry, else the default flavor). `runFollows`:
  /// it is opened to run the pod (stage1::stage1Config).
  Result<std::unique_ptr<stage1::Stage1>> stage1ForPod(const pod::Pod& pod,
                                                       bool runFollows = false);

  // ---- pods (rkt-notes §1.7–§1.13) ----

  /// `rkt prepare`: finds the images, creates the pod, renders and writes it, and leaves it in
  /// prepared/ (durably). Returns its UUID.
  Result<pod::Uuid> prepare(const PrepareOptions& prepare);

  /// `rkt run`: prepare() without the durability, then the pod runs at once. Returns the pod's
  /// exit status (fly does not return on success); a failure before the stage1 ran is an error.
  Result<int> run(const PrepareOptions& prepare, const RunOptions& run);

  /// `rkt run-prepared`: runs the prepared pod `uuid` (a UUID or unique prefix) from the trees
  /// it was prepared with, re-rendering them where the store still has the image and using the
  /// recorded tree where `image gc` removed it. Of several racing for one pod exactly one runs it.
  Result<int> runPrepared(const std::string& uuid, const RunOptions& run);

  /// `rkt enter`: the stage1's `enter` op on a running pod. Returns the command's exit status.
  Result<int> enter(const pod::Pod& pod, const EnterOptions& options);

  /// `rkt stop`: the stage1's `stop` op (`force`: kill).
  Status stop(const pod::Pod& pod, bool force);

  /// The first step of rkt's deletePod for a pod in exited-garbage/ (one that ran): the stage1's
  /// gc op. A failure, a missing plugin or a missing op is reported through the log (the last
  /// only with --debug) and the deletion goes on, as in rkt. Pods in garbage/ never ran.
  void releaseStage1(const pod::Pod& pod);

  /// rkt's deletePod (`rkt rm`): releaseStage1, then pod::deletePod (unmount everything below
  /// the pod, remove it). "unable to remove pod \"<uuid>\": …" on failure.
  Status removePod(pod::Pod& pod);

  // ---- images (rkt-notes §1.23) ----

  /// rkt's rmImages: resolves each argument (image ID prefix, or image name meaning every image
  /// of that name) and removes each image once. Each image removed is passed to `removed` (rkt
  /// prints it on stdout); each problem is a kNotice line. Opens the store first; a store that
  /// cannot be opened is an error.
  Result<RemovedImages> removeImages(const std::vector<std::string>& images, MissingImages missing,
                                     const std::function<void(const std::string& key)>& removed);

  /// Reports a line through EngineOptions::log; kDebug lines only with --debug.
  void log(LogKind kind, const std::string& line) const;
  /// EngineOptions::flush, before the process may be handed over.
  void flushOutput() const;

 private:
  struct State;
  explicit Engine(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace rkt

#endif  // RKT_CORE_ENGINE_HPP
