// rkt::module::loadModuleEntry against a real shared object (an ABI fixture plugin, copied into a
// scratch directory): it loads what follows the ownership rule and, as root, refuses before
// mapping anything a module that is world-writable, sits in a world-writable directory or
// belongs to someone else, with one line naming the file.
#include <cppunit/extensions/HelperMacros.h>
#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "core/config/temp_tree.hpp"
#include "rkt/support/module/lazy_module.hpp"
#include "rkt/support/module/ownership.hpp"

namespace {

namespace fs = std::filesystem;
using rkt::module::checkOwnership;
using rkt::module::loadModuleEntry;

constexpr char kEntry[] = "rkt_plugin_descriptor_v1";  // what every plugin exports

// A copy of a fixture plugin in a fresh directory with the modes rkt installs (0755, 0644).
struct ModuleCopy {
  rkt::test::TempTree tree;
  std::string dir = tree.mkdir("lib");
  std::string path = dir + "/rkt-test.so";
  ModuleCopy() {
    fs::copy_file(std::string(RKT_ABI_FIXTURE_DIR) + "/fetcher-good.so", path);
    fs::permissions(dir, fs::perms(0755));
    fs::permissions(path, fs::perms(0644));
  }
  bool mapped() const {
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (handle != nullptr)
      ::dlclose(handle);  // drops only the reference RTLD_NOLOAD added
    return handle != nullptr;
  }
};

bool asRoot(const char* test) {
  if (::geteuid() == 0)
    return true;
  std::cerr << "LazyModuleTest::" << test << ": skipped, ownership is arranged as root only\n";
  return false;
}

std::string errorOf(const rkt::Result<void*>& r) {
  return r ? std::string("<loaded>") : r.error().message;
}

// As root: after `breakRule` the module is refused with `message` and never mapped.
template <class BreakRule>
void assertRefused(const char* test, const ModuleCopy& m, BreakRule breakRule,
                   const std::string& message) {
  if (!asRoot(test))
    return;
  breakRule();
  CPPUNIT_ASSERT_EQUAL(message, errorOf(loadModuleEntry({m.path}, kEntry, true)));
  CPPUNIT_ASSERT(!m.mapped());
}

}  // namespace

class LazyModuleTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(LazyModuleTest);
  CPPUNIT_TEST(loadsTheEntryOfTheFirstCandidateThatExists);
  CPPUNIT_TEST(refusesAWorldWritableModuleWithoutMappingIt);
  CPPUNIT_TEST(refusesAModuleInAWorldWritableDirectory);
  CPPUNIT_TEST(refusesAModuleOwnedBySomeoneElse);
  CPPUNIT_TEST(loadsAnythingWhenTheRuleIsOff);
  CPPUNIT_TEST(namesAMissingModuleOrSymbol);
  CPPUNIT_TEST(checkOwnershipNamesWhatCannotBeStated);
  CPPUNIT_TEST_SUITE_END();

 public:
  void loadsTheEntryOfTheFirstCandidateThatExists() {
    ModuleCopy m;
    auto r = loadModuleEntry({m.dir + "/absent.so", m.path}, kEntry);
    CPPUNIT_ASSERT_EQUAL(std::string("<loaded>"), errorOf(r));
    CPPUNIT_ASSERT(*r != nullptr);
    CPPUNIT_ASSERT(m.mapped());
    // The same answer the second time, from the one loaded copy.
    auto again = loadModuleEntry({m.dir + "/absent.so", m.path}, kEntry);
    CPPUNIT_ASSERT(again && *again == *r);
  }

  void refusesAWorldWritableModuleWithoutMappingIt() {
    ModuleCopy m;
    assertRefused(
        __func__, m, [&] { fs::permissions(m.path, fs::perms(0666)); },
        "`" + m.path + "` is world-writable");
  }

  void refusesAModuleInAWorldWritableDirectory() {
    ModuleCopy m;
    assertRefused(
        __func__, m, [&] { fs::permissions(m.dir, fs::perms(0777)); },
        "directory `" + m.dir + "` is world-writable");
  }

  void refusesAModuleOwnedBySomeoneElse() {
    ModuleCopy m;
    assertRefused(
        __func__, m, [&] { CPPUNIT_ASSERT_EQUAL(0, ::chown(m.path.c_str(), 65534, 65534)); },
        "`" + m.path + "` is not owned by root (owner uid 65534)");
  }

  void loadsAnythingWhenTheRuleIsOff() {
    ModuleCopy m;
    fs::permissions(m.path, fs::perms(0666));
    CPPUNIT_ASSERT_EQUAL(std::string("<loaded>"),
                         errorOf(loadModuleEntry({m.path}, kEntry, false)));
  }

  void namesAMissingModuleOrSymbol() {
    ModuleCopy m;
    const std::string absent = m.dir + "/absent.so";
    CPPUNIT_ASSERT_EQUAL("`" + absent + "`: not found",
                         errorOf(loadModuleEntry({absent, m.dir + "/also-absent.so"}, kEntry)));
    CPPUNIT_ASSERT_EQUAL("`" + m.path + "`: no symbol rkt_no_such_entry",
                         errorOf(loadModuleEntry({m.path}, "rkt_no_such_entry")));
  }

  void checkOwnershipNamesWhatCannotBeStated() {
    rkt::Status s = checkOwnership("/nonexistent/rkt-x.so", "module `/nonexistent/rkt-x.so`");
    CPPUNIT_ASSERT(!s);
    CPPUNIT_ASSERT_EQUAL(
        std::string("cannot stat module `/nonexistent/rkt-x.so`: no such file or directory"),
        s.error().message);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LazyModuleTest);
