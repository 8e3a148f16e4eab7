// Alignment must match Go's tabwriter as rkt configures it, byte for byte.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/core/util/tab_writer.hpp"

using rkt::util::formatTabTable;

class TabWriterTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(TabWriterTest);
  CPPUNIT_TEST(padsToMultiplesOfEight);
  CPPUNIT_TEST(widthIsWidestCellPlusOne);
  CPPUNIT_TEST(lastCellIsNotPadded);
  CPPUNIT_TEST(countsUtf8Characters);
  CPPUNIT_TEST_SUITE_END();

 public:
  void padsToMultiplesOfEight() {
    // Widest first-column cell "abcdefgh" (8) + padding 1 = 9 -> 16 columns.
    CPPUNIT_ASSERT_EQUAL(std::string("UUID\t\tAPP\n"
                                     "abcdefgh\tx\n"),
                         formatTabTable({{"UUID", "APP"}, {"abcdefgh", "x"}}));
  }

  void widthIsWidestCellPlusOne() {
    // Widest "abcdefg" (7) + 1 = 8: one tab for every cell.
    CPPUNIT_ASSERT_EQUAL(std::string("a\tb\n"
                                     "abcdefg\tc\n"),
                         formatTabTable({{"a", "b"}, {"abcdefg", "c"}}));
    CPPUNIT_ASSERT_EQUAL(std::string("\tx\n"), formatTabTable({{"", "x"}}));
  }

  void lastCellIsNotPadded() {
    CPPUNIT_ASSERT_EQUAL(std::string("a\tb\tlong last cell\n"
                                     "c\td\te\n"),
                         formatTabTable({{"a", "b", "long last cell"}, {"c", "d", "e"}}));
    CPPUNIT_ASSERT_EQUAL(std::string(), formatTabTable({}));
  }

  void countsUtf8Characters() {
    // "ü" is two bytes but one character: "aüaüaüa" is 7 wide, so one tab.
    CPPUNIT_ASSERT_EQUAL(std::string("a\xC3\xBC"
                                     "a\xC3\xBC"
                                     "a\xC3\xBC"
                                     "a\tx\n"),
                         formatTabTable({{"a\xC3\xBC"
                                          "a\xC3\xBC"
                                          "a\xC3\xBC"
                                          "a",
                                          "x"}}));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TabWriterTest);
