// `rkt image …` (rkt-notes §1.23): the group of local store commands.
#include "command.hpp"

namespace rkt::cli {

extern const CommandSpec kImageCatManifestCommand;  // image_cat_manifest.cpp
extern const CommandSpec kImageExportCommand;       // image_export.cpp
extern const CommandSpec kImageExtractCommand;      // image_extract.cpp
extern const CommandSpec kImageFetchCommand;        // fetch.cpp (hidden alias of `rkt fetch`)
extern const CommandSpec kImageGcCommand;           // image_gc.cpp
extern const CommandSpec kImageListCommand;         // image_list.cpp
extern const CommandSpec kImageRenderCommand;       // image_render.cpp
extern const CommandSpec kImageRmCommand;           // image_rm.cpp
extern const CommandSpec kImageVerifyCommand;       // image_verify.cpp

namespace {
const CommandSpec* const kImageSubcommands[] = {
    &kImageCatManifestCommand, &kImageExportCommand, &kImageExtractCommand,
    &kImageFetchCommand,       &kImageGcCommand,     &kImageListCommand,
    &kImageRenderCommand,      &kImageRmCommand,     &kImageVerifyCommand,
};
}  // namespace

extern const CommandSpec kImageCommand =
    CommandSpec("image", "Operate on image(s) in the local store")
        .withSubcommands(kImageSubcommands);

}  // namespace rkt::cli
