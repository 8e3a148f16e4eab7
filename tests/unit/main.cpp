// Runs the CppUnit fixtures named on the command line (all of them when none is named).
#include "run_fixtures.hpp"

int main(int argc, char** argv) {
  return rkt::test::runFixtures(argc, argv);
}
