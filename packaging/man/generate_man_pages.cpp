// generate-man-pages DIR: writes rkt(1) and a page per command (cli/man_page.hpp) into DIR,
// removing pages of commands that no longer exist. Run by the build (packaging/CMakeLists.txt).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "command_table.hpp"
#include "man_page.hpp"

namespace fs = std::filesystem;

namespace {

// Experiments are off for the pages: what a user gets without setting RKT_EXPERIMENT_*.
void disableExperiments(rkt::cli::CommandList commands) {
  for (const rkt::cli::CommandSpec* c : commands) {
    if (c->experiment != nullptr)
      ::unsetenv(c->experiment);
    disableExperiments(c->subcommands);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: generate-man-pages DIR\n";
    return 2;
  }
  const fs::path dir = argv[1];
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("rkt", 0) == 0 && entry.path().extension() == ".1")
      fs::remove(entry.path(), ec);
  }
  disableExperiments(rkt::cli::rootCommands());
  for (const rkt::cli::ManPage& page : rkt::cli::manPages(rkt::cli::rootCommands())) {
    std::ofstream out(dir / page.fileName, std::ios::binary);
    out << page.text;
    if (!out.flush()) {
      std::cerr << "generate-man-pages: cannot write " << (dir / page.fileName).string() << '\n';
      return 1;
    }
  }
  return 0;
}
