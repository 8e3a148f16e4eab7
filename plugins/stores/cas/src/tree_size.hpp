// rkt's size of a rendered tree (pkg/fileutil.DirSize), which `rkt image list` adds to the
// image's: the apparent size (st_size) of every entry, directories included, a file with
// several names counted once.
#ifndef RKT_CAS_TREE_SIZE_HPP
#define RKT_CAS_TREE_SIZE_HPP

#include <sys/stat.h>

#include <cstdint>
#include <set>
#include <utility>

namespace rkt::cas {

class TreeSizeCounter {
 public:
  void add(const struct stat& st) {
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1 &&
        !linkedInodes_.emplace(st.st_dev, st.st_ino).second) {
      return;
    }
    bytes_ += st.st_size;
  }
  int64_t bytes() const { return bytes_; }

 private:
  int64_t bytes_ = 0;
  std::set<std::pair<dev_t, ino_t>> linkedInodes_;
};

}  // namespace rkt::cas

#endif  // RKT_CAS_TREE_SIZE_HPP
