// The stage1 of a new pod (rkt-notes §3.4; rules in rkt/core/stage1/selection.hpp): the image
// the --stage1-* flags, stage1.d or the build default name, brought into the store, and the
// flavor plugin that runs it.
#ifndef RKT_CORE_SRC_ENGINE_STAGE1_IMAGE_HPP
#define RKT_CORE_SRC_ENGINE_STAGE1_IMAGE_HPP

#include <optional>
#include <string>

#include "rkt/core/engine.hpp"
#include "rkt/core/result.hpp"
#include "rkt/core/stage1/selection.hpp"

namespace rkt::engine {

struct Stage1Choice {
  std::string flavor;                   ///< the plugin that runs the pod
  std::optional<std::string> imageKey;  ///< the stage1 image's store key; none for a built-in
                                        ///< flavor chosen by name without an image
};

/// rkt's getStage1Hash: with a flag, that image and nothing else ("no second chances"):
/// --stage1-url/path/from-dir fetch the file or URL (files are always imported again; a file
/// inside stage1::defaultImagesDir() needs no signature), --stage1-name looks in the store and
/// then discovers, --stage1-hash looks in the store only. Without a flag, stage1.d's name and
/// version from the store, else its location, else the build-default flavor. A name that maps
/// to a built-in flavor needs no image (stage1/selection.hpp). Errors are the finder's, as rkt
/// prints them.
Result<Stage1Choice> chooseStage1(Engine& engine, const stage1::Stage1Flags& flags);

}  // namespace rkt::engine

#endif  // RKT_CORE_SRC_ENGINE_STAGE1_IMAGE_HPP
