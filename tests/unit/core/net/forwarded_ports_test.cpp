// rkt's ForwardedPorts (rkt-notes §5.5): the pod manifest's ports matched against the apps'
// ports by name, with rkt's errors for unknown and ambiguous names and conflicting host ports.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "rkt/core/net/forwarded_ports.hpp"

using rkt::net::forwardedPorts;
namespace schema = rkt::schema;

namespace {

schema::RuntimeApp appWithPorts(const std::string& name, std::vector<schema::Port> ports) {
  schema::RuntimeApp ra;
  ra.name = name;
  ra.app = schema::App{};
  ra.app->ports = std::move(ports);
  return ra;
}

schema::ExposedPort exposed(const std::string& name, std::uint32_t hostPort,
                            const std::string& hostIp = "") {
  schema::ExposedPort e;
  e.name = name;
  e.hostPort = hostPort;
  e.hostIp = hostIp;
  return e;
}

std::string message(const schema::PodManifest& pm) {
  auto r = forwardedPorts(pm);
  return r ? std::string("accepted") : r.error().message;
}

}  // namespace

class ForwardedPortsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ForwardedPortsTest);
  CPPUNIT_TEST(matchesAppPortsByName);
  CPPUNIT_TEST(refusesWhatRktRefuses);
  CPPUNIT_TEST_SUITE_END();

 public:
  void matchesAppPortsByName() {
    schema::PodManifest pm;
    pm.apps.push_back(appWithPorts("web", {{"http", "tcp", 80, 1, false}}));
    pm.apps.push_back(appWithPorts("dns", {{"dns", "udp", 53, 1, false}}));
    pm.ports = {exposed("http", 8080), exposed("dns", 8080, "127.0.0.1"),
                exposed("http", 8081, "10.0.0.1")};
    auto r = forwardedPorts(pm);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, r->size());
    CPPUNIT_ASSERT_EQUAL(std::string("tcp"), (*r)[0].protocol);
    CPPUNIT_ASSERT_EQUAL(std::string("0.0.0.0"), (*r)[0].hostIp);
    CPPUNIT_ASSERT_EQUAL(std::uint32_t{8080}, (*r)[0].hostPort);
    CPPUNIT_ASSERT_EQUAL(std::uint32_t{80}, (*r)[0].podPort);
    CPPUNIT_ASSERT_EQUAL(std::string("udp"), (*r)[1].protocol);  // same host port, other proto
    CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1"), (*r)[2].hostIp);
    // An exposed port with its own podPort needs no app port.
    schema::ExposedPort direct = exposed("raw", 9000);
    direct.podPort = schema::Port{"raw", "tcp", 9999, 1, false};
    pm.ports = {direct};
    CPPUNIT_ASSERT_EQUAL(std::uint32_t{9999}, (*forwardedPorts(pm))[0].podPort);
  }

  void refusesWhatRktRefuses() {
    schema::PodManifest pm;
    pm.apps.push_back(appWithPorts("a", {{"http", "tcp", 80, 1, false}}));
    pm.apps.push_back(
        appWithPorts("b", {{"http", "tcp", 81, 1, false}, {"alt", "tcp", 82, 1, false}}));
    pm.ports = {exposed("nope", 8080)};
    CPPUNIT_ASSERT_EQUAL(std::string("port name \"nope\" could not be found in any apps"),
                         message(pm));
    pm.ports = {exposed("http", 8080)};
    CPPUNIT_ASSERT_EQUAL(std::string("port name \"http\" defined multiple apps"), message(pm));
    pm.apps.pop_back();
    pm.apps.push_back(appWithPorts("b", {{"alt", "tcp", 82, 1, false}}));
    pm.ports = {exposed("http", 8080), exposed("alt", 8080)};
    CPPUNIT_ASSERT_EQUAL(std::string("port tcp-0.0.0.0:8080 already mapped to pod port 80"),
                         message(pm));
    pm.ports = {exposed("http", 8080, "10.0.0.1"), exposed("alt", 8080)};
    CPPUNIT_ASSERT_EQUAL(std::string("port tcp-0.0.0.0:8080 already mapped to pod port 80"),
                         message(pm));
    pm.ports = {exposed("http", 8080, "10.0.0.1"), exposed("alt", 8080, "10.0.0.1")};
    CPPUNIT_ASSERT_EQUAL(std::string("port tcp-10.0.0.1:8080 already mapped to pod port 80"),
                         message(pm));
    pm.ports = {exposed("http", 8080, "10.0.0.1"), exposed("alt", 8080, "10.0.0.2")};
    CPPUNIT_ASSERT_EQUAL(std::string("accepted"), message(pm));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ForwardedPortsTest);
