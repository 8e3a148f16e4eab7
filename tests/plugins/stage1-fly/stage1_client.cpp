// TEMPORARY: a minimal dlopen host until the core's plugin registry lands on main.
#include "stage1_client.hpp"

#include <dlfcn.h>

#include <iostream>
#include <stdexcept>

struct rkt_error {
  rkt_status code = RKT_OK;
  int sysErrno = 0;
  std::string message;
};
struct rkt_buffer {
  std::string bytes;
};

namespace flytest {

namespace {

const rkt_factory* gFactory = nullptr;
rkt_factory gFactoryCopy;

void setError(rkt_error_host_ptr err, rkt_status code, int sysErrno, const char* message) {
  err->code = code;
  err->sysErrno = sysErrno;
  err->message = message != nullptr ? message : "";
}
rkt_status registerFactory(rkt_registrar_host_ptr, const rkt_factory* f, rkt_error_host_ptr) {
  gFactoryCopy = *f;
  gFactory = &gFactoryCopy;
  return RKT_OK;
}
rkt_status bufferAppend(rkt_buffer_host_ptr buf, const char* data, size_t len) {
  buf->bytes.append(data, len);
  return RKT_OK;
}
void hostLog(rkt_log_level level, const char* plugin, const char* message) {
  if (level == RKT_LOG_DEBUG) {
    return;
  }
  std::cerr << plugin << ": " << (level == RKT_LOG_WARNING ? "warning: " : "") << message
            << std::endl;
}
const rkt_host_api kHost = {sizeof(rkt_host_api),
                            RKT_PLUGIN_ABI_MAJOR,
                            RKT_PLUGIN_ABI_MINOR,
                            "test",
                            &setError,
                            &registerFactory,
                            &bufferAppend,
                            &hostLog};

}  // namespace

struct Stage1Client::Impl {
  void* handle = nullptr;
  const rkt_stage1_ops* ops = nullptr;
  rkt_instance_plugin_ptr instance = nullptr;
};

Stage1Client::Stage1Client(const std::string& pluginDir, const std::string& name)
    : impl_(std::make_unique<Impl>()) {
  std::string path = pluginDir + "/stage1-" + name + ".so";
  impl_->handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (impl_->handle == nullptr) {
    throw std::runtime_error(::dlerror());
  }
  auto entry =
      reinterpret_cast<rkt_plugin_entry_fn>(::dlsym(impl_->handle, RKT_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr) {
    throw std::runtime_error("no entry symbol");
  }
  rkt_error err;
  if (entry()->init(&kHost, nullptr, &err) != RKT_OK || gFactory == nullptr) {
    throw std::runtime_error("init failed: " + err.message);
  }
  impl_->ops = static_cast<const rkt_stage1_ops*>(gFactory->ops);
  if (gFactory->create(&kHost, "{}", 2, &impl_->instance, &err) != RKT_OK) {
    throw std::runtime_error("create failed: " + err.message);
  }
}

Stage1Client::~Stage1Client() {
  if (impl_->instance != nullptr) {
    gFactory->destroy(impl_->instance);
  }
}

Outcome Stage1Client::run(const std::string& request) const {
  Outcome o;
  rkt_error err;
  o.status = impl_->ops->run(impl_->instance, request.data(), request.size(), &o.exitStatus, &err);
  o.message = err.message;
  o.sysErrno = err.sysErrno;
  return o;
}

Outcome Stage1Client::describe() const {
  Outcome o;
  rkt_error err;
  rkt_buffer buf;
  o.status = impl_->ops->describe(impl_->instance, &buf, &err);
  o.result = buf.bytes;
  o.message = err.message;
  return o;
}

Outcome Stage1Client::enter(const std::string& request) const {
  Outcome o;
  rkt_error err;
  o.status =
      impl_->ops->enter(impl_->instance, request.data(), request.size(), &o.exitStatus, &err);
  o.message = err.message;
  o.sysErrno = err.sysErrno;
  return o;
}

Outcome Stage1Client::stop(const std::string& request) const {
  Outcome o;
  rkt_error err;
  o.status = impl_->ops->stop(impl_->instance, request.data(), request.size(), &err);
  o.message = err.message;
  return o;
}

Outcome Stage1Client::gc(const std::string& request) const {
  Outcome o;
  rkt_error err;
  o.status = impl_->ops->gc(impl_->instance, request.data(), request.size(), &err);
  o.message = err.message;
  return o;
}

}  // namespace flytest
