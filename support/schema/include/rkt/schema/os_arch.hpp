// Operating system / architecture labels (`os`, `arch`) and the names appc uses for them.
#ifndef RKT_CORE_SCHEMA_OS_ARCH_HPP
#define RKT_CORE_SCHEMA_OS_ARCH_HPP

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/base/result.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::schema {

struct OsArch {
  std::string os;    ///< appc name: linux, freebsd, darwin
  std::string arch;  ///< appc name: amd64, i386, aarch64, armv7l, ...

  std::string toString() const { return os + "/" + arch; }
  bool operator==(const OsArch& o) const { return os == o.os && arch == o.arch; }
  bool operator!=(const OsArch& o) const { return !(*this == o); }
};

/// A Go GOOS/GOARCH pair plus GOARM variant ("" or "5", "6", "7"), as docker and Go tools name
/// platforms.
struct GoOsArch {
  std::string os;
  std::string arch;
  std::string armVariant;
  bool operator==(const GoOsArch& o) const {
    return os == o.os && arch == o.arch && armVariant == o.armVariant;
  }
};

using OsArchTable = std::map<std::string, std::vector<std::string>>;

/// Every os and its arches that appc accepts in labels (the reference library's list):
/// linux: amd64 i386 aarch64 aarch64_be armv6l armv7l armv7b ppc64 ppc64le s390x;
/// freebsd: amd64 i386 arm; darwin: x86_64 i386.
const OsArchTable& appcOsArchTable();
/// What rkt's stage0 can run: linux with amd64 i386 aarch64 aarch64_be armv6l armv7l armv7b
/// ppc64le.
const OsArchTable& rktOsArchTable();

/// The appc label rule: an unknown `os` is invalid; `arch` is checked only when `os` is set.
/// Errors, in appc's words: `bad os "plan9" (must be one of: [darwin freebsd linux])`,
/// `bad arch "arm64" for linux (must be one of: [amd64 i386 …])`.
Status validateOsArchLabels(const Labels& labels, const OsArchTable& table = appcOsArchTable());
/// rkt's prepare-time rule: both labels present ("missing os label in the image manifest") and a
/// pair rkt can run.
Status checkRktOsArch(const Labels& labels);
/// Whether an image with `labels` can run on `target`: an `os` / `arch` label, when present, must
/// equal the target's (no label = independent of it). Error: "image is for freebsd/amd64, not
/// linux/amd64" style.
Status checkRunnableOn(const Labels& labels, const OsArch& target);

/// Go / docker platform names to appc: amd64->amd64, 386->i386, arm64->aarch64, arm->armv6l
/// (GOARM 7 -> armv7l), ppc64, ppc64le, s390x; darwin/amd64 -> darwin/x86_64; freebsd/arm -> arm.
/// `armVariant` is GOARM ("6", "7") or docker's variant ("v6", "v7").
Result<OsArch> appcOsArchFromGo(std::string_view goOs, std::string_view goArch,
                                std::string_view armVariant = "");
/// The inverse of appcOsArchFromGo().
Result<GoOsArch> goOsArchFromAppc(std::string_view os, std::string_view arch);
/// A uname(2) machine name to the appc arch: x86_64->amd64, i?86->i386, aarch64, armv7l, ...
Result<std::string> appcArchFromMachine(std::string_view machine);
/// This machine's os/arch in appc names, from uname(2).
Result<OsArch> hostOsArch();

}  // namespace rkt::schema

#endif  // RKT_CORE_SCHEMA_OS_ARCH_HPP
