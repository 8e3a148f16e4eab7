// Go-compatible JSON re-indentation.
#include <cppunit/extensions/HelperMacros.h>

#include "util/json_indent.hpp"

using rkt::util::indentJson;

class JsonIndentTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(JsonIndentTest);
  CPPUNIT_TEST(scalars);
  CPPUNIT_TEST(nested);
  CPPUNIT_TEST(emptyContainersStayInline);
  CPPUNIT_TEST(stringsAreUntouched);
  CPPUNIT_TEST(existingWhitespaceIsReplaced);
  CPPUNIT_TEST_SUITE_END();

 public:
  void scalars() {
    CPPUNIT_ASSERT_EQUAL(std::string("1"), indentJson("1"));
    CPPUNIT_ASSERT_EQUAL(std::string("\"x\""), indentJson("\"x\""));
  }

  void nested() {
    CPPUNIT_ASSERT_EQUAL(std::string("{\n\t\"a\": [\n\t\t1,\n\t\t{\n\t\t\t\"b\": null\n\t\t}\n\t],"
                                     "\n\t\"c\": true\n}"),
                         indentJson(R"({"a":[1,{"b":null}],"c":true})"));
    CPPUNIT_ASSERT_EQUAL(std::string("[\n  1,\n  2\n]"), indentJson("[1,2]", "  "));
  }

  void emptyContainersStayInline() {
    CPPUNIT_ASSERT_EQUAL(std::string("{\n\t\"a\": [],\n\t\"b\": {}\n}"),
                         indentJson(R"({"a":[],"b":{ }})"));
    CPPUNIT_ASSERT_EQUAL(std::string("[]"), indentJson("[]"));
  }

  void stringsAreUntouched() {
    CPPUNIT_ASSERT_EQUAL(std::string("{\n\t\"k, {[:\": \"v\\\"],{ \\\\\"\n}"),
                         indentJson(R"({"k, {[:":"v\"],{ \\"})"));
  }

  void existingWhitespaceIsReplaced() {
    CPPUNIT_ASSERT_EQUAL(std::string("{\n\t\"a\": 1\n}"), indentJson("{ \n \"a\" :\t1 }"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonIndentTest);
