#include "rkt/core/image/fetcher_client.hpp"

#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/protocol.hpp"
#include "rkt/core/plugin/registry.hpp"

namespace rkt::image {

void setFetchCredentials(FetchRequest& request, const config::Config& config) {
  request.auth = config::authEntries(config);
  for (const auto& [registry, basic] : config.dockerCredentialsPerRegistry) {
    request.dockerAuth.push_back({{registry}, config::credentialFields(basic)});
  }
}

protocol::fetcher::FetchInsecureOptions fetchInsecureOptions(const InsecureOptions& insecure) {
  protocol::fetcher::FetchInsecureOptions out;
  out.image = insecure.skipImageCheck();
  out.tls = insecure.skipTlsCheck();
  out.http = insecure.allowHttp();
  out.pubkey = insecure.allowInsecurePubkey();
  return out;
}

Result<FetcherClient> FetcherClient::open(plugin::PluginRegistry& registry,
                                          const std::string& name) {
  Result<plugin::Factory> factory = registry.get(RKT_KIND_FETCHER, name);
  if (!factory) {
    return factory.error();
  }
  Result<plugin::Instance> instance = factory->create("{}");
  if (!instance) {
    return instance.error();
  }
  return FetcherClient(std::move(*instance));
}

Result<FetchResult> FetcherClient::fetch(const FetchRequest& request) const {
  const std::string req = protocol::encode(request);
  rkt_buffer out;
  if (Status s = instance_.invoke("fetch", &rkt_fetcher_ops::fetch, req.data(), req.size(), &out);
      !s) {
    return s.error();
  }
  return plugin::decodeMessage<FetchResult>(out.bytes);
}

}  // namespace rkt::image
