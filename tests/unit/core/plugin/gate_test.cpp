// The load rule on synthetic descriptors, one rule at a time.
#include <cppunit/extensions/HelperMacros.h>

#include <cstring>
#include <set>

#include "plugin/gate.hpp"

using rkt::plugin::PluginReport;
using rkt::plugin::Refusal;
using rkt::plugin::refusalName;
namespace detail = rkt::plugin::detail;

namespace {

rkt_status noopInit(const rkt_host_api*, rkt_registrar_host_ptr, rkt_error_host_ptr) {
  return RKT_OK;
}

rkt_plugin_descriptor validDescriptor() {
  rkt_plugin_descriptor d;
  std::memset(&d, 0, sizeof d);
  d.struct_size = sizeof d;
  d.abi_major = RKT_PLUGIN_ABI_MAJOR;
  d.abi_minor = RKT_PLUGIN_ABI_MINOR;
  d.name = "hello";
  d.version = "1.2.3";
  d.description = "says hello";
  d.license = "MIT";
  d.sdk_build = "test";
  d.init = &noopInit;
  return d;
}

detail::Verdict check(const rkt_plugin_descriptor& d, PluginReport* reportOut = nullptr) {
  PluginReport report;
  rkt_plugin_descriptor out;
  auto verdict = detail::checkDescriptor(d, "fetcher-hello.so", "hello", report, out);
  if (reportOut != nullptr) {
    *reportOut = report;
  }
  return verdict;
}

}  // namespace

class PluginGateTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PluginGateTest);
  CPPUNIT_TEST(parsesPluginFileNames);
  CPPUNIT_TEST(rejectsOtherFileNames);
  CPPUNIT_TEST(acceptsValidDescriptorAndCopiesFields);
  CPPUNIT_TEST(refusesOtherMajor);
  CPPUNIT_TEST(refusesNewerMinor);
  CPPUNIT_TEST(refusesOversizedDescriptor);
  CPPUNIT_TEST(refusesTruncatedDescriptor);
  CPPUNIT_TEST(refusesEachEmptyRequiredField);
  CPPUNIT_TEST(refusesMissingInit);
  CPPUNIT_TEST(refusesNameMismatch);
  CPPUNIT_TEST(refusalNamesAreDistinct);
  CPPUNIT_TEST_SUITE_END();

 public:
  void parsesPluginFileNames() {
    auto f = detail::parsePluginFileName("fetcher-aci-archive.so");
    CPPUNIT_ASSERT(f.has_value());
    CPPUNIT_ASSERT_EQUAL(RKT_KIND_FETCHER, f->kind);
    CPPUNIT_ASSERT_EQUAL(std::string("aci-archive"), f->name);
    auto s = detail::parsePluginFileName("stage1-fly.so");
    CPPUNIT_ASSERT(s.has_value());
    CPPUNIT_ASSERT_EQUAL(RKT_KIND_STAGE1, s->kind);
    CPPUNIT_ASSERT_EQUAL(std::string("fly"), s->name);
  }

  void rejectsOtherFileNames() {
    for (const char* name : {"fetcher.so", "fetcher-.so", "gadget-x.so", "fetcher-x.so.1",
                             "fetcher-x", "libfoo.so", "-x.so", ".so", ""}) {
      CPPUNIT_ASSERT_MESSAGE(name, !detail::parsePluginFileName(name).has_value());
    }
  }

  void acceptsValidDescriptorAndCopiesFields() {
    PluginReport report;
    auto verdict = check(validDescriptor(), &report);
    CPPUNIT_ASSERT_EQUAL(std::string("loaded"), std::string(refusalName(verdict.refusal)));
    CPPUNIT_ASSERT(report.haveAbi && report.haveDescriptor);
    CPPUNIT_ASSERT_EQUAL(std::string("hello"), report.name);
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3"), report.version);
    CPPUNIT_ASSERT_EQUAL(std::string("says hello"), report.description);
    CPPUNIT_ASSERT_EQUAL(std::string("MIT"), report.license);
    CPPUNIT_ASSERT_EQUAL(std::string("test"), report.sdkBuild);
  }

  void refusesOtherMajor() {
    auto d = validDescriptor();
    d.abi_major = RKT_PLUGIN_ABI_MAJOR + 1;
    d.abi_minor = 0;
    PluginReport report;
    auto v = check(d, &report);
    CPPUNIT_ASSERT(v.refusal == Refusal::AbiMajorMismatch);
    CPPUNIT_ASSERT(report.haveAbi);
    CPPUNIT_ASSERT(!report.haveDescriptor);  // another major's layout is unknown
    CPPUNIT_ASSERT(v.message.find("plugin ABI 2.0") != std::string::npos);
  }

  void refusesNewerMinor() {
    auto d = validDescriptor();
    d.abi_minor = RKT_PLUGIN_ABI_MINOR + 1;
    PluginReport report;
    auto v = check(d, &report);
    CPPUNIT_ASSERT(v.refusal == Refusal::AbiMinorNewer);
    CPPUNIT_ASSERT_EQUAL(std::string("hello"), report.name);  // the known prefix is readable
  }

  void refusesOversizedDescriptor() {
    struct {
      rkt_plugin_descriptor d;
      char more[8];
    } big{};
    big.d = validDescriptor();
    big.d.struct_size = sizeof big;
    auto v = check(big.d);
    CPPUNIT_ASSERT_EQUAL(std::string("descriptor-too-large"), std::string(refusalName(v.refusal)));
  }

  void refusesTruncatedDescriptor() {
    auto d = validDescriptor();
    d.struct_size = offsetof(rkt_plugin_descriptor, init);
    CPPUNIT_ASSERT(check(d).refusal == Refusal::DescriptorTooSmall);
    d.struct_size = 4;  // not even the version fields
    PluginReport report;
    CPPUNIT_ASSERT(check(d, &report).refusal == Refusal::DescriptorTooSmall);
    CPPUNIT_ASSERT(!report.haveAbi);
  }

  void refusesEachEmptyRequiredField() {
    const char* rkt_plugin_descriptor::*fields[] = {
        &rkt_plugin_descriptor::name, &rkt_plugin_descriptor::version,
        &rkt_plugin_descriptor::description, &rkt_plugin_descriptor::license};
    const char* names[] = {"`name`", "`version`", "`description`", "`license`"};
    for (int i = 0; i < 4; ++i) {
      for (const char* empty : {static_cast<const char*>(nullptr), ""}) {
        auto d = validDescriptor();
        d.*fields[i] = empty;
        auto v = check(d);
        CPPUNIT_ASSERT(v.refusal == Refusal::EmptyField);
        CPPUNIT_ASSERT_MESSAGE(v.message, v.message.find(names[i]) != std::string::npos);
      }
    }
    auto d = validDescriptor();
    d.sdk_build = nullptr;  // optional
    CPPUNIT_ASSERT(check(d).refusal == Refusal::None);
  }

  void refusesMissingInit() {
    auto d = validDescriptor();
    d.init = nullptr;
    CPPUNIT_ASSERT(check(d).refusal == Refusal::NoInit);
  }

  void refusesNameMismatch() {
    auto d = validDescriptor();
    d.name = "goodbye";
    auto v = check(d);
    CPPUNIT_ASSERT(v.refusal == Refusal::NameMismatch);
    CPPUNIT_ASSERT_EQUAL(
        std::string("descriptor name `goodbye` does not match file name `fetcher-hello.so`"),
        v.message);
  }

  void refusalNamesAreDistinct() {
    std::set<std::string> seen;
    for (int r = static_cast<int>(Refusal::None); r <= static_cast<int>(Refusal::NoFactory); ++r) {
      std::string name(refusalName(static_cast<Refusal>(r)));
      CPPUNIT_ASSERT_MESSAGE(name, name != "unknown");
      CPPUNIT_ASSERT_MESSAGE(name, seen.insert(name).second);
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginGateTest);
