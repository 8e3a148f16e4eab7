// A plugin instance inside the test process: an object of an SDK plugin class (derived from
// rkt::sdk::Store, Fetcher, Stage1, ...) that the test owns, reached by the core the way a loaded
// plugin's instance is (the SDK's ops table, the host's error and result objects), without a .so
// file. The core's plugin clients (StoreClient, FetcherClient, Stage1Client) take it as their
// instance, so their tests script what the "plugin" answers (Script: a JSON result or a failure
// per op) and see every request it received, in order, as JSON text.
#ifndef RKT_TESTS_UNIT_CORE_PLUGIN_IN_PROCESS_PLUGIN_HPP
#define RKT_TESTS_UNIT_CORE_PLUGIN_IN_PROCESS_PLUGIN_HPP

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "plugin/factory_record.hpp"
#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/plugin/host.hpp"
#include "rkt/sdk/error.hpp"
#include "rkt/sdk/plugin.hpp"

namespace plugintest {

/// What one op answers: `json` when `status` is RKT_OK, else a failure with `message` (empty:
/// the plugin sets no message) and `sysErrno`.
struct Answer {
  std::string json;
  rkt_status status = RKT_OK;
  std::string message;
  int sysErrno = 0;
};

inline Answer reply(std::string json) {
  return Answer{std::move(json), RKT_OK, "", 0};
}
inline Answer failure(rkt_status status, std::string message, int sysErrno = 0) {
  return Answer{"", status, std::move(message), sysErrno};
}

/// Ops by their ABI name ("info", "import_image", "fetch", ...), each answering from a script,
/// and the record of the calls.
class Script {
 public:
  using Handler = std::function<Answer(const std::string& request)>;

  /// Every later call of `op` answers `answer`.
  void on(const std::string& op, Answer answer) {
    handlers_[op] = [answer](const std::string&) { return answer; };
  }
  /// Every later call of `op` answers handler(request).
  void on(const std::string& op, Handler handler) { handlers_[op] = std::move(handler); }

  /// The requests `op` received, in order.
  std::vector<std::string> requests(const std::string& op) const {
    std::vector<std::string> out;
    for (const auto& [name, request] : calls_) {
      if (name == op) {
        out.push_back(request);
      }
    }
    return out;
  }
  /// The ops called, in order.
  std::vector<std::string> ops() const {
    std::vector<std::string> out;
    for (const auto& call : calls_) {
      out.push_back(call.first);
    }
    return out;
  }

  /// Records the call and answers it; what is not scripted fails, naming the op.
  std::string call(const std::string& op, const std::string& request) {
    calls_.emplace_back(op, request);
    auto it = handlers_.find(op);
    if (it == handlers_.end()) {
      throw rkt::sdk::Error(RKT_E_INTERNAL, "fake plugin: nothing scripted for `" + op + "`");
    }
    Answer answer = it->second(request);
    if (answer.status != RKT_OK) {
      throw rkt::sdk::Error(answer.status, answer.message, answer.sysErrno);
    }
    return answer.json;
  }

 private:
  std::map<std::string, Handler> handlers_;
  std::vector<std::pair<std::string, std::string>> calls_;
};

/// An instance of factory `name` whose calls go to `object`. `name` must be a literal (the host
/// keeps the pointer, as it keeps a plugin's); `object` must outlive the instance, which leaves
/// it alone when destroyed.
template <class T>
rkt::plugin::Instance inProcessInstance(T& object, const char* name) {
  using Kind = typename T::KindBase;
  using Traits = rkt::sdk::detail::KindTraits<Kind>;
  // What a loaded plugin's init sets: the SDK reports errors and results through it.
  rkt::sdk::detail::gHost = rkt::plugin::hostApi();
  rkt_factory factory{};
  factory.struct_size = sizeof factory;
  factory.kind = Traits::kKind;
  factory.name = name;
  factory.ops = &Traits::template kOps<T>;
  // The instance is made here, never by the host.
  factory.create = [](const rkt_host_api*, const char*, size_t, rkt_instance_plugin_ptr*,
                      rkt_error_host_ptr) { return RKT_E_UNSUPPORTED; };
  factory.destroy = [](rkt_instance_plugin_ptr) {};
  rkt::Result<rkt::plugin::detail::FactoryRecord> record =
      rkt::plugin::detail::copyFactory(factory);
  if (!record) {
    throw std::logic_error("in-process plugin: " + record.error().message);
  }
  rkt::plugin::Factory registered(
      std::make_shared<const rkt::plugin::detail::FactoryRecord>(std::move(*record)));
  rkt::sdk::Instance* base = &object;
  return rkt::plugin::Instance(std::move(registered),
                               reinterpret_cast<rkt_instance_plugin_ptr>(base));
}

}  // namespace plugintest

#endif  // RKT_TESTS_UNIT_CORE_PLUGIN_IN_PROCESS_PLUGIN_HPP
