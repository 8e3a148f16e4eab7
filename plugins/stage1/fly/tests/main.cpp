// rkt-stage1-fly-tests: drives stage1-fly.so on real pods, as root, inside a private mount
// namespace. Runs the CppUnit fixtures named on the command line (all when none is named);
// exits 77 (skipped) when it cannot run here (not root, no busybox).
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/TextTestProgressListener.h>
#include <cppunit/extensions/TestFactoryRegistry.h>
#include <sys/prctl.h>

#include <exception>
#include <iostream>

#include "fly_harness.hpp"

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

  CppUnit::TestResult controller;
  CppUnit::TestResultCollector collected;
  controller.addListener(&collected);
  CppUnit::TextTestProgressListener progress;
  controller.addListener(&progress);
  CppUnit::TestRunner runner;
  runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
  int rc = 0;
  try {
    if (argc < 2) {
      runner.run(controller);
    }
    for (int i = 1; i < argc; ++i) {
      runner.run(controller, argv[i]);
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "\nno such test fixture: " << e.what() << "\n";
    rc = 2;
  }
  std::cerr << "\n";
  CppUnit::CompilerOutputter(&collected, std::cerr).write();
  flytest::tearDownFixture();
  if (rc != 0) {
    return rc;
  }
  if (collected.runTests() == 0) {
    std::cerr << "no tests ran\n";
    return 2;
  }
  return collected.wasSuccessful() ? 0 : 1;
}
