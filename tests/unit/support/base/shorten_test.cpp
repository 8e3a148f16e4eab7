// Names and messages kept to one readable line: long names cut in the middle, control
// characters escaped.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "rkt/base/shorten.hpp"

namespace {

// "/d0000/d0001/…": `levels` components of 6 bytes each.
std::string deepPath(int levels) {
  std::string path;
  for (int i = 0; i < levels; ++i) {
    const std::string digits = std::to_string(10000 + i % 10000).substr(1);
    path += "/d" + digits;
  }
  return path;
}

}  // namespace

class ShortenTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ShortenTest);
  CPPUNIT_TEST(shortTextIsKept);
  CPPUNIT_TEST(longPathIsCutBetweenComponents);
  CPPUNIT_TEST(textWithoutSlashesIsCutAtTheBudget);
  CPPUNIT_TEST(neverCutsInsideUtf8);
  CPPUNIT_TEST(controlCharactersAreEscaped);
  CPPUNIT_TEST(shownNameEscapesThenShortens);
  CPPUNIT_TEST(oneLineShortensEachLongWord);
  CPPUNIT_TEST(oneLineCapsTheWholeLine);
  CPPUNIT_TEST(oneLineIsIdempotent);
  CPPUNIT_TEST_SUITE_END();

 public:
  void shortTextIsKept() {
    CPPUNIT_ASSERT_EQUAL(std::string("/a/b/c"), rkt::shortenMiddle("/a/b/c"));
    const std::string exact(rkt::kMaxShownName, 'x');
    CPPUNIT_ASSERT_EQUAL(exact, rkt::shortenMiddle(exact));
    CPPUNIT_ASSERT_EQUAL(std::string(), rkt::shortenMiddle(""));
  }

  void longPathIsCutBetweenComponents() {
    const std::string path = deepPath(2000);  // 12,000 bytes
    const std::string shown = rkt::shortenMiddle(path);
    CPPUNIT_ASSERT(shown.size() <= rkt::kMaxShownName);
    CPPUNIT_ASSERT(shown.size() > rkt::kMaxShownName / 2);
    CPPUNIT_ASSERT_EQUAL(std::string("/d0000/d0001/"), shown.substr(0, 13));
    CPPUNIT_ASSERT_EQUAL(std::string("/d1998/d1999"), shown.substr(shown.size() - 12));
    // Whole components on both sides of the ellipsis: ".../d0014/…/d1985/...".
    const std::size_t cut = shown.find(rkt::kEllipsis);
    CPPUNIT_ASSERT(cut != std::string::npos);
    CPPUNIT_ASSERT_EQUAL('/', shown[cut - 1]);
    CPPUNIT_ASSERT_EQUAL('/', shown[cut + rkt::kEllipsis.size()]);
    CPPUNIT_ASSERT_EQUAL(std::string::npos, shown.find(rkt::kEllipsis, cut + 1));
  }

  void textWithoutSlashesIsCutAtTheBudget() {
    const std::string text = std::string(300, 'a') + std::string(300, 'z');
    const std::string shown = rkt::shortenMiddle(text, 20);
    CPPUNIT_ASSERT_EQUAL(std::string("aaaaaaaa") + std::string(rkt::kEllipsis) + "zzzzzzzzz",
                         shown);
  }

  void neverCutsInsideUtf8() {
    std::string text;
    for (int i = 0; i < 200; ++i) {
      text += "\xc3\xa9";  // é
    }
    const std::string shown = rkt::shortenMiddle(text, 21);
    // 18 bytes of budget: 9 head bytes would split an é, so 8 (4 é) are kept; the tail starts
    // on a character too.
    CPPUNIT_ASSERT_EQUAL(std::string("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9") +
                             std::string(rkt::kEllipsis) + "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                         shown);
  }

  void controlCharactersAreEscaped() {
    CPPUNIT_ASSERT_EQUAL(std::string(R"(a\nb\rc\td\x1b[0m\x7f\x00)"),
                         rkt::escapeControls(std::string("a\nb\rc\td\x1b[0m\x7f\0", 13)));
    // Backslashes and UTF-8 stay: an escaped text is not escaped again.
    CPPUNIT_ASSERT_EQUAL(std::string(R"(a\nb \"q\" é)"), rkt::escapeControls(R"(a\nb \"q\" é)"));
  }

  void shownNameEscapesThenShortens() {
    CPPUNIT_ASSERT_EQUAL(std::string(R"(evil\n/name)"), rkt::shownName("evil\n/name"));
    const std::string shown = rkt::shownName(std::string(5000, '\n'));
    CPPUNIT_ASSERT(shown.size() <= rkt::kMaxShownName);
    CPPUNIT_ASSERT_EQUAL(std::string::npos, shown.find('\n'));
  }

  void oneLineShortensEachLongWord() {
    const std::string path = deepPath(2000);
    const std::string message = "cannot open `" + path + "`: no such file or directory";
    const std::string line = rkt::oneLine(message);
    CPPUNIT_ASSERT(line.size() < 300);
    CPPUNIT_ASSERT_EQUAL(std::string("cannot open `/d0000/"), line.substr(0, 20));
    const std::string end = "/d1999`: no such file or directory";
    CPPUNIT_ASSERT_EQUAL(end, line.substr(line.size() - end.size()));
    CPPUNIT_ASSERT_EQUAL(std::string("short message: kept as it is"),
                         rkt::oneLine("short message: kept as it is"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(bad name `a\nb`: refused)"),
                         rkt::oneLine("bad name `a\nb`: refused"));
  }

  void oneLineCapsTheWholeLine() {
    std::string message = "start";
    for (int i = 0; i < 500; ++i) {
      message += " word" + std::to_string(i);
    }
    message += " end";
    const std::string line = rkt::oneLine(message);
    CPPUNIT_ASSERT(line.size() <= rkt::kMaxMessageLine);
    CPPUNIT_ASSERT_EQUAL(std::string("start word0 "), line.substr(0, 12));
    CPPUNIT_ASSERT_EQUAL(std::string(" word499 end"), line.substr(line.size() - 12));
    CPPUNIT_ASSERT(line.find(" " + std::string(rkt::kEllipsis) + " ") != std::string::npos);
  }

  void oneLineIsIdempotent() {
    std::string message = "x";
    for (int i = 0; i < 40; ++i) {
      message += " " + deepPath(40 + i) + "\n\x1b";
    }
    const std::string once = rkt::oneLine(message);
    CPPUNIT_ASSERT(once.size() <= rkt::kMaxMessageLine);
    CPPUNIT_ASSERT_EQUAL(once, rkt::oneLine(once));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ShortenTest);
