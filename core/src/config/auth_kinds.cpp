// `auth` and `dockerAuth` (auth.d).
#include "config/fields.hpp"
#include "config/kinds.hpp"

namespace rkt::config::detail {

namespace {

// Reads `key` from the credentials object and requires it to be non-empty.
Status requireCredential(const Poco::JSON::Object& credentials, const std::string& key,
                         std::string& out) {
  auto value = stringField(credentials, key);
  if (!value) {
    return Error{"credentials: " + value.error().message};
  }
  if (value->empty()) {
    return Error{"no " + key + " specified in credentials"};
  }
  out = *value;
  return {};
}

Result<BasicCredentials> basicCredentials(const Poco::JSON::Object& object) {
  auto credentials = objectField(object, "credentials");
  if (!credentials) {
    return credentials.error();
  }
  BasicCredentials basic;
  if (auto s = requireCredential(**credentials, "user", basic.user); !s) {
    return s.error();
  }
  if (auto s = requireCredential(**credentials, "password", basic.password); !s) {
    return s.error();
  }
  return basic;
}

Result<AuthCredentials> oauthCredentials(const Poco::JSON::Object& object) {
  auto credentials = objectField(object, "credentials");
  if (!credentials) {
    return credentials.error();
  }
  OAuthCredentials oauth;
  if (auto s = requireCredential(**credentials, "token", oauth.token); !s) {
    return s.error();
  }
  return AuthCredentials(oauth);
}

Result<AuthCredentials> awsCredentials(const Poco::JSON::Object& object) {
  auto credentials = objectField(object, "credentials");
  if (!credentials) {
    return credentials.error();
  }
  AwsCredentials aws;
  if (auto s = requireCredential(**credentials, "accessKeyID", aws.accessKeyId); !s) {
    return s.error();
  }
  if (auto s = requireCredential(**credentials, "secretAccessKey", aws.secretAccessKey); !s) {
    return s.error();
  }
  auto region = stringField(**credentials, "awsRegion");  // optional: derived from the host
  if (!region) {
    return Error{"credentials: " + region.error().message};
  }
  aws.awsRegion = *region;
  return AuthCredentials(aws);
}

Result<AuthCredentials> authCredentials(const std::string& type, const Poco::JSON::Object& object) {
  if (type == "basic") {
    auto basic = basicCredentials(object);
    if (!basic) {
      return basic.error();
    }
    return AuthCredentials(*basic);
  }
  if (type == "oauth") {
    return oauthCredentials(object);
  }
  if (type == "aws") {
    return awsCredentials(object);
  }
  return Error{"unknown auth type " + goQuote(type) +
               " (expected \"basic\", \"oauth\" or \"aws\")"};
}

}  // namespace

Status parseAuthV1(const Poco::JSON::Object& object, const std::string& file, DirState& state) {
  auto domains = stringArrayField(object, "domains");
  if (!domains) {
    return domains.error();
  }
  if (domains->empty()) {
    return Error{"no domains specified"};
  }
  auto type = stringField(object, "type");
  if (!type) {
    return type.error();
  }
  if (type->empty()) {
    return Error{"no auth type specified"};
  }
  auto credentials = authCredentials(*type, object);
  if (!credentials) {
    return credentials.error();
  }
  for (const auto& domain : *domains) {
    auto seen = state.authFile.find(domain);
    if (seen != state.authFile.end()) {
      return Error{"auth for domain " + goQuote(domain) + " is already specified in " +
                   goQuote(seen->second)};
    }
    state.authFile[domain] = file;
    state.config.authPerHost[domain] = *credentials;
  }
  return {};
}

Status parseDockerAuthV1(const Poco::JSON::Object& object, const std::string& file,
                         DirState& state) {
  auto registries = stringArrayField(object, "registries");
  if (!registries) {
    return registries.error();
  }
  if (registries->empty()) {
    return Error{"no registries specified"};
  }
  auto credentials = basicCredentials(object);
  if (!credentials) {
    return credentials.error();
  }
  for (const auto& registry : *registries) {
    auto seen = state.dockerFile.find(registry);
    if (seen != state.dockerFile.end()) {
      return Error{"credentials for docker registry " + goQuote(registry) +
                   " are already specified in " + goQuote(seen->second)};
    }
    state.dockerFile[registry] = file;
    state.config.dockerCredentialsPerRegistry[registry] = *credentials;
  }
  return {};
}

}  // namespace rkt::config::detail
