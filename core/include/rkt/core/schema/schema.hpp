// The appc schema library in one include: names, versions, quantities, labels/annotations,
// isolators, apps, image and pod manifests, os/arch helpers.
#ifndef RKT_CORE_SCHEMA_SCHEMA_HPP
#define RKT_CORE_SCHEMA_SCHEMA_HPP

#include "rkt/core/schema/app.hpp"
#include "rkt/core/schema/image_manifest.hpp"
#include "rkt/core/schema/isolator.hpp"
#include "rkt/core/schema/names.hpp"
#include "rkt/core/schema/os_arch.hpp"
#include "rkt/core/schema/pod_manifest.hpp"
#include "rkt/core/schema/quantity.hpp"
#include "rkt/core/schema/semver.hpp"
#include "rkt/core/schema/types.hpp"

#endif  // RKT_CORE_SCHEMA_SCHEMA_HPP
