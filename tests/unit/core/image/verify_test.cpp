// What the core checks on a downloaded image before importing it: the manifest read from the
// archive, name and labels of a fetch by name.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <fstream>

#include "rkt/core/image/verify.hpp"

using namespace rkt;

class ImageVerifyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ImageVerifyTest);
  CPPUNIT_TEST(checksNameAndLabelsAsRkt);
  CPPUNIT_TEST(refusesFilesThatAreNotImages);
  CPPUNIT_TEST_SUITE_END();

 public:
  void checksNameAndLabelsAsRkt() {
    schema::ImageManifest m;
    m.name = "example.com/app";
    m.labels = {{"version", "1.0"}, {"os", "linux"}};
    CPPUNIT_ASSERT(image::validateNameAndLabels(m, "example.com/app", {{"os", "linux"}}).ok());
    auto name = image::validateNameAndLabels(m, "example.com/other", {});
    CPPUNIT_ASSERT_EQUAL(std::string("error when reading the app name: \"example.com/other\" "
                                     "expected but \"example.com/app\" found"),
                         name.error().message);
    auto value = image::validateNameAndLabels(m, "example.com/app", {{"version", "2.0"}});
    CPPUNIT_ASSERT_EQUAL(std::string("requested value for label \"version\": \"2.0\" differs "
                                     "from fetched aci label value: \"1.0\""),
                         value.error().message);
    auto missing = image::validateNameAndLabels(m, "example.com/app", {{"arch", "amd64"}});
    CPPUNIT_ASSERT_EQUAL(std::string("requested label \"arch\" not provided by the image manifest"),
                         missing.error().message);
  }

  void refusesFilesThatAreNotImages() {
    std::string path = std::string(P_tmpdir) + "/rkt-verify-test-junk.aci";
    std::ofstream(path) << "this is not a tar archive at all, not even close";
    auto r = image::readAciManifest(path);
    std::remove(path.c_str());
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_MESSAGE(r.error().message, r.error().message.find(path) != std::string::npos);
    CPPUNIT_ASSERT(!image::readAciManifest("/nonexistent/x.aci").ok());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ImageVerifyTest);
