// A typed client for a fetcher plugin (rkt/abi/fetcher.h, ABI 1.1).
#ifndef RKT_CORE_IMAGE_FETCHER_CLIENT_HPP
#define RKT_CORE_IMAGE_FETCHER_CLIENT_HPP

#include <string>
#include <vector>

#include "rkt/core/config.hpp"
#include "rkt/core/image/store_client.hpp"
#include "rkt/core/insecure_options.hpp"
#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/result.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"

namespace rkt::plugin {
class PluginRegistry;
}

namespace rkt::image {

// The fetcher protocol's messages (rkt/sdk/protocol/fetcher.hpp).
using FetchRequest = protocol::fetcher::FetchRequest;
using FetchResult = protocol::fetcher::FetchResult;

/// The auth.d (`auth`) and dockerAuth (`docker_auth`) credentials of `config`, as a fetch
/// request carries them.
void setFetchCredentials(FetchRequest& request, const config::Config& config);
/// --insecure-options as a fetch request carries them.
protocol::fetcher::FetchInsecureOptions fetchInsecureOptions(const InsecureOptions& insecure);

class FetcherClient {
 public:
  /// Loads fetcher plugin `name` through `registry` and creates an instance.
  static Result<FetcherClient> open(plugin::PluginRegistry& registry, const std::string& name);

  explicit FetcherClient(plugin::Instance instance) : instance_(std::move(instance)) {}

  const std::string& name() const { return instance_.factory().name(); }

  /// Sends `request`; the result must name a path or a cached key.
  Result<FetchResult> fetch(const FetchRequest& request) const;

 private:
  plugin::Instance instance_;
};

}  // namespace rkt::image

#endif  // RKT_CORE_IMAGE_FETCHER_CLIENT_HPP
