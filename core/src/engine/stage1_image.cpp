#include "stage1_image.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "rkt/core/image/finder.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "util/executable_dir.hpp"

namespace rkt::engine {
namespace {

namespace fs = std::filesystem;
using stage1::Stage1Flags;

// rkt's fileFetcher words for an ACI file it cannot open (Go's *PathError text, lowercase as
// Go prints it), before any signature is looked for.
Status checkAciFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    std::string reason = std::strerror(err);
    if (!reason.empty())
      reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
    return Error{"error opening ACI file: open " + path + ": " + reason, err};
  }
  ::close(fd);
  return {};
}

class Stage1Finder {
 public:
  explicit Stage1Finder(Engine& engine) : engine_(engine) {}

  // One image through a finder set up as rkt's getStage1Finder: pull policy `policy`, no
  // dependencies, no signature check for a trusted location.
  Result<std::string> find(const std::string& image, image::PullPolicy policy, bool trusted) {
    FindOptions options;
    options.pullPolicy = policy;
    options.withDeps = false;
    options.trustedLocation = trusted;
    Result<std::unique_ptr<image::Finder>> finder = engine_.imageFinder(options);
    if (!finder)
      return finder.error();
    return (*finder)->findImage(image);
  }

  // A local file (always imported again).
  Result<std::string> fromFile(const std::string& path, bool trusted) {
    if (Status s = checkAciFile(path); !s)
      return s.error();
    return find(path, image::PullPolicy::kNew, trusted);
  }

  // The flavor of image `key`, from the name in its manifest.
  Result<Stage1Choice> choice(const std::string& key) {
    Result<std::string> json = engine_.store().manifest(key);
    if (!json)
      return json.error().wrap("error getting the stage1 image manifest");
    Result<schema::ImageManifest> manifest = schema::parseImageManifest(*json);
    if (!manifest)
      return manifest.error().wrap("error getting the stage1 image manifest");
    return Stage1Choice{stage1::flavorForImageName(manifest->name), key};
  }

  Result<Stage1Choice> choice(const Result<std::string>& key) {
    if (!key)
      return key.error();
    return choice(*key);
  }

  // A name: a built-in flavor's name needs no image but uses one the store has; any other name
  // comes from the store or discovery.
  Result<Stage1Choice> byName(const std::string& name) {
    if (std::optional<std::string> builtin = stage1::builtinFlavorForName(name)) {
      Result<std::string> stored = find(name, image::PullPolicy::kNever, false);
      if (stored)
        return Stage1Choice{*builtin, *stored};
      return Stage1Choice{*builtin, std::nullopt};
    }
    return choice(find(name, image::PullPolicy::kNew, false));
  }

  // rkt's getStage1HashFromPath for a configured absolute location: the file, else the file of
  // the same name next to the rkt binary (unsigned).
  Result<Stage1Choice> fromConfiguredPath(const std::string& location, bool trusted) {
    Result<std::string> key = fromFile(location, trusted);
    if (key)
      return choice(*key);
    const std::string dir = util::executableDir();
    if (dir.empty())
      return key.error().wrap("failed to fetch stage1 image");
    const std::string fallback = (fs::path(dir) / fs::path(location).filename()).string();
    Result<std::string> second = fromFile(fallback, true);
    if (second)
      return choice(*second);
    return second.error()
        .wrap(key.error().message)
        .wrap(
            "failed to fetch stage1 image and failed to fall back to stage1 image in the rkt "
            "directory");
  }

 private:
  Engine& engine_;
};

}  // namespace

Result<Stage1Choice> chooseStage1(Engine& engine, const Stage1Flags& flags) {
  Stage1Finder finder(engine);
  const std::string trustedDir = stage1::defaultImagesDir();
  switch (flags.kind) {
    case Stage1Flags::Kind::kPath:
    case Stage1Flags::Kind::kFromDir: {
      std::string path = flags.location;
      if (flags.kind == Stage1Flags::Kind::kFromDir)
        path = (fs::path(stage1::imagesDir(engine.config().paths)) / path).string();
      std::error_code ec;
      path = fs::absolute(path, ec).lexically_normal().string();
      return finder.choice(finder.fromFile(path, stage1::isTrustedLocation(path, trustedDir)));
    }
    case Stage1Flags::Kind::kUrl:
      return finder.choice(finder.find(flags.location, image::PullPolicy::kNew, false));
    case Stage1Flags::Kind::kName:
      return finder.byName(flags.location);
    case Stage1Flags::Kind::kHash:
      return finder.choice(finder.find(flags.location, image::PullPolicy::kNever, false));
    case Stage1Flags::Kind::kUnset:
      break;
  }
  const config::Stage1& configured = engine.config().stage1;
  if (!configured.name.empty()) {
    const std::string ref = configured.name + ":" + configured.version;
    const bool dirty = ref.size() >= 6 && ref.compare(ref.size() - 6, 6, "-dirty") == 0;
    if (!dirty) {
      Result<std::string> stored = finder.find(ref, image::PullPolicy::kNever, false);
      if (stored)
        return finder.choice(*stored);
    }
    if (configured.location.empty()) {
      if (std::optional<std::string> builtin = stage1::builtinFlavorForName(configured.name))
        return Stage1Choice{*builtin, std::nullopt};
      return Error{
          "neither the location of the default stage1 image nor its filename are set, use "
          "--stage1-{path,url,name,hash,from-dir} flag"};
    }
  }
  const std::string& location = configured.location;
  if (location.empty())
    return Stage1Choice{std::string(stage1::defaultFlavor()), std::nullopt};
  const bool trusted = stage1::isTrustedLocation(location, trustedDir);
  if (location.front() == '/')
    return finder.fromConfiguredPath(location, trusted);
  return finder.choice(finder.find(location, image::PullPolicy::kNew, trusted));
}

}  // namespace rkt::engine
