// The `remote` record (rkt's download record of a URL) as the store and fetcher protocols spell
// it in JSON: {"url","sig_url","etag","key","cache_max_age","download_time"}.
#ifndef RKT_CORE_SRC_IMAGE_REMOTE_JSON_HPP
#define RKT_CORE_SRC_IMAGE_REMOTE_JSON_HPP

#include <string>

#include <Poco/JSON/Object.h>

#include "rkt/core/image/store_client.hpp"
#include "rkt/core/result.hpp"

namespace rkt::image::json {

Poco::JSON::Object::Ptr remoteToJson(const RemoteRecord& r);
/// Every field is optional (a fetcher's record has no `key` yet); `what` names the document.
Result<RemoteRecord> remoteFromJson(const Poco::JSON::Object::Ptr& o, const std::string& what);

}  // namespace rkt::image::json

#endif  // RKT_CORE_SRC_IMAGE_REMOTE_JSON_HPP
