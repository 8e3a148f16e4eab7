#include "rkt/core/pod/pod_dirs.hpp"

#include <sys/stat.h>

#include <cerrno>

namespace rkt::pod {
namespace {

// rkt creates missing pod directories (and their parents) with 0750.
constexpr mode_t kPodDirMode = 0750;

Status mkdirAll(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/')
      continue;
    std::string part = path.substr(0, pos);
    if (::mkdir(part.c_str(), kPodDirMode) == 0 || errno == EEXIST)
      continue;
    return sysError("cannot create directory `" + part + "`");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return sysError("cannot create directory `" + path + "`");
  if (!S_ISDIR(st.st_mode))
    return sysError("cannot create directory `" + path + "`", ENOTDIR);
  return {};
}

}  // namespace

PodDirs::PodDirs(std::string dataDir) : dataDir_(std::move(dataDir)) {
  while (dataDir_.size() > 1 && dataDir_.back() == '/')
    dataDir_.pop_back();
}

std::string PodDirs::root() const {
  return dataDir_ + "/pods";
}

std::string PodDirs::dir(Phase phase) const {
  return root() + "/" + std::string(phaseDirName(phase));
}

std::string PodDirs::podPath(Phase phase, const Uuid& uuid) const {
  return dir(phase) + "/" + uuid.str();
}

Status PodDirs::ensure() const {
  for (Phase phase : allPhases()) {
    if (Status s = mkdirAll(dir(phase)); !s)
      return s;
  }
  return {};
}

}  // namespace rkt::pod
