#include "rkt/support/http/aws_sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <Poco/String.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace rkt::http {
namespace {

constexpr const char* kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string hex(const unsigned char* data, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

std::string sha256Hex(const std::string& s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  return hex(md, sizeof md);
}

std::string hmac(const std::string& key, const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

// RFC 3986 unreserved characters stay, everything else is %XX (uppercase); '/' kept in paths.
std::string uriEncode(const std::string& s, bool keepSlash) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keepSlash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string canonicalQuery(const Poco::URI& uri) {
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& [k, v] : uri.getQueryParameters()) {
    params.emplace_back(uriEncode(k, false), uriEncode(v, false));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    out += (out.empty() ? "" : "&") + k + "=" + v;
  }
  return out;
}

}  // namespace

std::string guessAwsRegion(const std::string& rawHost) {
  std::string host = Poco::toLower(rawHost);
  const std::string suffix = ".amazonaws.com";
  if (host.size() <= suffix.size() ||
      host.compare(host.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return "us-east-1";
  }
  std::vector<std::string> labels;
  std::stringstream parts(host.substr(0, host.size() - suffix.size()));
  for (std::string l; std::getline(parts, l, '.');) {
    labels.push_back(l);
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].rfind("s3-", 0) == 0 && labels[i] != "s3-external-1") {
      return labels[i].substr(3);
    }
    if (labels[i] == "s3" && i + 1 < labels.size()) {
      return labels[i + 1];
    }
  }
  return "us-east-1";
}

std::string amzDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string sigV4Authorization(const std::string& method, const Poco::URI& uri,
                               const std::map<std::string, std::string>& signedHeaders,
                               const std::string& payloadHash, const AwsCredentials& creds,
                               const std::string& region, const std::string& service,
                               const std::string& date) {
  std::string path = uri.getPath().empty() ? "/" : uri.getPath();
  std::string headers, names;
  for (const auto& [name, value] : signedHeaders) {  // std::map: sorted by name
    headers += name + ":" + Poco::trim(value) + "\n";
    names += (names.empty() ? "" : ";") + name;
  }
  std::string canonical = method + "\n" + uriEncode(path, true) + "\n" + canonicalQuery(uri) +
                          "\n" + headers + "\n" + names + "\n" + payloadHash;
  std::string day = date.substr(0, 8);
  std::string scope = day + "/" + region + "/" + service + "/aws4_request";
  std::string toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + sha256Hex(canonical);
  std::string key = hmac("AWS4" + creds.secretAccessKey, day);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, "aws4_request");
  std::string sig = hmac(key, toSign);
  return "AWS4-HMAC-SHA256 Credential=" + creds.accessKeyId + "/" + scope +
         ", SignedHeaders=" + names +
         ", Signature=" + hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

std::vector<std::pair<std::string, std::string>> s3SignedHeaders(const std::string& method,
                                                                 const Poco::URI& uri,
                                                                 const AwsCredentials& creds,
                                                                 std::time_t now) {
  std::string date = amzDate(now);
  std::string host = uri.getHost();
  if (uri.getSpecifiedPort() != 0) {
    host += ":" + std::to_string(uri.getSpecifiedPort());
  }
  std::string region = creds.region.empty() ? guessAwsRegion(uri.getHost()) : creds.region;
  std::map<std::string, std::string> signedHeaders{
      {"host", host}, {"x-amz-content-sha256", kEmptySha256}, {"x-amz-date", date}};
  return {{"Authorization",
           sigV4Authorization(method, uri, signedHeaders, kEmptySha256, creds, region, "s3", date)},
          {"X-Amz-Date", date},
          {"X-Amz-Content-Sha256", kEmptySha256}};
}

}  // namespace rkt::http
