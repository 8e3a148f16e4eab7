// Go's %q and encoding/json string literals, as rkt prints them.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "rkt/base/quote.hpp"

class QuoteTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(QuoteTest);
  CPPUNIT_TEST(goQuoteEscapesLikePercentQ);
  CPPUNIT_TEST(jsonQuotePlain);
  CPPUNIT_TEST(jsonQuoteHtmlSafeLikeGoMarshal);
  CPPUNIT_TEST_SUITE_END();

 public:
  void goQuoteEscapesLikePercentQ() {
    CPPUNIT_ASSERT_EQUAL(std::string("\"example.com/app\""), rkt::goQuote("example.com/app"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"("a\"b\\c\nd\re\tf")"), rkt::goQuote("a\"b\\c\nd\re\tf"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"("\x1b[0m\x7f")"), rkt::goQuote("\x1b[0m\x7f"));
    CPPUNIT_ASSERT_EQUAL(std::string("\"h\xc3\xa9<&>\""), rkt::goQuote("h\xc3\xa9<&>"));
    CPPUNIT_ASSERT_EQUAL(std::string("\"\""), rkt::goQuote(""));
  }

  void jsonQuotePlain() {
    CPPUNIT_ASSERT_EQUAL(std::string(R"("a\"b\\c\nd\u0001<&>")"),
                         rkt::jsonQuote("a\"b\\c\nd\x01<&>"));
    CPPUNIT_ASSERT_EQUAL(std::string("\"\xe2\x80\xa8\""), rkt::jsonQuote("\xe2\x80\xa8"));
  }

  void jsonQuoteHtmlSafeLikeGoMarshal() {
    const rkt::JsonEscape html = rkt::JsonEscape::kHtmlSafe;
    CPPUNIT_ASSERT_EQUAL(std::string(R"("\u003cb\u003e \u0026 x")"),
                         rkt::jsonQuote("<b> & x", html));
    // Go escapes the two line separators but leaves other UTF-8 (é) as it is.
    CPPUNIT_ASSERT_EQUAL(std::string(R"("\u2028\u2029)") + "\xc3\xa9\"",
                         rkt::jsonQuote("\xe2\x80\xa8\xe2\x80\xa9\xc3\xa9", html));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(QuoteTest);
