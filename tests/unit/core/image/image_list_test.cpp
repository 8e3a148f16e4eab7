// `rkt image list` options, table and JSON.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/core/image/image_list.hpp"

using namespace rkt::image;

class ImageListTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ImageListTest);
  CPPUNIT_TEST(fieldOptions);
  CPPUNIT_TEST(sortsStably);
  CPPUNIT_TEST(table);
  CPPUNIT_TEST(fullTable);
  CPPUNIT_TEST(json);
  CPPUNIT_TEST_SUITE_END();

  static constexpr std::int64_t kSec = 1000000000LL;
  static constexpr std::int64_t kNow = 1700000000LL * kSec;

  static std::vector<ImageRecord> images() {
    ImageRecord a;
    a.key = "sha512-" + std::string(64, 'a');
    a.name = "example.com/zeta";
    a.labels = {{"version", "1.0"}, {"os", "linux"}};
    a.importTime = kNow - 3600 * kSec;
    a.lastUsed = kNow - 120 * kSec;
    a.size = 5 * 1024 * 1024;
    a.treeSize = 7 * 1024 * 1024;
    ImageRecord b;
    b.key = "sha512-" + std::string(64, 'b');
    b.name = "example.com/alpha<&>";
    b.importTime = kNow - 7200 * kSec;
    b.lastUsed = kNow - 5 * kSec;
    b.size = 100;
    return {a, b};
  }

 public:
  void fieldOptions() {
    auto f = parseListFields("ID,name,size,importtime,lastused");
    CPPUNIT_ASSERT(f.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t{5}, f->size());
    CPPUNIT_ASSERT_EQUAL(std::string("unknown option \"latest\""),
                         parseListFields("id,latest").error().message);
    CPPUNIT_ASSERT_EQUAL(std::string("duplicated option \"id\""),
                         parseListFields("id,id").error().message);
    CPPUNIT_ASSERT(parseListFields("")->empty());
    CPPUNIT_ASSERT(!parseSortFields("id").ok());
    CPPUNIT_ASSERT(parseSortFields("name,size").ok());
    CPPUNIT_ASSERT(*parseSortOrder("asc"));
    CPPUNIT_ASSERT(!*parseSortOrder("desc"));
    CPPUNIT_ASSERT(!parseSortOrder("up").ok());
  }

  void sortsStably() {
    auto e = listEntries(images(), {ListField::kImportTime}, true);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/alpha<&>"), e[0].name);
    e = listEntries(images(), {ListField::kName}, false);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/zeta"), e[0].name);
    e = listEntries(images(), {ListField::kSize}, true);  // the stored size, not with the tree
    CPPUNIT_ASSERT_EQUAL(std::int64_t{100}, e[0].storedSize);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{12 * 1024 * 1024}, e[1].size);
    e = listEntries(images(), {}, true);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/zeta:1.0"), e[0].displayName);
  }

  void table() {
    TableOptions o;
    o.fields = *parseListFields("id,name,size,importtime,lastused");
    const std::string out =
        formatImageTable(listEntries(images(), {}, true), o,
                         std::chrono::system_clock::time_point(std::chrono::nanoseconds(kNow)));
    CPPUNIT_ASSERT_EQUAL(
        std::string(
            "ID\t\t\tNAME\t\t\tSIZE\tIMPORT TIME\tLAST USED\n"
            "sha512-aaaaaaaaaaaa\texample.com/zeta:1.0\t12MiB\t1 hour ago\t2 minutes ago\n"
            "sha512-bbbbbbbbbbbb\texample.com/alpha<&>\t100B\t2 hours ago\t5 seconds ago\n"),
        out);
    o.noLegend = true;
    o.fields = *parseListFields("name");
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/zeta:1.0\nexample.com/alpha<&>\n"),
                         formatImageTable(listEntries(images(), {}, true), o));
  }

  void fullTable() {
    TableOptions o;
    o.fields = *parseListFields("id,size");
    o.full = true;
    o.noLegend = true;
    const std::string out = formatImageTable(listEntries(images(), {}, true), o);
    CPPUNIT_ASSERT(out.find("sha512-" + std::string(64, 'a') + "\t12582912\n") == 0);
  }

  void json() {
    CPPUNIT_ASSERT_EQUAL(std::string("null"), formatImageJson({}, false));
    const std::string out = formatImageJson(listEntries(images(), {}, true), false);
    CPPUNIT_ASSERT_EQUAL(
        "[{\"id\":\"sha512-" + std::string(64, 'a') +
            "\",\"name\":\"example.com/zeta:1.0\",\"import_time\":" +
            std::to_string(kNow - 3600 * kSec) +
            ",\"last_used_time\":" + std::to_string(kNow - 120 * kSec) +
            ",\"size\":12582912},{\"id\":\"sha512-" + std::string(64, 'b') +
            "\",\"name\":\"example.com/alpha\\u003c\\u0026\\u003e\",\"import_time\":" +
            std::to_string(kNow - 7200 * kSec) +
            ",\"last_used_time\":" + std::to_string(kNow - 5 * kSec) + ",\"size\":100}]",
        out);
    const std::string pretty = formatImageJson(listEntries(images(), {}, true), true);
    CPPUNIT_ASSERT(pretty.find("[\n\t{\n\t\t\"id\": \"sha512-") == 0);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ImageListTest);
