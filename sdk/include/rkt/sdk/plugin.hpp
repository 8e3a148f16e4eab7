// Header-only C++ layer over the rkt plugin C ABI (rkt/abi/plugin.h).
//
// A plugin written with it looks like:
//
//   #include <rkt/sdk/fetcher.hpp>
//   class HelloFetcher : public rkt::sdk::Fetcher { ... };
//   void registerFactories(rkt::sdk::Registrar& reg) { reg.add<HelloFetcher>("hello"); }
//   RKT_PLUGIN("hello", "1.0.0", "says hello", "Apache-2.0", registerFactories)
//
// Contract of this layer:
//  - No C++ exception ever crosses into the host: every thunk catches. rkt::sdk::Error carries
//    its own status code and errno; any other exception becomes RKT_E_EXCEPTION.
//  - Instances are created with the factory's JSON configuration as a std::string and destroyed
//    by the host through the factory's `destroy`.
//  - The plugin exports exactly one symbol (the entry function the macro defines); build with
//    -fvisibility=hidden (the CMake package does this for you).
#ifndef RKT_SDK_PLUGIN_HPP
#define RKT_SDK_PLUGIN_HPP

#include <cerrno>
#include <deque>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "rkt/abi/plugin.h"
#include "rkt/sdk/error.hpp"

#define RKT_SDK_VERSION_STRING "1.0"

#ifndef RKT_SDK_BUILD_STRING
#if defined(__clang__)
#define RKT_SDK_BUILD_STRING "rkt-sdk " RKT_SDK_VERSION_STRING " clang " __clang_version__
#elif defined(__GNUC__)
#define RKT_SDK_BUILD_STRING "rkt-sdk " RKT_SDK_VERSION_STRING " gcc " __VERSION__
#else
#define RKT_SDK_BUILD_STRING "rkt-sdk " RKT_SDK_VERSION_STRING
#endif
#endif

// Everything below stays inside the plugin even when it is built without -fvisibility=hidden:
// exported inline variables would become STB_GNU_UNIQUE symbols that the dynamic linker shares
// between plugins (one host pointer and one factory list for all of them) and that pin the
// .so in memory. Only the entry function defined by RKT_PLUGIN is exported.
#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

namespace rkt::sdk {

/// Common base of every plugin instance. Kind bases (Fetcher, Store, ...) derive from it;
/// a concrete class derives from exactly one kind base.
class Instance {
 public:
  virtual ~Instance() = default;
};

namespace detail {

// One copy per plugin .so (hidden visibility): the host table and the plugin's name.
inline const rkt_host_api* gHost = nullptr;
inline const char* gPluginName = "";

inline void setError(rkt_error_host_ptr err, rkt_status code, int sysErrno, const char* msg) {
  if (gHost != nullptr && gHost->set_error != nullptr && err != nullptr) {
    gHost->set_error(err, code, sysErrno, msg);
  }
}

/// Thrown when a host call failed and already recorded its error in the call's error object.
class HostReportedError : public Error {
 public:
  using Error::Error;
};

/// Runs `body` and turns whatever it throws into a status plus a host-side error.
template <class Body>
rkt_status guard(rkt_error_host_ptr err, Body&& body) noexcept {
  try {
    body();
    return RKT_OK;
  } catch (const HostReportedError& e) {
    return e.code();  // the host already filled `err`; keep its (more precise) message
  } catch (const Error& e) {
    rkt_status code = e.code() == RKT_OK ? RKT_E_INTERNAL : e.code();
    setError(err, code, e.sysErrno(), e.what());
    return code;
  } catch (const std::exception& e) {
    setError(err, RKT_E_EXCEPTION, 0, e.what());
    return RKT_E_EXCEPTION;
  } catch (...) {
    setError(err, RKT_E_EXCEPTION, 0, "unknown exception");
    return RKT_E_EXCEPTION;
  }
}

/// Appends a string to a host buffer; throws when the host refuses.
inline void appendResult(rkt_buffer_host_ptr buf, const std::string& bytes) {
  if (gHost == nullptr || gHost->buffer_append == nullptr ||
      gHost->buffer_append(buf, bytes.data(), bytes.size()) != RKT_OK) {
    throw Error(RKT_E_INTERNAL, "cannot append result to host buffer");
  }
}

template <class Kind>
Kind* self(rkt_instance_plugin_ptr p) {
  return static_cast<Kind*>(reinterpret_cast<Instance*>(p));
}

/// The ops-table entry of one optional op: `thunk` when the plugin class overrides the op, NULL
/// ("not supported": the host never calls it) when it only inherits Base's default. Called as
/// `ifOverridden<Base>(&T::op, &thunk)` and decided at compile time from the type of `&T::op`,
/// which names the class that declares the op T uses: `R (Base::*)(...)` exactly when neither T
/// nor a class between T and Base overrides it. Overrides must be public, or `&T::op` does not
/// compile.
template <class Base, class Thunk, class C, class R, class... Args>
constexpr Thunk ifOverridden(R (C::*)(Args...), Thunk thunk) {
  return std::is_same_v<C, Base> ? nullptr : thunk;
}

/// Specialised by each kind header: the kind enum and `kOps<T>`, the C ops table for plugin
/// class T thunking to Kind, filled by member name with the ops T implements.
template <class Kind>
struct KindTraits;

/// Fields by name, so an ABI that appends fields cannot shift them.
constexpr rkt_plugin_descriptor makeDescriptor(const char* name, const char* version,
                                               const char* description, const char* license,
                                               decltype(rkt_plugin_descriptor::init) init) {
  rkt_plugin_descriptor d{};
  d.struct_size = sizeof d;
  d.abi_major = RKT_PLUGIN_ABI_MAJOR;
  d.abi_minor = RKT_PLUGIN_ABI_MINOR;
  d.name = name;
  d.version = version;
  d.description = description;
  d.license = license;
  d.sdk_build = RKT_SDK_BUILD_STRING;
  d.init = init;
  return d;
}

}  // namespace detail

/// Writes a log line through the host (stderr; debug lines only with --debug).
inline void log(rkt_log_level level, const std::string& message) {
  if (detail::gHost != nullptr && detail::gHost->log != nullptr) {
    detail::gHost->log(level, detail::gPluginName, message.c_str());
  }
}

/// The host table, for plugins that need more than this layer wraps. Valid after init.
inline const rkt_host_api* host() {
  return detail::gHost;
}

/// Handed to the plugin's init function; registers factories with the host.
class Registrar {
 public:
  Registrar(const rkt_host_api* host, rkt_registrar_host_ptr reg) : host_(host), reg_(reg) {}

  /// Registers T (derived from one kind base, constructible from a JSON config string) under
  /// `name`. Throws Error when the host refuses (duplicate name, registration closed).
  template <class T>
  void add(const char* name) {
    using Kind = typename T::KindBase;
    static_assert(std::is_base_of_v<Kind, T>, "T must derive from its kind base");
    rkt_factory f{};
    f.struct_size = sizeof(rkt_factory);
    f.kind = detail::KindTraits<Kind>::kKind;
    f.name = name;
    f.ops = &detail::KindTraits<Kind>::template kOps<T>;
    f.create = &createThunk<T>;
    f.destroy = &destroyThunk;
    // The host keeps pointers into the factory for as long as the plugin is loaded.
    factories().push_back(f);
    rkt_status status = host_->register_factory(reg_, &factories().back(), errorSink_);
    if (status != RKT_OK) {
      factories().pop_back();
      throw detail::HostReportedError(status,
                                      std::string("cannot register factory `") + name + "`");
    }
  }

  /// Set by the init thunk so registration errors land in the host's error object.
  void setErrorSink(rkt_error_host_ptr err) { errorSink_ = err; }

 private:
  static std::deque<rkt_factory>& factories() {
    static std::deque<rkt_factory> all;
    return all;
  }

  template <class T>
  static rkt_status createThunk(const rkt_host_api*, const char* config, size_t len,
                                rkt_instance_plugin_ptr* out, rkt_error_host_ptr err) {
    return detail::guard(err, [&] {
      Instance* inst = new T(std::string(config != nullptr ? config : "{}", config ? len : 2));
      *out = reinterpret_cast<rkt_instance_plugin_ptr>(inst);
    });
  }

  static void destroyThunk(rkt_instance_plugin_ptr p) { delete reinterpret_cast<Instance*>(p); }

  const rkt_host_api* host_;
  rkt_registrar_host_ptr reg_;
  rkt_error_host_ptr errorSink_ = nullptr;
};

namespace detail {

using InitFn = void (*)(Registrar&);

inline rkt_status runInit(const rkt_host_api* host, rkt_registrar_host_ptr reg,
                          rkt_error_host_ptr err, const char* pluginName, InitFn init) noexcept {
  gHost = host;
  gPluginName = pluginName;
  return guard(err, [&] {
    Registrar r(host, reg);
    r.setErrorSink(err);
    init(r);
  });
}

}  // namespace detail
}  // namespace rkt::sdk

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

/// Defines the plugin's descriptor and its one exported entry function.
/// INIT_FN is `void fn(rkt::sdk::Registrar&)`; throw to refuse loading.
// clang-format off
#define RKT_PLUGIN(NAME, VERSION, DESCRIPTION, LICENSE, INIT_FN)                              \
  namespace {                                                                                 \
  rkt_status rktSdkInitThunk(const rkt_host_api* host, rkt_registrar_host_ptr reg,            \
                             rkt_error_host_ptr err) {                                        \
    return ::rkt::sdk::detail::runInit(host, reg, err, NAME, &INIT_FN);                       \
  }                                                                                           \
  }                                                                                           \
  extern "C" RKT_ABI_EXPORT const rkt_plugin_descriptor* rkt_plugin_descriptor_v1(void);      \
  extern "C" RKT_ABI_EXPORT const rkt_plugin_descriptor* rkt_plugin_descriptor_v1(void) {     \
    static constexpr rkt_plugin_descriptor descriptor = ::rkt::sdk::detail::makeDescriptor(   \
        NAME, VERSION, DESCRIPTION, LICENSE, &rktSdkInitThunk);                               \
    return &descriptor;                                                                       \
  }
// clang-format on

#endif  // RKT_SDK_PLUGIN_HPP
