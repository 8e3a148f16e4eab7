// Runs the CppUnit fixtures named on the command line (all of them when none is named), with a
// progress line and the failures on stderr: the body of every CppUnit test program's main()
// (tests/unit/main.cpp, and the plugins' test programs, cmake/RktPluginTests.cmake).
#ifndef RKT_TESTS_UNIT_RUN_FIXTURES_HPP
#define RKT_TESTS_UNIT_RUN_FIXTURES_HPP

#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/TextTestProgressListener.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>
#include <stdexcept>

namespace rkt::test {

/// The exit status: 0 when every test passed, 1 when one failed, 2 for an unknown fixture or
/// when no test ran.
inline int runFixtures(int argc, char** argv) {
  CppUnit::TestResult controller;
  CppUnit::TestResultCollector collected;
  controller.addListener(&collected);
  CppUnit::TextTestProgressListener progress;
  controller.addListener(&progress);

  CppUnit::TestRunner runner;
  runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
  try {
    if (argc < 2) {
      runner.run(controller);
    }
    for (int i = 1; i < argc; ++i) {
      runner.run(controller, argv[i]);
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "\nno such test fixture: " << e.what() << "\n";
    return 2;
  }
  std::cerr << "\n";
  CppUnit::CompilerOutputter(&collected, std::cerr).write();
  if (collected.runTests() == 0) {
    std::cerr << "no tests ran\n";
    return 2;
  }
  return collected.wasSuccessful() ? 0 : 1;
}

}  // namespace rkt::test

#endif  // RKT_TESTS_UNIT_RUN_FIXTURES_HPP
