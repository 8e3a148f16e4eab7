// The `rkt` binary. Everything but this file is the rkt_cli library, so unit tests can drive it.
#include "dispatch.hpp"

int main(int argc, char** argv) {
  return rkt::cli::runMain(argc, argv);
}
