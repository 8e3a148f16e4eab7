// The app environment appexec composes (rkt's defaults, the app's variables, AC_APP_NAME) and
// the env file round trip.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/support/appexec/environment.hpp"

using rkt::appexec::EnvList;

class AppexecEnvironmentTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AppexecEnvironmentTest);
  CPPUNIT_TEST(environmentComposition);
  CPPUNIT_TEST_SUITE_END();

 public:
  void environmentComposition() {
    EnvList app = {{"HOME", "/home/x"}, {"A", "1"}, {"AC_APP_NAME", "mine"}};
    EnvList env = rkt::appexec::composeEnvironment(app, "web");
    EnvList expected = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
                        {"SHELL", "/bin/sh"},
                        {"USER", "root"},
                        {"LOGNAME", "root"},
                        {"HOME", "/home/x"},
                        {"A", "1"},
                        {"AC_APP_NAME", "web"}};
    CPPUNIT_ASSERT(env == expected);
    CPPUNIT_ASSERT(rkt::appexec::parseEnvFile(rkt::appexec::formatEnvFile(env)) == env);
    CPPUNIT_ASSERT(rkt::appexec::parseEnvFile("A=x=y\nnot a var\n=v\n") == EnvList({{"A", "x=y"}}));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AppexecEnvironmentTest);
