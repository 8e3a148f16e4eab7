#include "rkt/core/plugin/factory.hpp"

#include <cstddef>
#include <cstring>

#include "plugin/factory_record.hpp"

namespace rkt::plugin {
namespace detail {

size_t hostOpsSize(rkt_kind kind) {
  switch (kind) {
    case RKT_KIND_FETCHER:
      return sizeof(rkt_fetcher_ops);
    case RKT_KIND_STORE:
      return sizeof(rkt_store_ops);
    case RKT_KIND_STAGE1:
      return sizeof(rkt_stage1_ops);
    case RKT_KIND_NET:
      return sizeof(rkt_net_ops);
    case RKT_KIND_IPAM:
      return sizeof(rkt_ipam_ops);
    case RKT_KIND_INVALID:
      break;
  }
  return 0;
}

Result<FactoryRecord> copyFactory(const rkt_factory& factory) {
  // ABI 1.0 factories carry every field up to `destroy`.
  constexpr size_t kMinSize = offsetof(rkt_factory, destroy) + sizeof(factory.destroy);
  const size_t size = factory.struct_size;
  if (size < kMinSize) {
    return Error{"factory struct_size " + std::to_string(size) + " is smaller than the " +
                 std::to_string(kMinSize) + " bytes ABI 1.0 requires"};
  }
  if (size > sizeof(rkt_factory)) {
    return Error{"factory struct_size " + std::to_string(size) + " is larger than the host's " +
                 std::to_string(sizeof(rkt_factory))};
  }
  FactoryRecord record;
  std::memset(&record.factory, 0, sizeof record.factory);
  std::memcpy(&record.factory, &factory, size);
  const rkt_factory& f = record.factory;

  const size_t opsSize = hostOpsSize(f.kind);
  if (opsSize == 0) {
    return Error{"factory kind " + std::to_string(static_cast<int>(f.kind)) + " is not valid"};
  }
  if (f.name == nullptr || *f.name == '\0') {
    return Error{std::string(kindName(f.kind)) + " factory has an empty name"};
  }
  record.kind = f.kind;
  record.name = f.name;
  const std::string what = std::string(kindName(f.kind)) + " factory `" + record.name + "`";
  if (record.name.find('/') != std::string::npos) {
    return Error{what + ": name contains `/`"};
  }
  if (f.ops == nullptr) {
    return Error{what + " has no ops table"};
  }
  if (f.create == nullptr) {
    return Error{what + " has no `create`"};
  }
  if (f.destroy == nullptr) {
    return Error{what + " has no `destroy`"};
  }
  uint32_t opsStructSize = 0;
  std::memcpy(&opsStructSize, f.ops, sizeof opsStructSize);
  if (opsStructSize < sizeof(uint32_t)) {
    return Error{what + ": ops struct_size " + std::to_string(opsStructSize) + " is too small"};
  }
  if (opsStructSize > opsSize) {
    return Error{what + ": ops struct_size " + std::to_string(opsStructSize) +
                 " is larger than the host's " + std::to_string(opsSize)};
  }
  std::memset(&record.ops, 0, sizeof record.ops);
  std::memcpy(&record.ops, f.ops, opsStructSize);
  return record;
}

}  // namespace detail

Factory::Factory(std::shared_ptr<const detail::FactoryRecord> record)
    : record_(std::move(record)) {}

rkt_kind Factory::kind() const {
  return record_->kind;
}
const std::string& Factory::name() const {
  return record_->name;
}
const std::string& Factory::pluginPath() const {
  return record_->pluginPath;
}
const std::string& Factory::pluginName() const {
  return record_->pluginName;
}

std::string Factory::displayName() const {
  return std::string(kindName(record_->kind)) + " `" + record_->name + "`";
}

const void* Factory::opsTable() const {
  return &record_->ops;
}

Result<Instance> Factory::create(const std::string& configJson) const {
  rkt_error err;
  rkt_instance_plugin_ptr handle = nullptr;
  rkt_status status =
      record_->factory.create(hostApi(), configJson.data(), configJson.size(), &handle, &err);
  const std::string context = "cannot create " + displayName();
  if (status != RKT_OK) {
    Error e = errorFromPlugin(status, err, context);
    if (err.set && !err.message.empty()) {
      e = e.wrap(context);
    }
    return e;
  }
  if (handle == nullptr) {
    return Error{context + ": the plugin returned no instance"};
  }
  return Instance(*this, handle);
}

Instance& Instance::operator=(Instance&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) {
      factory_.record_->factory.destroy(handle_);
    }
    factory_ = other.factory_;
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

Instance::~Instance() {
  if (handle_ != nullptr) {
    factory_.record_->factory.destroy(handle_);
  }
}

Error Instance::doesNotSupport(std::string_view opName, const Factory& factory) {
  return Error{factory.displayName() + " does not support `" + std::string(opName) + "`"};
}

Error Instance::failed(std::string_view opName, rkt_status status, const rkt_error& err) const {
  return errorFromPlugin(status, err,
                         "`" + std::string(opName) + "` of " + factory_.displayName() + " failed");
}

}  // namespace rkt::plugin
