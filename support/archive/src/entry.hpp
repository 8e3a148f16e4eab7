// What extraction and the image rules read from a libarchive entry header (internal).
#ifndef RKT_SUPPORT_ARCHIVE_SRC_ENTRY_HPP
#define RKT_SUPPORT_ARCHIVE_SRC_ENTRY_HPP

#include <rkt/base/result.hpp>
#include <rkt/support/archive/extract.hpp>

#include <archive_entry.h>

#include <optional>

namespace rkt::archive::detail {

// libarchive returns NULL for names it cannot convert to the current locale (pax names are
// UTF-8; the C locale cannot hold them); the raw UTF-8 bytes are the right file name.
inline const char* entryPath(archive_entry* e) {
  const char* s = archive_entry_pathname(e);
  return s != nullptr ? s : archive_entry_pathname_utf8(e);
}
inline const char* entryHardlink(archive_entry* e) {
  const char* s = archive_entry_hardlink(e);
  return s != nullptr ? s : archive_entry_hardlink_utf8(e);
}
inline const char* entrySymlink(archive_entry* e) {
  const char* s = archive_entry_symlink(e);
  return s != nullptr ? s : archive_entry_symlink_utf8(e);
}

/// The entry's type, or none for a socket (it has no content to restore; tar and actool skip
/// them too). Any other type is an error.
Result<std::optional<EntryType>> entryType(archive_entry* e);

/// Owners must fit uid_t/gid_t and not be -1 (which chown reads as "unchanged").
Status checkOwner(archive_entry* e);

}  // namespace rkt::archive::detail

#endif  // RKT_SUPPORT_ARCHIVE_SRC_ENTRY_HPP
