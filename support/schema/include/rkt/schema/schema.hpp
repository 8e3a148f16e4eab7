// The appc schema library in one include: names, versions, quantities, labels/annotations,
// isolators, apps, image and pod manifests, os/arch helpers.
#ifndef RKT_CORE_SCHEMA_SCHEMA_HPP
#define RKT_CORE_SCHEMA_SCHEMA_HPP

#include "rkt/schema/app.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/isolator.hpp"
#include "rkt/schema/names.hpp"
#include "rkt/schema/os_arch.hpp"
#include "rkt/schema/pod_manifest.hpp"
#include "rkt/schema/quantity.hpp"
#include "rkt/schema/semver.hpp"
#include "rkt/schema/types.hpp"

#endif  // RKT_CORE_SCHEMA_SCHEMA_HPP
