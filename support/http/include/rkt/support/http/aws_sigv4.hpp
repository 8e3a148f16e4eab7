// AWS Signature Version 4 for `aws` auth.d entries (rkt signs S3 requests with service "s3").
#ifndef RKT_SUPPORT_HTTP_AWS_SIGV4_HPP
#define RKT_SUPPORT_HTTP_AWS_SIGV4_HPP

#include <Poco/URI.h>

#include <ctime>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace rkt::http {

struct AwsCredentials {
  std::string accessKeyId;
  std::string secretAccessKey;
  std::string region;  ///< empty: guessed from the host (guessAwsRegion)
};

/// rkt's region guess for S3 hosts: `s3-<region>.amazonaws.com`, `s3.<region>.amazonaws.com`
/// (also behind a bucket label); anything else is "us-east-1".
std::string guessAwsRegion(const std::string& host);

/// "20150830T123600Z" for `t` (UTC).
std::string amzDate(std::time_t t);

/// The Authorization value of a SigV4-signed request. `signedHeaders` are lowercase names with
/// their values (host included); `payloadHash` is the hex SHA-256 of the body.
std::string sigV4Authorization(const std::string& method, const Poco::URI& uri,
                               const std::map<std::string, std::string>& signedHeaders,
                               const std::string& payloadHash, const AwsCredentials& creds,
                               const std::string& region, const std::string& service,
                               const std::string& date);

/// The headers of a signed S3 GET/HEAD (no body) at time `now`: Authorization, X-Amz-Date and
/// X-Amz-Content-Sha256, as aws-sdk-go's signer sends them for service "s3".
std::vector<std::pair<std::string, std::string>> s3SignedHeaders(const std::string& method,
                                                                 const Poco::URI& uri,
                                                                 const AwsCredentials& creds,
                                                                 std::time_t now);

}  // namespace rkt::http

#endif  // RKT_SUPPORT_HTTP_AWS_SIGV4_HPP
