// rkt-stage1-fly-tests: drives stage1-fly.so on real pods, as root, inside a private mount
// namespace. Runs the CppUnit fixtures named on the command line (all when none is named);
// exits 77 (skipped) when it cannot run here (not root, no busybox).
#include <sys/prctl.h>

#include <exception>
#include <iostream>

#include "fly_harness.hpp"
#include "run_fixtures.hpp"

int main(int argc, char** argv) {
  std::string why;
  try {
    if (!flytest::setUpFixture(RKT_SOURCE_DIR, RKT_PLUGIN_BUILD_DIR, why)) {
      std::cerr << "skipping the fly stage1 tests: " << why << "\n";
      flytest::tearDownFixture();
      return 77;
    }
  } catch (const std::exception& e) {
    std::cerr << "cannot set up the fly stage1 tests: " << e.what() << "\n";
    flytest::tearDownFixture();
    return 1;
  }
  // Processes the plugin's apps leave behind are reparented to us, so we can reap them.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);

  const int rc = rkt::test::runFixtures(argc, argv);
  flytest::tearDownFixture();
  return rc;
}
