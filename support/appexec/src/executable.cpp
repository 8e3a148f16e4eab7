#include "rkt/support/appexec/executable.hpp"

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rkt::appexec {

namespace {

// rkt's C stage1 diagnostics (stage1/diagnostic) print C's strerror(3) text.
std::string unableToOpen(const std::string& path, int err) {
  return "Error: Unable to open " + goQuote(path) + ": " + posix::strerrorText(err);
}

std::string unableToExecute(const std::string& path, int err) {
  return "Error: Unable to execute " + goQuote(path) + ": " + posix::strerrorText(err);
}

bool isExecutableFile(const struct stat& st) {
  return S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0;
}

std::string joinPath(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir == "/") {
    return "/" + name;
  }
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

// pread until `len` bytes or EOF.
ssize_t readAt(int fd, void* buf, size_t len, off_t offset) {
  size_t done = 0;
  while (done < len) {
    ssize_t n =
        ::pread(fd, static_cast<char*>(buf) + done, len - done, offset + static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return -1;
    }
    if (n == 0) {
      break;
    }
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

template <class Ehdr, class Phdr>
std::optional<std::string> elfInterpreter(int fd) {
  Ehdr eh{};
  if (readAt(fd, &eh, sizeof eh, 0) != static_cast<ssize_t>(sizeof eh) ||
      eh.e_phentsize != sizeof(Phdr)) {
    return std::nullopt;
  }
  for (unsigned i = 0; i < eh.e_phnum && i < 256; ++i) {
    Phdr ph{};
    off_t at = static_cast<off_t>(eh.e_phoff + i * sizeof(Phdr));
    if (readAt(fd, &ph, sizeof ph, at) != static_cast<ssize_t>(sizeof ph)) {
      return std::nullopt;
    }
    if (ph.p_type != PT_INTERP || ph.p_filesz == 0 || ph.p_filesz > 4096) {
      continue;
    }
    std::string interp(ph.p_filesz, '\0');
    if (readAt(fd, interp.data(), interp.size(), static_cast<off_t>(ph.p_offset)) !=
        static_cast<ssize_t>(interp.size())) {
      return std::nullopt;
    }
    interp.resize(std::strlen(interp.c_str()));
    return interp;
  }
  return std::nullopt;
}

// The program interpreter an ELF file or a `#!` script asks for, if any.
std::optional<std::string> interpreterOf(int fd) {
  unsigned char head[EI_NIDENT] = {};
  ssize_t n = readAt(fd, head, sizeof head, 0);
  if (n >= 2 && head[0] == '#' && head[1] == '!') {
    char line[256] = {};
    ssize_t m = readAt(fd, line, sizeof line - 1, 2);
    if (m <= 0) {
      return std::nullopt;
    }
    std::string s(line, static_cast<size_t>(m));
    s = s.substr(0, s.find('\n'));
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) {
      return std::nullopt;
    }
    size_t e = s.find_first_of(" \t", b);
    return s.substr(b, e == std::string::npos ? std::string::npos : e - b);
  }
  if (n != EI_NIDENT || std::memcmp(head, ELFMAG, SELFMAG) != 0) {
    return std::nullopt;
  }
#if __BYTE_ORDER == __LITTLE_ENDIAN
  const unsigned char native = ELFDATA2LSB;
#else
  const unsigned char native = ELFDATA2MSB;
#endif
  if (head[EI_DATA] != native) {
    return std::nullopt;
  }
  if (head[EI_CLASS] == ELFCLASS64) {
    return elfInterpreter<Elf64_Ehdr, Elf64_Phdr>(fd);
  }
  if (head[EI_CLASS] == ELFCLASS32) {
    return elfInterpreter<Elf32_Ehdr, Elf32_Phdr>(fd);
  }
  return std::nullopt;
}

}  // namespace

std::string findProgram(const RootDir& root, const std::string& program, const std::string& workDir,
                        const std::string& searchPath) {
  if (!program.empty() && program[0] == '/') {
    return program;
  }
  if (program.find('/') != std::string::npos) {
    return joinPath(workDir, program);
  }
  size_t start = 0;
  for (;;) {
    size_t colon = searchPath.find(':', start);
    std::string dir =
        searchPath.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (dir.empty()) {
      dir = ".";  // an empty PATH entry is the working directory, as for execvp(3)
    }
    if (dir[0] != '/') {
      dir = joinPath(workDir, dir);
    }
    std::string candidate = joinPath(dir, program);
    std::optional<struct stat> st = root.stat(candidate);
    if (st && isExecutableFile(*st)) {
      return candidate;
    }
    if (colon == std::string::npos) {
      break;
    }
    start = colon + 1;
  }
  fail(RKT_E_NOT_FOUND,
       "error looking up " + goQuote(program) + ": unable to find " + goQuote(program) + " in " +
           goQuote(searchPath),
       ENOENT);
}

std::optional<std::string> diagnoseProgram(const RootDir& root, const std::string& path) {
  posix::UniqueFd fd = root.open(path, O_RDONLY);
  if (!fd.valid()) {
    return unableToOpen(path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return unableToOpen(path, errno);
  }
  if (S_ISDIR(st.st_mode)) {
    return unableToExecute(path, EISDIR);
  }
  if (!isExecutableFile(st)) {
    return unableToExecute(path, EACCES);
  }
  std::optional<std::string> interp = interpreterOf(fd.get());
  if (interp && !interp->empty()) {
    std::string at = (*interp)[0] == '/' ? *interp : joinPath("/", *interp);
    posix::UniqueFd ifd = root.open(at, O_RDONLY);
    if (!ifd.valid()) {
      return unableToOpen(*interp, errno);
    }
  }
  return std::nullopt;
}

std::string execFailureLine(const std::string& path, int err) {
  if (err == ENOENT) {
    return unableToOpen(path, err);
  }
  return unableToExecute(path, err);
}

}  // namespace rkt::appexec
