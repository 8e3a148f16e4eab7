// Benchmark driver for the archive support library (not a test). It runs one import or one
// extraction and reports the wall time, so bench/archive.sh can put it next to
// `gzip -dc IMAGE | sha512sum` and `tar -xf`.
//
//   rkt-archive-bench import IMAGE TMPDIR [--keep] [--print-manifest]
//   rkt-archive-bench extract TAR TARGET [--prefix P] [--strip] [--verify KEY] [--no-owner]
#include <rkt/support/archive/extract.hpp>
#include <rkt/support/archive/import.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

namespace ra = rkt::archive;

namespace {

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int usage() {
  std::cerr << "usage: rkt-archive-bench import IMAGE TMPDIR [--keep] [--print-manifest]\n"
               "       rkt-archive-bench extract TAR TARGET [--prefix P] [--strip] [--verify KEY]"
               " [--no-owner] [--rules] [--digests]\n";
  return 2;
}

int runImport(int argc, char** argv) {
  if (argc < 4)
    return usage();
  bool keep = false;
  bool printManifest = false;
  for (int i = 4; i < argc; ++i) {
    if (std::strcmp(argv[i], "--keep") == 0) {
      keep = true;
    } else if (std::strcmp(argv[i], "--print-manifest") == 0) {
      printManifest = true;
    } else {
      return usage();
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  auto r = ra::importAci(argv[2], argv[3]);
  double s = secondsSince(t0);
  if (!r) {
    std::cerr << "rkt-archive-bench: " << r.error().message << "\n";
    return 1;
  }
  if (printManifest) {
    std::cout << r->manifest;
    return 0;
  }
  std::printf("key=%s size=%llu compression=%s manifest_bytes=%zu entries=%llu seconds=%.3f\n",
              r->key.c_str(), static_cast<unsigned long long>(r->size),
              ra::compressionName(r->compression), r->manifest.size(),
              static_cast<unsigned long long>(r->entries), s);
  if (keep)
    std::printf("blob=%s\n", r->blob.release().c_str());
  return 0;
}

int runExtract(int argc, char** argv) {
  if (argc < 4)
    return usage();
  ra::ExtractOptions o;
  ra::FileDigests digests;
  for (int i = 4; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--prefix" && i + 1 < argc) {
      o.prefix = argv[++i];
    } else if (a == "--strip") {
      o.stripPrefix = true;
    } else if (a == "--verify" && i + 1 < argc) {
      o.expectedKey = argv[++i];
    } else if (a == "--no-owner") {
      o.preserveOwnership = false;
    } else if (a == "--rules") {
      o.imageRules = ra::ImageLimits{};  // what render and `rkt image extract` apply
    } else if (a == "--digests") {
      o.fileDigests = &digests;  // what render computes for the tree hash
    } else {
      return usage();
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  auto r = ra::extractTar(argv[2], argv[3], o);
  double s = secondsSince(t0);
  if (!r) {
    std::cerr << "rkt-archive-bench: " << r.error().message << "\n";
    return 1;
  }
  std::printf(
      "entries=%llu files=%llu dirs=%llu symlinks=%llu hardlinks=%llu bytes=%llu "
      "seconds=%.3f\n",
      static_cast<unsigned long long>(r->entries), static_cast<unsigned long long>(r->files),
      static_cast<unsigned long long>(r->directories), static_cast<unsigned long long>(r->symlinks),
      static_cast<unsigned long long>(r->hardlinks), static_cast<unsigned long long>(r->bytes), s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2)
    return usage();
  std::string cmd = argv[1];
  if (cmd == "import")
    return runImport(argc, argv);
  if (cmd == "extract")
    return runExtract(argc, argv);
  return usage();
}
