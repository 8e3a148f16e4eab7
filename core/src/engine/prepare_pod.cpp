// `rkt prepare` (rkt-notes §1.8) and the preparation `rkt run` starts with (§1.7): from images
// (or --pod-manifest) to a pod directory in prepare/, then for `prepare` on to prepared/.
#include "prepare_pod.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "rkt/core/image/finder.hpp"
#include "rkt/core/stage0/manifest_gen.hpp"
#include "rkt/core/stage1/selection.hpp"
#include "rkt/core/stage1/stage1_client.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/os_arch.hpp"
#include "rkt/schema/pod_manifest.hpp"
#include "stage1_image.hpp"

namespace rkt {
namespace engine {
namespace {

// rkt's prepareLock: held shared while a pod is prepared, so `image gc` (exclusive) does not
// remove trees a preparation is about to use.
class PrepareLock {
 public:
  explicit PrepareLock(const std::string& dataDir) {
    const std::string dir = dataDir + "/locks";
    ::mkdir(dir.c_str(), 0750);
    fd_ = ::open((dir + "/prepareLock").c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ >= 0) {
      while (::flock(fd_, LOCK_SH) != 0 && errno == EINTR) {
      }
    }
  }
  ~PrepareLock() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  PrepareLock(const PrepareLock&) = delete;
  PrepareLock& operator=(const PrepareLock&) = delete;

 private:
  int fd_ = -1;
};

Result<std::string> readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return sysError("error reading pod manifest `" + path + "`");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One app image: its manifest from the store, checked for os/arch, and its rendered tree.
Result<stage0::PreparedApp> prepareImage(const image::StoreClient& store, const std::string& key,
                                         schema::ImageManifest& manifest) {
  stage0::PreparedApp app;
  app.imageId = key;
  Result<std::string> json = store.manifest(key);
  if (!json)
    return json.error().wrap("error getting the manifest");
  Result<schema::ImageManifest> parsed = schema::parseImageManifest(*json);
  if (!parsed)
    return parsed.error().wrap("error getting the manifest");
  if (Status s = schema::checkRktOsArch(parsed->labels); !s)
    return s.error().wrap("error preparing image " + key);
  Result<image::RenderResult> tree = store.render(key, false);
  if (!tree)
    return tree.error().wrap("error preparing image " + key + ": error rendering tree image");
  if (Status s = checkTree(store, key); !s)
    return s.error();
  app.manifestJson = std::move(*json);
  app.treeId = tree->treeId;
  app.treePath = tree->path;
  app.lowerDirs = tree->lowerDirs;
  manifest = std::move(*parsed);
  return app;
}

Result<std::unique_ptr<stage1::Stage1>> selectStage1(Engine& engine, const Stage1Choice& choice,
                                                     PodPurpose purpose) {
  const bool runFollows = purpose == PodPurpose::kRun;
  engine.log(LogKind::kDebug, "stage1 flavor: " + choice.flavor +
                                  (choice.imageKey ? ", image " + *choice.imageKey : ""));
  if (choice.flavor != stage1::kImageFlavor || !choice.imageKey)
    return engine.openStage1(choice.flavor, stage1::stage1Config(runFollows));
  Result<std::string> manifest = engine.store().manifest(*choice.imageKey);
  if (!manifest)
    return manifest.error().wrap("error getting the stage1 image manifest");
  return engine.openStage1(choice.flavor, stage1::stage1Config(runFollows, *manifest));
}

// rkt's stage0.Prepare step 2: the stage1 image rendered into the tree store (always, as rkt),
// its tree checked, and what the pod records of it.
Result<stage0::Stage1Image> prepareStage1Image(const image::StoreClient& store,
                                               const Stage1Choice& choice) {
  const std::string& key = *choice.imageKey;
  stage0::Stage1Image image;
  image.imageId = key;
  Result<std::string> json = store.manifest(key);
  if (!json)
    return json.error().wrap("error getting the stage1 image manifest");
  Result<image::RenderResult> tree = store.render(key, false);
  if (!tree)
    return tree.error().wrap("error rendering tree for stage1 image " + key);
  if (Status s = checkTree(store, key); !s)
    return s.error();
  image.manifestJson = std::move(*json);
  image.treeId = tree->treeId;
  image.treePath = tree->path;
  image.isRootfs = choice.flavor == stage1::kImageFlavor;
  return image;
}

}  // namespace

Status checkTree(const image::StoreClient& store, const std::string& key) {
  Result<image::VerifyResult> checked = store.verify(key, true, true);
  if (!checked)
    return checked.error().wrap("cannot verify the tree cache for image " + key);
  if (checked->status == image::VerifyStatus::kDamaged)
    return Error{"tree cache verification failed for image " + key +
                 ": the rendered tree does not match its recorded hash (`rkt image verify " + key +
                 "` renders it again)"};
  return {};
}

Result<PreparedPod> preparePod(Engine& engine, const PrepareOptions& options,
                               pod::Durability durability, PodPurpose purpose) {
  // The store before the stage1, as rkt reports a store it cannot open first.
  if (Status s = engine.openStore(); !s)
    return s.error();
  Result<Stage1Choice> choice = chooseStage1(engine, options.stage1);
  if (!choice)
    return choice.error();
  Result<std::unique_ptr<stage1::Stage1>> selected = selectStage1(engine, *choice, purpose);
  if (!selected)
    return selected.error();
  const stage1::Stage1& stage1 = **selected;
  const image::StoreClient& store = engine.store();
  Result<stage1::Capabilities> caps = stage1.describe();
  if (!caps)
    return caps.error();

  // The images first: nothing is created on disk for an image that cannot be found.
  stage0::AppList appList = options.apps;
  std::vector<std::string> keys;
  std::string podManifestBytes;
  std::optional<schema::PodManifest> userManifest;
  if (!options.podManifest.empty()) {
    Result<std::string> bytes = readWholeFile(options.podManifest);
    if (!bytes)
      return bytes.error();
    Result<schema::PodManifest> pm = schema::parsePodManifest(*bytes);
    if (!pm)
      return pm.error().wrap("error unmarshaling pod manifest");
    for (const schema::RuntimeApp& ra : pm->apps) {
      if (ra.image.id.empty())
        return Error{"no image ID for app \"" + ra.name + "\""};
      Result<std::optional<std::string>> key = store.resolveId(ra.image.id);
      if (!key)
        return key.error().wrap("error getting the image manifest from store");
      if (!*key)
        return Error{"error getting the image manifest from store: image `" + ra.image.id +
                     "` is not in the store"};
      keys.push_back(**key);
    }
    podManifestBytes = std::move(*bytes);
    userManifest = std::move(*pm);
  } else {
    Result<std::unique_ptr<image::Finder>> finder =
        engine.imageFinder(FindOptions{options.pullPolicy, false});
    if (!finder)
      return finder.error();
    for (stage0::AppSpec& app : appList.apps) {
      Result<std::string> key = (*finder)->findImage(app.image, app.signature);
      if (!key)
        return key.error();
      app.imageId = *key;
      keys.push_back(*key);
    }
  }
  const std::size_t appCount = keys.size();
  // rkt's run says so (after preparing; here before the pod exists), ahead of any stage1's
  // own limits.
  if (appCount == 0 && purpose == PodPurpose::kRun)
    return Error{"pod must contain at least one application"};
  if (caps->maxApps > 0 && appCount > static_cast<std::size_t>(caps->maxApps))
    return Error{stage1.flavor() + " only supports " + std::to_string(caps->maxApps) +
                 " application" + (caps->maxApps == 1 ? "" : "s") + " per Pod for now"};

  Result<pod::Pod> pod = pod::Pod::create(engine.podDirs(), durability);
  if (!pod)
    return pod.error().wrap("error creating new pod");
  if (!options.uuidFileSave.empty()) {
    if (Status s = pod::writeUuidFile(options.uuidFileSave, pod->uuid()); !s)
      return s.error().wrap("error saving pod UUID to file");
  }

  const std::string reason =
      options.noOverlay ? "" : stage0::overlayUnusableReason(engine.dataDir());
  const bool overlay = !options.noOverlay && reason.empty();
  if (!options.noOverlay && !reason.empty())
    engine.log(LogKind::kNotice, "disabling overlay support: \"" + reason + "\"");
  if (options.privateUsers && !caps->userNamespaces)
    return Error{"--private-users is not supported by stage1 `" + stage1.flavor() + "`"};

  PrepareLock prepareLock(engine.dataDir());
  std::optional<stage0::Stage1Image> stage1Image;
  if (choice->imageKey) {
    Result<stage0::Stage1Image> image = prepareStage1Image(store, *choice);
    if (!image)
      return image.error();
    stage1Image = std::move(*image);
  }
  // Chosen under the prepare lock and recorded before it is released: two pods never share one.
  std::optional<pod::UidRange> privateUsers;
  if (options.privateUsers) {
    Result<pod::UidRange> range = pod::choosePrivateUsers(engine.podDirs());
    if (!range)
      return range.error();
    privateUsers = *range;
  }
  std::vector<stage0::PreparedApp> apps;
  std::vector<stage0::ResolvedImage> resolved;
  for (std::size_t i = 0; i < appCount; ++i) {
    schema::ImageManifest manifest;
    Result<stage0::PreparedApp> app = prepareImage(store, keys[i], manifest);
    if (!app)
      return app.error();
    apps.push_back(std::move(*app));
    resolved.push_back({keys[i], std::move(manifest)});
  }

  if (userManifest) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < appCount; ++i) {
      const schema::RuntimeApp& ra = userManifest->apps[i];
      if (!names.insert(ra.name).second)
        return Error{"multiple apps with same name " + ra.name};
      if (!ra.app && !resolved[i].manifest.app)
        return Error{"no app section in the pod manifest or the image manifest"};
      apps[i].name = ra.name;
    }
  } else {
    stage0::PodEnvironment env;
    env.inheritEnv = options.inheritEnv;
    if (options.inheritEnv)
      env.inherited = stage0::processEnvironment();
    env.fromFile = options.setEnvFile;
    env.explicitEnv = options.setEnv;
    stage0::ManifestOptions manifestOptions;
    manifestOptions.acVersion = RKT_VERSION_STRING;
    manifestOptions.callerUid = ::getuid();
    manifestOptions.callerGid = ::getgid();
    manifestOptions.ports = options.ports;
    Result<schema::PodManifest> pm =
        stage0::generatePodManifest(appList, resolved, env, manifestOptions);
    if (!pm)
      return pm.error();
    for (std::size_t i = 0; i < appCount; ++i)
      apps[i].name = pm->apps[i].name;
    Result<std::string> bytes = schema::serializePodManifest(*pm);
    if (!bytes)
      return bytes.error().wrap("error marshalling pod manifest");
    podManifestBytes = std::move(*bytes);
  }

  stage0::PrepareSpec spec;
  spec.podDir = pod->path();
  spec.manifestJson = std::move(podManifestBytes);
  spec.flavor = stage1.flavor();
  spec.useOverlay = overlay;
  spec.apps = apps;
  spec.stage1Image = stage1Image;
  spec.privateUsers = privateUsers;
  if (Status s = stage0::preparePodDir(spec); !s)
    return s.error().wrap("error setting up stage0");
  return PreparedPod{std::move(*selected), std::move(*pod), std::move(apps), overlay,
                     std::move(stage1Image)};
}

}  // namespace engine

Result<pod::Uuid> Engine::prepare(const PrepareOptions& options) {
  Result<engine::PreparedPod> prepared =
      engine::preparePod(*this, options, pod::Durability::Synced, engine::PodPurpose::kPrepare);
  if (!prepared)
    return prepared.error();
  pod::Pod& pod = prepared->pod;
  // rkt's Pod.Sync: the prepared pod's files are durable before it shows as prepared
  // (syncfs of the filesystem holding it, not a machine-wide sync).
  if (::syncfs(pod.dirFd()) != 0)
    return sysError("failed to sync pod " + pod.uuid().str() + " data");
  if (Status s = pod.toPrepared(); !s)
    return s.error().wrap("error transitioning to prepared");
  return pod.uuid();
}

}  // namespace rkt
