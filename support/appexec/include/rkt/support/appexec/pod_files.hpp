// What every stage1 flavor reads from a prepared pod directory: the pod manifest `$POD/pod`
// (reified), an app's image manifest `$POD/appsinfo/<app>/manifest`, and the app section it runs
// (the pod manifest's, else the image's). Errors name the file, as rkt's stage1s do.
#ifndef RKT_SUPPORT_APPEXEC_POD_FILES_HPP
#define RKT_SUPPORT_APPEXEC_POD_FILES_HPP

#include <string>

#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/pod_manifest.hpp"
#include "rkt/support/appexec/environment.hpp"
#include "rkt/support/appexec/users.hpp"

namespace rkt::appexec {

/// `$POD/pod`, parsed and checked to be reified. Throws RKT_E_INVALID
/// "cannot load pod manifest `<path>`: …" (or the read error).
schema::PodManifest readPodManifest(const std::string& podDir);

/// `$POD/appsinfo/<app>/manifest`. Throws "cannot load image manifest `<path>`: …".
schema::ImageManifest readAppImageManifest(const std::string& podDir, const std::string& app);

/// The app section `runtimeApp` runs: its own, else its image's. Throws RKT_E_INVALID
/// `image "<name>" has an empty "exec" (try --exec=BINARY)` when there is nothing to execute.
schema::App effectiveApp(const schema::RuntimeApp& runtimeApp, const schema::ImageManifest& image);

/// The image's name as rkt shows it in messages (the pod manifest's, else the image's own).
std::string imageNameOf(const schema::RuntimeApp& runtimeApp, const schema::ImageManifest& image);

/// The image was converted from a Docker image (annotation appc.io/docker/repository).
bool convertedFromDocker(const schema::ImageManifest& image);

/// What resolveCredentials() needs for `app` (the section it runs) of `image`.
CredentialsRequest credentialsRequest(const schema::App& app, const schema::ImageManifest& image);

/// The app's environment variables as NAME=VALUE pairs, in order.
EnvList toEnvList(const schema::Environment& env);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_POD_FILES_HPP
