// The host side of rkt_host_api, called the way a plugin calls it.
#include <cppunit/extensions/HelperMacros.h>

#include <cerrno>
#include <sstream>

#include "plugin/registrar.hpp"
#include "rkt/core/plugin/host.hpp"

using rkt::plugin::hostApi;

class PluginHostApiTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PluginHostApiTest);
  CPPUNIT_TEST(describesHostVersion);
  CPPUNIT_TEST(setErrorKeepsLastCall);
  CPPUNIT_TEST(setErrorToleratesNulls);
  CPPUNIT_TEST(bufferAppendAppends);
  CPPUNIT_TEST(registrationOnlyWhileOpen);
  CPPUNIT_TEST(logFiltersDebugLines);
  CPPUNIT_TEST(errorFromPluginPrefersPluginMessage);
  CPPUNIT_TEST_SUITE_END();

 public:
  void tearDown() override {
    rkt::plugin::setPluginLogStream(nullptr);
    rkt::plugin::setPluginDebugLogging(false);
  }

  void describesHostVersion() {
    const rkt_host_api* host = hostApi();
    CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(rkt_host_api)), host->struct_size);
    CPPUNIT_ASSERT_EQUAL(uint32_t(RKT_PLUGIN_ABI_MAJOR), host->abi_major);
    CPPUNIT_ASSERT_EQUAL(uint32_t(RKT_PLUGIN_ABI_MINOR), host->abi_minor);
    CPPUNIT_ASSERT_EQUAL(std::string(RKT_VERSION_STRING), std::string(host->host_version));
  }

  void setErrorKeepsLastCall() {
    rkt_error err;
    hostApi()->set_error(&err, RKT_E_IO, EACCES, "cannot open `a`: permission denied");
    hostApi()->set_error(&err, RKT_E_NOT_FOUND, ENOENT, "cannot find `b`");
    CPPUNIT_ASSERT(err.set);
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND, err.code);
    CPPUNIT_ASSERT_EQUAL(ENOENT, err.sysErrno);
    CPPUNIT_ASSERT_EQUAL(std::string("cannot find `b`"), err.message);
  }

  void setErrorToleratesNulls() {
    hostApi()->set_error(nullptr, RKT_E_IO, 0, "ignored");
    rkt_error err;
    hostApi()->set_error(&err, RKT_E_IO, 0, nullptr);
    CPPUNIT_ASSERT(err.set);
    CPPUNIT_ASSERT_EQUAL(std::string(), err.message);
  }

  void bufferAppendAppends() {
    rkt_buffer buf;
    CPPUNIT_ASSERT_EQUAL(RKT_OK, hostApi()->buffer_append(&buf, "{\"a\":", 5));
    CPPUNIT_ASSERT_EQUAL(RKT_OK, hostApi()->buffer_append(&buf, "1}xyz", 2));
    CPPUNIT_ASSERT_EQUAL(RKT_OK, hostApi()->buffer_append(&buf, nullptr, 0));
    CPPUNIT_ASSERT_EQUAL(std::string("{\"a\":1}"), buf.bytes);
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, hostApi()->buffer_append(nullptr, "x", 1));
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, hostApi()->buffer_append(&buf, nullptr, 3));
  }

  void registrationOnlyWhileOpen() {
    rkt_registrar reg;
    int calls = 0;
    reg.add = [&](const rkt_factory&, rkt_error*) {
      ++calls;
      return RKT_OK;
    };
    rkt_factory f{};
    rkt_error err;
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, hostApi()->register_factory(&reg, &f, &err));
    CPPUNIT_ASSERT_EQUAL(
        std::string("cannot register factory: registration is only allowed inside init"),
        err.message);
    reg.open = true;
    CPPUNIT_ASSERT_EQUAL(RKT_OK, hostApi()->register_factory(&reg, &f, &err));
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, hostApi()->register_factory(&reg, nullptr, &err));
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, hostApi()->register_factory(nullptr, &f, &err));
    CPPUNIT_ASSERT_EQUAL(1, calls);
  }

  void logFiltersDebugLines() {
    std::ostringstream out;
    rkt::plugin::setPluginLogStream(&out);
    hostApi()->log(RKT_LOG_DEBUG, "hello", "hidden");
    hostApi()->log(RKT_LOG_INFO, "hello", "shown");
    hostApi()->log(RKT_LOG_WARNING, "hello", "careful");
    hostApi()->log(RKT_LOG_ERROR, nullptr, "broken");
    rkt::plugin::setPluginDebugLogging(true);
    hostApi()->log(RKT_LOG_DEBUG, "hello", "details");
    CPPUNIT_ASSERT_EQUAL(std::string("hello: shown\n"
                                     "hello: warning: careful\n"
                                     "plugin: error: broken\n"
                                     "hello: details\n"),
                         out.str());
  }

  void errorFromPluginPrefersPluginMessage() {
    rkt_error err;
    auto plain = rkt::plugin::errorFromPlugin(RKT_E_BUSY, err, "`run` failed");
    CPPUNIT_ASSERT_EQUAL(std::string("`run` failed: busy"), plain.message);
    hostApi()->set_error(&err, RKT_E_BUSY, EAGAIN, "pod `x` is locked");
    auto withMessage = rkt::plugin::errorFromPlugin(RKT_E_BUSY, err, "`run` failed");
    CPPUNIT_ASSERT_EQUAL(std::string("pod `x` is locked"), withMessage.message);
    CPPUNIT_ASSERT_EQUAL(EAGAIN, withMessage.sysErrno);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginHostApiTest);
