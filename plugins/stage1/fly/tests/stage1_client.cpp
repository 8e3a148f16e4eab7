#include "stage1_client.hpp"

#include <stdexcept>
#include <utility>

#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/registry.hpp"

namespace flytest {

struct Stage1Client::Impl {
  explicit Impl(rkt::plugin::Instance i) : instance(std::move(i)) {}
  rkt::plugin::Instance instance;
};

namespace {

Outcome fromError(rkt_status status, const rkt_error& err) {
  Outcome o;
  o.status = status;
  o.message = err.message;
  o.sysErrno = err.sysErrno;
  return o;
}

}  // namespace

Stage1Client::Stage1Client(const std::string& pluginDir, const std::string& name) {
  // The build tree may belong to an unprivileged user: the ownership rule is the loader's
  // business (and its tests'), not this plugin's.
  rkt::plugin::LoaderOptions options{};
  options.checkOwnership = false;
  rkt::plugin::PluginRegistry registry({pluginDir}, options);
  rkt::Result<rkt::plugin::Factory> factory = registry.get(RKT_KIND_STAGE1, name);
  if (!factory) {
    throw std::runtime_error("cannot load stage1 `" + name + "`: " + factory.error().message);
  }
  rkt::Result<rkt::plugin::Instance> instance = factory->create("{}");
  if (!instance) {
    throw std::runtime_error("cannot create stage1 `" + name + "`: " + instance.error().message);
  }
  impl_ = std::make_unique<Impl>(std::move(*instance));
}

Stage1Client::~Stage1Client() = default;

Outcome Stage1Client::run(const std::string& request) const {
  rkt_error err;
  int exitStatus = -1;
  Outcome o = fromError(
      impl_->instance.call(err, &rkt_stage1_ops::run, request.data(), request.size(), &exitStatus),
      err);
  o.exitStatus = exitStatus;
  return o;
}

Outcome Stage1Client::describe() const {
  rkt_error err;
  rkt_buffer buf;
  Outcome o = fromError(impl_->instance.call(err, &rkt_stage1_ops::describe, &buf), err);
  o.result = buf.bytes;
  return o;
}

Outcome Stage1Client::enter(const std::string& request) const {
  rkt_error err;
  int exitStatus = -1;
  Outcome o = fromError(impl_->instance.call(err, &rkt_stage1_ops::enter, request.data(),
                                             request.size(), &exitStatus),
                        err);
  o.exitStatus = exitStatus;
  return o;
}

Outcome Stage1Client::stop(const std::string& request) const {
  rkt_error err;
  return fromError(impl_->instance.call(err, &rkt_stage1_ops::stop, request.data(), request.size()),
                   err);
}

Outcome Stage1Client::gc(const std::string& request) const {
  rkt_error err;
  return fromError(impl_->instance.call(err, &rkt_stage1_ops::gc, request.data(), request.size()),
                   err);
}

}  // namespace flytest
