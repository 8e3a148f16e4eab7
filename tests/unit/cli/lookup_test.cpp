#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>

#include "lookup.hpp"

using namespace rkt::cli;

namespace {
const CommandSpec kCat("cat-manifest", "");
const CommandSpec kCompletion("completion", "");
const CommandSpec kConfig("config", "");
const CommandSpec kFetch("fetch", "");
const CommandSpec kSecret = CommandSpec("secret", "").withTraits(kHidden);
const CommandSpec kApp = CommandSpec("app", "").withExperiment("RKT_TEST_EXPERIMENT_APP");
const CommandSpec kVersion("version", "");
const CommandSpec* const kTable[] = {&kVersion, &kCat,    &kCompletion, &kConfig,
                                     &kFetch,   &kSecret, &kApp};
}  // namespace

class CommandLookupTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CommandLookupTest);
  CPPUNIT_TEST(exactMatch);
  CPPUNIT_TEST(uniquePrefix);
  CPPUNIT_TEST(ambiguousPrefixListsCandidates);
  CPPUNIT_TEST(unknown);
  CPPUNIT_TEST(hiddenCommandsMatchButAreNotSuggested);
  CPPUNIT_TEST(experimentsNeedTheirVariable);
  CPPUNIT_TEST(suggestions);
  CPPUNIT_TEST(visibleCommandsAreSorted);
  CPPUNIT_TEST(editDistances);
  CPPUNIT_TEST_SUITE_END();

 public:
  void tearDown() override { ::unsetenv("RKT_TEST_EXPERIMENT_APP"); }

  void exactMatch() {
    const Lookup l = findCommand(kTable, "config");
    CPPUNIT_ASSERT(l.kind == Lookup::Kind::kFound);
    CPPUNIT_ASSERT_EQUAL(&kConfig, l.command);
  }

  void uniquePrefix() {
    CPPUNIT_ASSERT_EQUAL(&kVersion, findCommand(kTable, "ver").command);
    CPPUNIT_ASSERT_EQUAL(&kVersion, findCommand(kTable, "v").command);
    CPPUNIT_ASSERT_EQUAL(&kCompletion, findCommand(kTable, "comp").command);
    CPPUNIT_ASSERT_EQUAL(&kCat, findCommand(kTable, "cat").command);
  }

  void ambiguousPrefixListsCandidates() {
    const Lookup l = findCommand(kTable, "c");
    CPPUNIT_ASSERT(l.kind == Lookup::Kind::kAmbiguous);
    CPPUNIT_ASSERT(l.command == nullptr);
    const std::vector<std::string> expected = {"cat-manifest", "completion", "config"};
    CPPUNIT_ASSERT(expected == l.candidates);
    CPPUNIT_ASSERT(findCommand(kTable, "co").kind == Lookup::Kind::kAmbiguous);
  }

  void unknown() {
    CPPUNIT_ASSERT(findCommand(kTable, "bogus").kind == Lookup::Kind::kUnknown);
    CPPUNIT_ASSERT(findCommand(kTable, "").kind == Lookup::Kind::kUnknown);
    CPPUNIT_ASSERT(findCommand(kTable, "versions").kind == Lookup::Kind::kUnknown);
  }

  void hiddenCommandsMatchButAreNotSuggested() {
    CPPUNIT_ASSERT_EQUAL(&kSecret, findCommand(kTable, "sec").command);
    CPPUNIT_ASSERT(suggestCommands(kTable, "secrat").empty());
  }

  void experimentsNeedTheirVariable() {
    CPPUNIT_ASSERT(findCommand(kTable, "app").kind == Lookup::Kind::kUnknown);
    ::setenv("RKT_TEST_EXPERIMENT_APP", "yes", 1);  // not a Go bool word
    CPPUNIT_ASSERT(findCommand(kTable, "app").kind == Lookup::Kind::kUnknown);
    ::setenv("RKT_TEST_EXPERIMENT_APP", "true", 1);
    CPPUNIT_ASSERT_EQUAL(&kApp, findCommand(kTable, "app").command);
    // With `app` enabled, "a" is still unique.
    CPPUNIT_ASSERT_EQUAL(&kApp, findCommand(kTable, "a").command);
  }

  void suggestions() {
    const std::vector<std::string> one = {"version"};
    CPPUNIT_ASSERT(one == suggestCommands(kTable, "verzion"));
    CPPUNIT_ASSERT(one == suggestCommands(kTable, "VERSION"));
    CPPUNIT_ASSERT(suggestCommands(kTable, "zzzzzz").empty());
    const std::vector<std::string> fetch = {"fetch"};
    CPPUNIT_ASSERT(fetch == suggestCommands(kTable, "fech"));
  }

  void visibleCommandsAreSorted() {
    std::vector<std::string> names;
    for (const CommandSpec* c : visibleCommands(kTable))
      names.emplace_back(c->name);
    const std::vector<std::string> expected = {"cat-manifest", "completion", "config", "fetch",
                                               "version"};
    CPPUNIT_ASSERT(expected == names);
  }

  void editDistances() {
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), editDistance("abc", "abc"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(3), editDistance("", "abc"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), editDistance("fetch", "fech"));
    CPPUNIT_ASSERT_EQUAL(std::size_t(3), editDistance("kitten", "sitting"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CommandLookupTest);
