#include "rkt/schema/os_arch.hpp"

#include <sys/utsname.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "field_path.hpp"
#include "rkt/base/quote.hpp"
#include "rkt/support/posix/errno_text.hpp"

namespace rkt::schema {

using detail::quote;

namespace {

// Go's %v of a []string: "[linux freebsd]".
std::string goList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : " ") + item;
  return "[" + out + "]";
}

std::vector<std::string> keys(const OsArchTable& table) {
  std::vector<std::string> out;
  for (const auto& [os, arches] : table)
    out.push_back(os);
  return out;
}

Status checkPair(const std::string& os, const std::optional<std::string>& arch,
                 const OsArchTable& table) {
  auto it = table.find(os);
  // appc's IsValidOSArch, word for word (scripts match it): Go's %#v of the value, %v of the
  // sorted OSes or of the OS's architectures.
  if (it == table.end())
    return Error{"bad os " + goQuote(os) + " (must be one of: " + goList(keys(table)) + ")"};
  if (arch && std::find(it->second.begin(), it->second.end(), *arch) == it->second.end())
    return Error{"bad arch " + goQuote(*arch) + " for " + os +
                 " (must be one of: " + goList(it->second) + ")"};
  return {};
}

// Go's (GOOS, GOARCH, GOARM) -> appc, the reference mapping.
struct GoMapping {
  GoOsArch go;
  OsArch appc;
};

const std::vector<GoMapping>& goMappings() {
  static const std::vector<GoMapping> kMappings = {
      {{"linux", "amd64", ""}, {"linux", "amd64"}},
      {{"linux", "386", ""}, {"linux", "i386"}},
      {{"linux", "arm64", ""}, {"linux", "aarch64"}},
      {{"linux", "arm", ""}, {"linux", "armv6l"}},
      {{"linux", "arm", "6"}, {"linux", "armv6l"}},
      {{"linux", "arm", "7"}, {"linux", "armv7l"}},
      {{"linux", "ppc64", ""}, {"linux", "ppc64"}},
      {{"linux", "ppc64le", ""}, {"linux", "ppc64le"}},
      {{"linux", "s390x", ""}, {"linux", "s390x"}},
      {{"freebsd", "amd64", ""}, {"freebsd", "amd64"}},
      {{"freebsd", "386", ""}, {"freebsd", "i386"}},
      {{"freebsd", "arm", ""}, {"freebsd", "arm"}},
      {{"freebsd", "arm", "5"}, {"freebsd", "arm"}},
      {{"freebsd", "arm", "6"}, {"freebsd", "arm"}},
      {{"freebsd", "arm", "7"}, {"freebsd", "arm"}},
      {{"darwin", "amd64", ""}, {"darwin", "x86_64"}},
      {{"darwin", "386", ""}, {"darwin", "i386"}},
  };
  return kMappings;
}

}  // namespace

const OsArchTable& appcOsArchTable() {
  static const OsArchTable kTable = {
      {"linux",
       {"amd64", "i386", "aarch64", "aarch64_be", "armv6l", "armv7l", "armv7b", "ppc64", "ppc64le",
        "s390x"}},
      {"freebsd", {"amd64", "i386", "arm"}},
      {"darwin", {"x86_64", "i386"}},
  };
  return kTable;
}

const OsArchTable& rktOsArchTable() {
  static const OsArchTable kTable = {
      {"linux",
       {"amd64", "i386", "aarch64", "aarch64_be", "armv6l", "armv7l", "armv7b", "ppc64le"}},
  };
  return kTable;
}

Status validateOsArchLabels(const Labels& labels, const OsArchTable& table) {
  auto os = findValue(labels, kLabelOs);
  if (!os)
    return {};  // arch means something only together with os
  return checkPair(*os, findValue(labels, kLabelArch), table);
}

Status checkRktOsArch(const Labels& labels) {
  auto os = findValue(labels, kLabelOs);
  if (!os)
    return Error{"missing os label in the image manifest"};
  auto arch = findValue(labels, kLabelArch);
  if (!arch)
    return Error{"missing arch label in the image manifest"};
  return checkPair(*os, arch, rktOsArchTable());
}

Status checkRunnableOn(const Labels& labels, const OsArch& target) {
  auto os = findValue(labels, kLabelOs);
  auto arch = findValue(labels, kLabelArch);
  const bool osOk = !os || *os == target.os;
  // Without an os label the arch label carries no meaning (appc), so it is not compared.
  const bool archOk = !os || !arch || *arch == target.arch;
  if (osOk && archOk)
    return {};
  const std::string image = (os ? *os : std::string("any")) + "/" + (arch ? *arch : "any");
  return Error{"image is for " + image + ", not " + target.toString()};
}

Result<OsArch> appcOsArchFromGo(std::string_view goOs, std::string_view goArch,
                                std::string_view armVariant) {
  // Docker spells the variant "v7"; Go's GOARM is "7".
  if (!armVariant.empty() && armVariant[0] == 'v')
    armVariant.remove_prefix(1);
  for (const auto& m : goMappings()) {
    if (m.go.os == goOs && m.go.arch == goArch && m.go.armVariant == armVariant)
      return m.appc;
  }
  std::string what = std::string(goOs) + "/" + std::string(goArch);
  if (!armVariant.empty())
    what += "/v" + std::string(armVariant);
  return Error{"unknown platform " + quote(what) + ": no appc os/arch for it"};
}

Result<GoOsArch> goOsArchFromAppc(std::string_view os, std::string_view arch) {
  // One Go spelling per appc pair; ARM gets an explicit GOARM variant.
  static const std::vector<GoMapping> kReverse = {
      {{"linux", "amd64", ""}, {"linux", "amd64"}},
      {{"linux", "386", ""}, {"linux", "i386"}},
      {{"linux", "arm64", ""}, {"linux", "aarch64"}},
      {{"linux", "arm", "6"}, {"linux", "armv6l"}},
      {{"linux", "arm", "7"}, {"linux", "armv7l"}},
      {{"linux", "ppc64", ""}, {"linux", "ppc64"}},
      {{"linux", "ppc64le", ""}, {"linux", "ppc64le"}},
      {{"linux", "s390x", ""}, {"linux", "s390x"}},
      {{"freebsd", "amd64", ""}, {"freebsd", "amd64"}},
      {{"freebsd", "386", ""}, {"freebsd", "i386"}},
      {{"freebsd", "arm", "6"}, {"freebsd", "arm"}},
      {{"darwin", "amd64", ""}, {"darwin", "x86_64"}},
      {{"darwin", "386", ""}, {"darwin", "i386"}},
  };
  for (const auto& m : kReverse) {
    if (m.appc.os == os && m.appc.arch == arch)
      return m.go;
  }
  return Error{"unknown appc platform " + quote(std::string(os) + "/" + std::string(arch)) +
               ": no Go os/arch for it"};
}

Result<std::string> appcArchFromMachine(std::string_view machine) {
  if (machine == "x86_64" || machine == "amd64")
    return std::string("amd64");
  if (machine.size() == 4 && machine[0] == 'i' && machine.substr(2) == "86" && machine[1] >= '3' &&
      machine[1] <= '6')
    return std::string("i386");
  if (machine == "arm64")
    return std::string("aarch64");
  static const char* const kSame[] = {"aarch64", "aarch64_be", "armv6l",  "armv7l",
                                      "armv7b",  "ppc64",      "ppc64le", "s390x"};
  for (const char* name : kSame) {
    if (machine == name)
      return std::string(name);
  }
  return Error{"unknown machine architecture " + quote(machine)};
}

Result<OsArch> hostOsArch() {
  struct utsname u {};
  if (uname(&u) != 0)
    return sysError("cannot read the host platform");
  std::string os = u.sysname;
  std::transform(os.begin(), os.end(), os.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto arch = appcArchFromMachine(u.machine);
  if (!arch)
    return arch.error();
  return OsArch{os, *arch};
}

}  // namespace rkt::schema
