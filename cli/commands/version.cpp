// `rkt version` (rkt-notes §1.21). rkt prints its Go toolchain; we print the C++ compiler and the
// plugin ABI the binary was built with, which is what a bug report about this implementation needs.
#include <ostream>

#include "command.hpp"
#include "rkt/abi/plugin.h"

namespace rkt::cli {
namespace {

// GOARCH spelling, so scripts parsing rkt's "OS/Arch" line see the same words.
constexpr const char* kArch =
#if defined(__x86_64__)
    "amd64";
#elif defined(__aarch64__)
    "arm64";
#elif defined(__i386__)
    "386";
#elif defined(__arm__)
    "arm";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    "ppc64le";
#elif defined(__s390x__)
    "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
    "riscv64";
#else
    "unknown";
#endif

constexpr const char* kCompiler =
#if defined(__clang__)
    "clang " __clang_version__;
#elif defined(__GNUC__)
    "gcc " __VERSION__;
#else
    "unknown";
#endif

// rkt's build-time feature string. Neither TPM measurement nor logging to the systemd journal
// from stage0 is implemented here, so both are off.
constexpr const char* kFeatures = "-TPM -SDJOURNAL";

class VersionCommand : public Command {
 public:
  int run(Invocation& inv) override {
    inv.out << "rkt Version: " << RKT_VERSION_STRING << '\n'
            << "appc Version: " << RKT_APPC_VERSION << '\n'
            << "C++ Compiler: " << kCompiler << '\n'
            << "OS/Arch: linux/" << kArch << '\n'
            << "Plugin ABI: " << RKT_PLUGIN_ABI_MAJOR << '.' << RKT_PLUGIN_ABI_MINOR << '\n'
            << "Features: " << kFeatures << '\n';
    return kExitOk;
  }
};

}  // namespace

extern const CommandSpec kVersionCommand =
    CommandSpec("version", "Print the version and exit")
        .runs<VersionCommand>()
        .withDescription(
            "Print the rkt version, the appc spec version rkt is built against, the compiler and\n"
            "architecture rkt was built with, its plugin ABI version and build features.");

}  // namespace rkt::cli
