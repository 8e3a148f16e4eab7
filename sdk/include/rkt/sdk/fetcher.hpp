// C++ base class for fetcher plugins (rkt/abi/fetcher.h).
#ifndef RKT_SDK_FETCHER_HPP
#define RKT_SDK_FETCHER_HPP

#include "rkt/abi/fetcher.h"
#include "rkt/sdk/plugin.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::sdk {

/// Derive from this and register with Registrar::add<YourFetcher>("name").
/// The constructor receives the factory's JSON configuration.
class Fetcher : public Instance {
 public:
  using KindBase = Fetcher;
  /// Fetches one image. `request` and the returned string are JSON, as rkt/abi/fetcher.h says.
  /// Throw rkt::sdk::Error to fail with a specific status.
  virtual std::string fetch(const std::string& request) = 0;
};

namespace detail {
template <>
struct KindTraits<Fetcher> {
  static constexpr rkt_kind kKind = RKT_KIND_FETCHER;
  static rkt_status fetch(rkt_instance_plugin_ptr p, const char* req, size_t len,
                          rkt_buffer_host_ptr result, rkt_error_host_ptr err) {
    return guard(err,
                 [&] { appendResult(result, self<Fetcher>(p)->fetch(std::string(req, len))); });
  }
  // By member name, so an ABI that appends members cannot shift them.
  template <class T>
  static inline constexpr rkt_fetcher_ops kOps = [] {
    rkt_fetcher_ops ops{};
    ops.struct_size = sizeof ops;
    ops.fetch = &fetch;
    return ops;
  }();
};
}  // namespace detail
}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_FETCHER_HPP
