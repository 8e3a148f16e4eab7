#include "image_import.hpp"

#include <sys/stat.h>

#include <rkt/schema/image_manifest.hpp>
#include <rkt/support/archive/import.hpp>

#include "archive_helper.hpp"
#include "cas_store.hpp"
#include "errors.hpp"
#include "fs_util.hpp"
#include "temp_file.hpp"

namespace rkt::cas {

ImportedAci importAciFile(CasStore& store, const std::string& path, bool latest,
                          const std::string& name) {
  const std::string& shown = name.empty() ? path : name;
  struct stat st {};
  posix::UniqueFd fd = openRegularFile(path, "cannot import " + named(shown), st);
  archive::ImportOptions options;
  options.tempPrefix = std::string(kTempFilePrefix) + "import-";
  options.lockTempFile = true;  // the leftover sweep of other store opens must leave it alone
  auto imported = archiveHelper().importAciFd(fd.get(), shown, store.layout().tmpDir(), options);
  if (!imported) {
    // libarchive reports bad content with errno values too (EINVAL, EILSEQ): only the errors of
    // the system itself are I/O failures; everything else is an invalid image.
    posix::throwError(imported.error(), RKT_E_INVALID);
  }
  auto manifest = schema::parseImageManifest(imported->manifest);
  if (!manifest) {
    throw Error(RKT_E_INVALID, "cannot import " + named(shown) + ": " + manifest.error().message);
  }
  store.publish(imported->blob.path(), imported->key, static_cast<int64_t>(imported->size),
                imported->manifest, latest);
  // Published: the temp name is gone, and must not be unlinked should it be reused meanwhile.
  imported->blob.release();
  return ImportedAci{imported->key, std::move(imported->manifest)};
}

}  // namespace rkt::cas
