#include "util/executable_dir.hpp"

#include <sys/auxv.h>

#include <cstring>
#include <filesystem>

namespace fs = std::filesystem;

namespace rkt::util {

std::string executableDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    // The kernel's copy of execve's path argument: absolute when a shell found rkt in PATH,
    // else relative to the working directory rkt started in (not changed before this runs).
    const auto* execfn = reinterpret_cast<const char*>(::getauxval(AT_EXECFN));
    if (execfn == nullptr || std::strchr(execfn, '/') == nullptr) {
      return "";
    }
    exe = fs::canonical(execfn, ec);
    if (ec) {
      return "";
    }
  }
  return exe.parent_path().string();
}

}  // namespace rkt::util
