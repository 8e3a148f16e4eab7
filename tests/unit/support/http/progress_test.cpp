// support/http: rkt's progress line format (drawn only on terminals, so checked here directly).
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "rkt/support/http/progress.hpp"

using rkt::http::formatBytes;
using rkt::http::progressLine;

class HttpProgressTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HttpProgressTest);
  CPPUNIT_TEST(bytesUseThreeSignificantDigits);
  CPPUNIT_TEST(barFitsEightyColumns);
  CPPUNIT_TEST(unknownTotal);
  CPPUNIT_TEST(narrowTerminal);
  CPPUNIT_TEST_SUITE_END();

 public:
  void bytesUseThreeSignificantDigits() {
    CPPUNIT_ASSERT_EQUAL(std::string("0 B"), formatBytes(0));
    CPPUNIT_ASSERT_EQUAL(std::string("999 B"), formatBytes(999));
    CPPUNIT_ASSERT_EQUAL(std::string("1 KB"), formatBytes(1000));
    CPPUNIT_ASSERT_EQUAL(std::string("1.5 KB"), formatBytes(1500));
    CPPUNIT_ASSERT_EQUAL(std::string("3.79 MB"), formatBytes(3790000));
    CPPUNIT_ASSERT_EQUAL(std::string("3.79 MB"), formatBytes(3791234));
    CPPUNIT_ASSERT_EQUAL(std::string("12.3 GB"), formatBytes(12345678901));
  }

  void barFitsEightyColumns() {
    // rkt: bar of 80 - len("Downloading ACI") - 18 columns, brackets included.
    std::string empty = progressLine("ACI", 0, 3790000);
    CPPUNIT_ASSERT_EQUAL("Downloading ACI: [" + std::string(45, ' ') + "] 0 B/3.79 MB", empty);
    std::string half = progressLine("ACI", 1895000, 3790000);
    CPPUNIT_ASSERT_EQUAL(
        "Downloading ACI: [" + std::string(22, '=') + std::string(23, ' ') + "] 1.9 MB/3.79 MB",
        half);
    std::string full = progressLine("signature", 819, 819);
    CPPUNIT_ASSERT_EQUAL("Downloading signature: [" + std::string(39, '=') + "] 819 B/819 B", full);
  }

  void unknownTotal() {
    CPPUNIT_ASSERT_EQUAL(std::string("Downloading ACI: 1.5 KB of an unknown total size"),
                         progressLine("ACI", 1500, -1));
  }

  void narrowTerminal() {
    std::string line = progressLine("ACI", 10, 10, 40);
    CPPUNIT_ASSERT_EQUAL("Downloading ACI: [" + std::string(5, '=') + "] 10 B/10 B", line);
    // Never a negative bar, however narrow.
    CPPUNIT_ASSERT_EQUAL(std::string("Downloading ACI: [=] 10 B/10 B"),
                         progressLine("ACI", 10, 10, 10));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HttpProgressTest);
