// Engine::removeImages (`rkt image rm`, and `rkt image gc`'s removals): each image once however
// it is named, every problem reported by name, and the counts rkt summarises.
#include <cppunit/extensions/HelperMacros.h>

#include "core/engine/engine_test_support.hpp"

using enginetest::Scratch;
using rkt::Engine;
using rkt::LogKind;
using rkt::MissingImages;

class EngineRemoveImagesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EngineRemoveImagesTest);
  CPPUNIT_TEST(eachImageOnceAndEveryProblemNamed);
  CPPUNIT_TEST(goneImagesAreNoProblemForGc);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override { scratch_ = std::make_unique<Scratch>(); }
  void tearDown() override { scratch_.reset(); }

  void eachImageOnceAndEveryProblemNamed() {
    Engine engine = scratch_->open();
    const std::string byId = enginetest::importImage(engine, "by-id");
    const std::string byName = enginetest::importImage(engine, "by-name");
    const std::string missing = "sha512-" + std::string(64, '0');
    std::vector<std::string> removed;
    rkt::Result<rkt::RemovedImages> result = engine.removeImages(
        {byId, byId.substr(0, 20), "example.com/by-name", missing, "example.com/nothing"},
        MissingImages::kError, [&](const std::string& key) { removed.push_back(key); });
    CPPUNIT_ASSERT(result.ok());
    CPPUNIT_ASSERT_EQUAL((std::vector<std::string>{byId, byName}), removed);
    CPPUNIT_ASSERT_EQUAL(2, result->removed);
    CPPUNIT_ASSERT_EQUAL(0, result->stale);
    CPPUNIT_ASSERT_EQUAL(2, result->failed);
    CPPUNIT_ASSERT_EQUAL((std::vector<std::string>{"image ID \"" + missing + "\" doesn't exist",
                                                   "image name \"example.com/nothing\" not found"}),
                         scratch_->lines(LogKind::kNotice));
    rkt::Result<std::vector<rkt::image::ImageRecord>> left = engine.store().list();
    CPPUNIT_ASSERT(left.ok() && left->empty());
  }

  void goneImagesAreNoProblemForGc() {
    Engine engine = scratch_->open();
    const std::string key = enginetest::importImage(engine, "gone");
    CPPUNIT_ASSERT(engine.store().remove(key).ok());
    rkt::Result<rkt::RemovedImages> result =
        engine.removeImages({key}, MissingImages::kGone, nullptr);
    CPPUNIT_ASSERT(result.ok());
    CPPUNIT_ASSERT_EQUAL(0, result->removed + result->failed);
    CPPUNIT_ASSERT(scratch_->log.empty());

    result = engine.removeImages({key}, MissingImages::kError, nullptr);
    CPPUNIT_ASSERT_EQUAL(1, result->failed);
  }

 private:
  std::unique_ptr<Scratch> scratch_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(EngineRemoveImagesTest);
