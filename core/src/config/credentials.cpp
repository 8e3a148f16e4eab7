// Looking up credentials in a loaded configuration.
#include "rkt/core/config.hpp"

#include "rkt/sdk/protocol/fetcher.hpp"

namespace rkt::config {

std::string authTypeName(const AuthCredentials& credentials) {
  switch (credentials.index()) {
    case 0:
      return "basic";
    case 1:
      return "oauth";
    default:
      return "aws";
  }
}

const AuthCredentials* authFor(const Config& config, const std::string& host) {
  auto it = config.authPerHost.find(host);
  return it == config.authPerHost.end() ? nullptr : &it->second;
}

std::map<std::string, std::string> credentialFields(const AuthCredentials& credentials) {
  if (const auto* basic = std::get_if<BasicCredentials>(&credentials)) {
    return {{"user", basic->user}, {"password", basic->password}};
  }
  if (const auto* oauth = std::get_if<OAuthCredentials>(&credentials)) {
    return {{"token", oauth->token}};
  }
  const auto& aws = std::get<AwsCredentials>(credentials);
  return {{"accessKeyID", aws.accessKeyId},
          {"secretAccessKey", aws.secretAccessKey},
          {"awsRegion", aws.awsRegion}};
}

std::vector<protocol::fetcher::AuthEntry> authEntries(const Config& config) {
  std::vector<protocol::fetcher::AuthEntry> entries;
  for (const auto& [host, credentials] : config.authPerHost) {
    entries.push_back({{host}, authTypeName(credentials), credentialFields(credentials)});
  }
  return entries;
}

std::optional<BasicCredentials> dockerCredentials(const Config& config,
                                                  const std::string& registry) {
  auto it = config.dockerCredentialsPerRegistry.find(registry);
  if (it == config.dockerCredentialsPerRegistry.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace rkt::config
