#include <cppunit/extensions/HelperMacros.h>

#include "argscan.hpp"
#include "flags.hpp"

using namespace rkt::cli;

class ArgScanTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ArgScanTest);
  CPPUNIT_TEST(classifiesTokens);
  CPPUNIT_TEST(valueFlagsConsumeTheNextToken);
  CPPUNIT_TEST(scanReportsPflagErrors);
  CPPUNIT_TEST(scanStopsAtFirstPositionalInRawMode);
  CPPUNIT_TEST(scanIgnoresEverythingAfterDoubleDash);
  CPPUNIT_TEST(normalizeSplitsEmptyInlineValues);
  CPPUNIT_TEST_SUITE_END();

  CLI::App app_;
  bool debug_ = false;
  bool help_ = false;
  std::string dir_;
  std::string wait_ = "false";

 public:
  void setUp() override {
    app_.set_help_flag();  // CLI11's own -h; ours is a pflag-style bool
    addBoolFlag(app_, "-h,--help", help_, "");
    addBoolFlag(app_, "--debug", debug_, "");
    addStringFlag(app_, "--dir", dir_, "");
    addOptionalValueFlag(app_, "--wait", wait_, "true", "");
  }

  void classifiesTokens() {
    CPPUNIT_ASSERT(classifyToken(app_, "x").kind == Token::Kind::kPositional);
    CPPUNIT_ASSERT(classifyToken(app_, "-").kind == Token::Kind::kPositional);
    CPPUNIT_ASSERT(classifyToken(app_, "---").kind == Token::Kind::kPositional);
    CPPUNIT_ASSERT(classifyToken(app_, "").kind == Token::Kind::kPositional);
    CPPUNIT_ASSERT(classifyToken(app_, "--").kind == Token::Kind::kEndOfFlags);
    const Token t = classifyToken(app_, "--dir=/x=y");
    CPPUNIT_ASSERT(t.kind == Token::Kind::kFlag);
    CPPUNIT_ASSERT_EQUAL(std::string("--dir"), t.name);
    CPPUNIT_ASSERT_EQUAL(std::string("/x=y"), *t.value);
    CPPUNIT_ASSERT(t.option != nullptr);
    const Token s = classifyToken(app_, "-h");
    CPPUNIT_ASSERT_EQUAL(std::string("-h"), s.name);
    CPPUNIT_ASSERT(s.option != nullptr);
    CPPUNIT_ASSERT(classifyToken(app_, "--nope").option == nullptr);
  }

  void valueFlagsConsumeTheNextToken() {
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), classifyToken(app_, "--dir").valueTokens);
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), classifyToken(app_, "--dir=x").valueTokens);
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), classifyToken(app_, "--debug").valueTokens);
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), classifyToken(app_, "--wait").valueTokens);
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), classifyToken(app_, "--nope").valueTokens);
  }

  void scanReportsPflagErrors() {
    CPPUNIT_ASSERT(!scanFlags(app_, {"--debug", "a", "--dir", "x"}, false).error);
    CPPUNIT_ASSERT_EQUAL(std::string("unknown flag: --nope"),
                         *scanFlags(app_, {"a", "--nope=1"}, false).error);
    CPPUNIT_ASSERT_EQUAL(std::string("unknown shorthand flag: 'q' in -qx"),
                         *scanFlags(app_, {"-qx"}, false).error);
    CPPUNIT_ASSERT_EQUAL(std::string("flag needs an argument: --dir"),
                         *scanFlags(app_, {"a", "--dir"}, false).error);
    CPPUNIT_ASSERT(scanFlags(app_, {"--debug="}, false).error);
    // "--dir --nope": "--nope" is --dir's value, not a flag.
    CPPUNIT_ASSERT(!scanFlags(app_, {"--dir", "--nope"}, false).error);
  }

  void scanStopsAtFirstPositionalInRawMode() {
    const FlagScan s = scanFlags(app_, {"--debug", "--dir", "d", "img", "--nope", "--dir"}, true);
    CPPUNIT_ASSERT(!s.error);
    CPPUNIT_ASSERT_EQUAL(std::size_t(3), s.flagsEnd);
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), scanFlags(app_, {"--debug", "--", "x"}, true).flagsEnd);
    CPPUNIT_ASSERT_EQUAL(std::size_t(0), scanFlags(app_, {}, true).flagsEnd);
    CPPUNIT_ASSERT_EQUAL(std::size_t(4), scanFlags(app_, {"a", "b", "c", "d"}, false).flagsEnd);
  }

  void scanIgnoresEverythingAfterDoubleDash() {
    CPPUNIT_ASSERT(!scanFlags(app_, {"a", "--", "--nope", "-x"}, false).error);
  }

  void normalizeSplitsEmptyInlineValues() {
    const std::vector<std::string> in = {"--dir=", "x",  "--debug", "--dir",
                                         "--dir=", "--", "--dir="};
    const std::vector<std::string> expected = {"--dir", "",       "x",  "--debug",
                                               "--dir", "--dir=", "--", "--dir="};
    CPPUNIT_ASSERT(expected == normalizeForCli11(app_, in));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ArgScanTest);
