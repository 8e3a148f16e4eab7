#include "rkt/support/appexec/pod_files.hpp"

#include <fcntl.h>

#include "rkt/base/quote.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::appexec {

namespace {

std::string readWholeFile(const std::string& path) {
  return posix::valueOrThrow(posix::readFileAt(AT_FDCWD, path, /*followSymlink=*/true));
}

}  // namespace

schema::PodManifest readPodManifest(const std::string& podDir) {
  const std::string path = podDir + "/" + protocol::layout::kPodManifest;
  Result<schema::PodManifest> manifest = schema::parsePodManifest(readWholeFile(path));
  if (!manifest) {
    fail(RKT_E_INVALID, "cannot load pod manifest `" + path + "`: " + manifest.error().message);
  }
  if (Status reified = schema::checkPodReified(*manifest); !reified) {
    fail(RKT_E_INVALID, "cannot load pod manifest `" + path + "`: " + reified.error().message);
  }
  return std::move(*manifest);
}

schema::ImageManifest readAppImageManifest(const std::string& podDir, const std::string& app) {
  const std::string path = podDir + "/" + protocol::layout::appImageManifest(app);
  Result<schema::ImageManifest> image = schema::parseImageManifest(readWholeFile(path));
  if (!image) {
    fail(RKT_E_INVALID, "cannot load image manifest `" + path + "`: " + image.error().message);
  }
  return std::move(*image);
}

std::string imageNameOf(const schema::RuntimeApp& runtimeApp, const schema::ImageManifest& image) {
  return runtimeApp.image.name.empty() ? image.name : runtimeApp.image.name;
}

schema::App effectiveApp(const schema::RuntimeApp& runtimeApp, const schema::ImageManifest& image) {
  schema::App app;
  if (runtimeApp.app) {
    app = *runtimeApp.app;
  } else if (image.app) {
    app = *image.app;
  }
  if (app.exec.empty()) {
    fail(RKT_E_INVALID, "image " + goQuote(imageNameOf(runtimeApp, image)) +
                            " has an empty \"exec\" (try --exec=BINARY)");
  }
  return app;
}

bool convertedFromDocker(const schema::ImageManifest& image) {
  return image.annotation("appc.io/docker/repository").has_value();
}

CredentialsRequest credentialsRequest(const schema::App& app, const schema::ImageManifest& image) {
  CredentialsRequest r;
  r.user = app.user;
  r.group = app.group;
  r.supplementaryGids = app.supplementaryGids;
  r.convertedFromDocker = convertedFromDocker(image);
  if (image.app) {
    r.imageUser = image.app->user;
    r.imageGroup = image.app->group;
  }
  return r;
}

EnvList toEnvList(const schema::Environment& env) {
  EnvList out;
  for (const schema::EnvironmentVariable& v : env) {
    out.emplace_back(v.name, v.value);
  }
  return out;
}

}  // namespace rkt::appexec
