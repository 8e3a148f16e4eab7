#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include "flags.hpp"

using rkt::cli::addBoolFlag;
using rkt::cli::addOptionalValueFlag;
using rkt::cli::addStringFlag;
using rkt::cli::parseGoBool;

namespace {
// Parses `args` (in order) with CLI11; returns the error text, empty on success.
std::string parse(CLI::App& app, std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

class FlagsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FlagsTest);
  CPPUNIT_TEST(goBoolWords);
  CPPUNIT_TEST(boolFlagForms);
  CPPUNIT_TEST(boolFlagDoesNotConsumeNextArgument);
  CPPUNIT_TEST(boolFlagRejectsOtherWords);
  CPPUNIT_TEST(boolFlagLastWins);
  CPPUNIT_TEST(optionalValueFlag);
  CPPUNIT_TEST(stringFlag);
  CPPUNIT_TEST(defaultsAreRecordedForHelp);
  CPPUNIT_TEST_SUITE_END();

 public:
  void goBoolWords() {
    for (const char* w : {"1", "t", "T", "TRUE", "true", "True"}) {
      CPPUNIT_ASSERT_MESSAGE(w, parseGoBool(w) == std::optional<bool>(true));
    }
    for (const char* w : {"0", "f", "F", "FALSE", "false", "False"}) {
      CPPUNIT_ASSERT_MESSAGE(w, parseGoBool(w) == std::optional<bool>(false));
    }
    for (const char* w : {"", "yes", "no", "on", "off", "tRUE", "2", " true"}) {
      CPPUNIT_ASSERT_MESSAGE(w, !parseGoBool(w).has_value());
    }
  }

  void boolFlagForms() {
    struct Case {
      std::vector<std::string> args;
      bool initial;
      bool expected;
    };
    const Case cases[] = {
        {{}, false, false},
        {{}, true, true},
        {{"--debug"}, false, true},
        {{"--debug=true"}, false, true},
        {{"--debug=T"}, false, true},
        {{"--debug=1"}, false, true},
        {{"--debug=false"}, true, false},
        {{"--debug=F"}, true, false},
        {{"--debug=0"}, true, false},
    };
    for (const Case& c : cases) {
      CLI::App app;
      bool value = c.initial;
      addBoolFlag(app, "--debug", value, "d");
      CPPUNIT_ASSERT_EQUAL(std::string(), parse(app, c.args));
      CPPUNIT_ASSERT_EQUAL(c.expected, value);
    }
  }

  void boolFlagDoesNotConsumeNextArgument() {
    CLI::App app;
    bool value = true;
    std::vector<std::string> positionals;
    addBoolFlag(app, "--debug", value, "d");
    app.add_option("args", positionals);
    CPPUNIT_ASSERT_EQUAL(std::string(), parse(app, {"--debug", "false"}));
    CPPUNIT_ASSERT(value);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), positionals.size());
    CPPUNIT_ASSERT_EQUAL(std::string("false"), positionals[0]);
  }

  void boolFlagRejectsOtherWords() {
    CLI::App app;
    bool value = false;
    addBoolFlag(app, "--debug", value, "d");
    const std::string error = parse(app, {"--debug=yes"});
    CPPUNIT_ASSERT(error.find("invalid argument \"yes\" for \"--debug\"") != std::string::npos);
  }

  void boolFlagLastWins() {
    CLI::App app;
    bool value = false;
    addBoolFlag(app, "--debug", value, "d");
    CPPUNIT_ASSERT_EQUAL(std::string(), parse(app, {"--debug", "--debug=false"}));
    CPPUNIT_ASSERT(!value);
  }

  void optionalValueFlag() {
    {
      CLI::App app;
      std::string wait = "false";
      addOptionalValueFlag(app, "--wait", wait, "true", "w");
      CPPUNIT_ASSERT_EQUAL(std::string(), parse(app, {}));
      CPPUNIT_ASSERT_EQUAL(std::string("false"), wait);
    }
    {
      CLI::App app;
      std::string wait = "false";
      addOptionalValueFlag(app, "--wait", wait, "true", "w");
      CPPUNIT_ASSERT_EQUAL(std::string(), parse(app, {"--wait"}));
      CPPUNIT_ASSERT_EQUAL(std::string("true"), wait);
    }
    {
      CLI::App app;
      std::string wait = "false";
      addOptionalValueFlag(app, "--wait", wait, "true", "w");
      CPPUNIT_ASSERT_EQUAL(std::string(), parse(app, {"--wait=10s"}));
      CPPUNIT_ASSERT_EQUAL(std::string("10s"), wait);
    }
    {
      // The value must be attached: a separate token is a positional argument.
      CLI::App app;
      std::string wait = "false";
      std::vector<std::string> positionals;
      addOptionalValueFlag(app, "--wait", wait, "true", "w");
      app.add_option("args", positionals);
      CPPUNIT_ASSERT_EQUAL(std::string(), parse(app, {"--wait", "5s"}));
      CPPUNIT_ASSERT_EQUAL(std::string("true"), wait);
      CPPUNIT_ASSERT_EQUAL(std::size_t(1), positionals.size());
    }
    {
      CLI::App app;
      std::string wait = "false";
      addOptionalValueFlag(app, "--wait", wait, "1m", "w");
      CPPUNIT_ASSERT_EQUAL(std::string(), parse(app, {"--wait"}));
      CPPUNIT_ASSERT_EQUAL(std::string("1m"), wait);
    }
  }

  void stringFlag() {
    CLI::App app;
    std::string format = "tabbed";
    addStringFlag(app, "--format", format, "f");
    CPPUNIT_ASSERT_EQUAL(std::string(), parse(app, {"--format", "json", "--format=json-pretty"}));
    CPPUNIT_ASSERT_EQUAL(std::string("json-pretty"), format);
  }

  void defaultsAreRecordedForHelp() {
    CLI::App app;
    bool b = true;
    std::string s = "x";
    std::string w = "false";
    CPPUNIT_ASSERT_EQUAL(std::string("true"), addBoolFlag(app, "--b", b, "")->get_default_str());
    CPPUNIT_ASSERT_EQUAL(std::string("x"), addStringFlag(app, "--s", s, "")->get_default_str());
    CLI::Option* o = addOptionalValueFlag(app, "--w", w, "true", "");
    CPPUNIT_ASSERT_EQUAL(std::string("false"), o->get_default_str());
    CPPUNIT_ASSERT(rkt::cli::isFlagLike(*o));
    CPPUNIT_ASSERT(!rkt::cli::isFlagLike(*app.get_option("--s")));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlagsTest);
