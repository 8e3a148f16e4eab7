// The checks and copies the host makes when a plugin registers a factory.
#include <cppunit/extensions/HelperMacros.h>

#include <cstddef>

#include "plugin/factory_record.hpp"

namespace detail = rkt::plugin::detail;

namespace {

rkt_status create(const rkt_host_api*, const char*, size_t, rkt_instance_plugin_ptr*,
                  rkt_error_host_ptr) {
  return RKT_OK;
}
void destroy(rkt_instance_plugin_ptr) {}
rkt_status info(rkt_instance_plugin_ptr, rkt_buffer_host_ptr, rkt_error_host_ptr) {
  return RKT_OK;
}
rkt_status add(rkt_instance_plugin_ptr, const rkt_net_context*, const char*, size_t,
               rkt_buffer_host_ptr, rkt_error_host_ptr) {
  return RKT_OK;
}
rkt_status del(rkt_instance_plugin_ptr, const rkt_net_context*, const char*, size_t,
               rkt_buffer_host_ptr, rkt_error_host_ptr) {
  return RKT_OK;
}

rkt_store_ops storeOps(uint32_t structSize) {
  rkt_store_ops ops{};
  ops.struct_size = structSize;
  ops.info = &info;
  return ops;
}

const rkt_store_ops kStoreOps = storeOps(sizeof(rkt_store_ops));

rkt_factory validFactory() {
  rkt_factory f{};
  f.struct_size = sizeof f;
  f.kind = RKT_KIND_STORE;
  f.name = "cas";
  f.ops = &kStoreOps;
  f.create = &create;
  f.destroy = &destroy;
  return f;
}

std::string errorOf(const rkt_factory& f) {
  auto r = detail::copyFactory(f);
  return r ? std::string("accepted") : r.error().message;
}

}  // namespace

class PluginFactoryTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PluginFactoryTest);
  CPPUNIT_TEST(copiesValidFactory);
  CPPUNIT_TEST(refusesBadFactories);
  CPPUNIT_TEST(membersPastOpsStructSizeReadNull);
  CPPUNIT_TEST_SUITE_END();

 public:
  void copiesValidFactory() {
    auto r = detail::copyFactory(validFactory());
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT_EQUAL(RKT_KIND_STORE, r->kind);
    CPPUNIT_ASSERT_EQUAL(std::string("cas"), r->name);
    CPPUNIT_ASSERT(r->ops.store.info == &info);
  }

  void refusesBadFactories() {
    auto f = validFactory();
    f.struct_size = offsetof(rkt_factory, destroy);
    CPPUNIT_ASSERT(errorOf(f).find("is smaller than") != std::string::npos);
    f = validFactory();
    f.struct_size = sizeof(rkt_factory) + 8;
    CPPUNIT_ASSERT(errorOf(f).find("is larger than the host's") != std::string::npos);
    f = validFactory();
    f.kind = RKT_KIND_INVALID;
    CPPUNIT_ASSERT_EQUAL(std::string("factory kind 0 is not valid"), errorOf(f));
    f = validFactory();
    f.name = "";
    CPPUNIT_ASSERT_EQUAL(std::string("store factory has an empty name"), errorOf(f));
    f = validFactory();
    f.name = "a/b";
    CPPUNIT_ASSERT_EQUAL(std::string("store factory `a/b`: name contains `/`"), errorOf(f));
    f = validFactory();
    f.ops = nullptr;
    CPPUNIT_ASSERT_EQUAL(std::string("store factory `cas` has no ops table"), errorOf(f));
    f = validFactory();
    f.create = nullptr;
    CPPUNIT_ASSERT_EQUAL(std::string("store factory `cas` has no `create`"), errorOf(f));
    f = validFactory();
    f.destroy = nullptr;
    CPPUNIT_ASSERT_EQUAL(std::string("store factory `cas` has no `destroy`"), errorOf(f));
    rkt_store_ops zero = storeOps(0);
    f = validFactory();
    f.ops = &zero;
    CPPUNIT_ASSERT(errorOf(f).find("ops struct_size 0 is too small") != std::string::npos);
    struct {
      rkt_store_ops ops;
      void* future;
    } big{};
    big.ops = storeOps(sizeof big);
    f = validFactory();
    f.ops = &big;
    CPPUNIT_ASSERT(errorOf(f).find("is larger than the host's") != std::string::npos);
  }

  void membersPastOpsStructSizeReadNull() {
    rkt_net_ops shortOps{};
    shortOps.struct_size = offsetof(rkt_net_ops, check);
    shortOps.add = &add;
    shortOps.del = &del;
    shortOps.check = &del;
    auto f = validFactory();
    f.kind = RKT_KIND_NET;
    f.ops = &shortOps;
    auto r = detail::copyFactory(f);
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT(r->ops.net.add == &add);
    CPPUNIT_ASSERT(r->ops.net.del == &del);
    CPPUNIT_ASSERT(r->ops.net.check == nullptr);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginFactoryTest);
