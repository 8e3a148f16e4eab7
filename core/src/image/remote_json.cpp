#include "remote_json.hpp"

#include "json_fields.hpp"
#include "try_assign.hpp"

namespace rkt::image::json {

Poco::JSON::Object::Ptr remoteToJson(const RemoteRecord& r) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("url", r.url);
  o->set("sig_url", r.sigUrl);
  o->set("etag", r.etag);
  o->set("key", r.key);
  o->set("cache_max_age", static_cast<Poco::Int64>(r.cacheMaxAge));
  o->set("download_time", static_cast<Poco::Int64>(r.downloadTime));
  return o;
}

Result<RemoteRecord> remoteFromJson(const Poco::JSON::Object::Ptr& o, const std::string& what) {
  RemoteRecord r;
  RKT_TRY_ASSIGN(url, str(o, "url", what));
  RKT_TRY_ASSIGN(sigUrl, str(o, "sig_url", what));
  RKT_TRY_ASSIGN(etag, str(o, "etag", what));
  RKT_TRY_ASSIGN(key, str(o, "key", what));
  RKT_TRY_ASSIGN(maxAge, int64(o, "cache_max_age", what));
  RKT_TRY_ASSIGN(downloadTime, int64(o, "download_time", what));
  r.url = url;
  r.sigUrl = sigUrl;
  r.etag = etag;
  r.key = key;
  r.cacheMaxAge = maxAge;
  r.downloadTime = downloadTime;
  return r;
}

}  // namespace rkt::image::json
