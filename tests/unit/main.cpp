// Runs the CppUnit fixtures named on the command line (all of them when none is named).
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/TextTestProgressListener.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>

int main(int argc, char** argv) {
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
  CppUnit::CompilerOutputter outputter(&collected, std::cerr);
  outputter.write();
  if (collected.runTests() == 0) {
    std::cerr << "no tests ran\n";
    return 2;
  }
  return collected.wasSuccessful() ? 0 : 1;
}
