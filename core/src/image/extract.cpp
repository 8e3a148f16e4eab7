// The extraction itself is in rkt-archive.so (util/archive_module.hpp), loaded on first use.
#include "rkt/core/image/extract.hpp"

#include "util/archive_module.hpp"

namespace rkt::image {

Status extractImage(const std::string& blob, const std::string& dir, bool rootfsOnly,
                    const std::string& image) {
  Result<const util::ArchiveModule*> module = util::archiveModule();
  if (!module)
    return module.error();
  return (*module)->extractImage(blob, dir, rootfsOnly, image);
}

}  // namespace rkt::image
