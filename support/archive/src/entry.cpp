#include "entry.hpp"

#include <string>

namespace rkt::archive::detail {

Result<std::optional<EntryType>> entryType(archive_entry* e) {
  using Type = std::optional<EntryType>;
  if (entryHardlink(e) != nullptr)
    return Type(EntryType::HardLink);
  switch (archive_entry_filetype(e)) {
    case AE_IFREG:
      return Type(EntryType::File);
    case AE_IFDIR:
      return Type(EntryType::Directory);
    case AE_IFLNK:
      return Type(EntryType::Symlink);
    case AE_IFCHR:
      return Type(EntryType::CharDevice);
    case AE_IFBLK:
      return Type(EntryType::BlockDevice);
    case AE_IFIFO:
      return Type(EntryType::Fifo);
    case AE_IFSOCK:
      return Type();
    default:
      return Error{"unsupported entry type"};
  }
}

Status checkOwner(archive_entry* e) {
  const la_int64_t uid = archive_entry_uid(e);
  const la_int64_t gid = archive_entry_gid(e);
  if (uid < 0 || uid >= 0xffffffffLL || gid < 0 || gid >= 0xffffffffLL) {
    return Error{"invalid owner " + std::to_string(uid) + ":" + std::to_string(gid)};
  }
  return {};
}

}  // namespace rkt::archive::detail
