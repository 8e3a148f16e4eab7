#include "cas_plugin_store.hpp"

#include <chrono>

#include "cas_store.hpp"
#include "errors.hpp"
#include "image_import.hpp"
#include "json_request.hpp"
#include "tree_store.hpp"

namespace rkt::cas {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Poco::Int64 nanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TimePoint fromNanos(int64_t ns) {
  return TimePoint(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns)));
}

std::string casDirOf(const std::string& configJson) {
  JsonRequest config(configJson, "store configuration");
  return config.string("data_dir") + "/cas";
}

std::string keyResult(const std::string& key) {
  Object::Ptr out = newObject();
  out->set("key", key);
  return toJson(out);
}

}  // namespace

CasPluginStore::CasPluginStore(const std::string& configJson)
    : store_(std::make_unique<CasStore>(casDirOf(configJson))),
      trees_(std::make_unique<TreeStore>(*store_)) {}

CasPluginStore::~CasPluginStore() = default;

std::string CasPluginStore::info() {
  Object::Ptr out = newObject();
  out->set("root", store_->layout().root());
  out->set("tmp_dir", store_->layout().tmpDir());
  return toJson(out);
}

std::string CasPluginStore::importImage(const std::string& request) {
  JsonRequest req(request, "import_image");
  ImportedAci imported = importAciFile(*store_, req.string("path"), req.boolean("latest", false),
                                       req.optString("name"));
  // The manifest bytes parsed as an appc manifest, so they are one JSON object.
  return "{\"key\":\"" + imported.key + "\",\"manifest\":" + imported.manifest + "}";
}

std::string CasPluginStore::resolve(const std::string& request) {
  JsonRequest req(request, "resolve");
  if (req.has("id")) {
    return keyResult(store_->resolveKey(req.string("id")));
  }
  return keyResult(store_->getACI(req.string("name"), req.labels("labels")));
}

std::string CasPluginStore::list(const std::string& request) {
  JsonRequest req(request, "list");
  Array::Ptr out = new Array;
  for (const auto& image : store_->list()) {
    Object::Ptr labels = newObject();
    for (const auto& l : image.labels) {
      labels->set(l.name, l.value);
    }
    Object::Ptr o = newObject();
    o->set("key", image.key);
    o->set("name", image.name);
    o->set("labels", labels);
    o->set("import_time", nanos(image.importTime));
    o->set("last_used", nanos(image.lastUsed));
    o->set("latest", image.latest);
    o->set("size", static_cast<Poco::Int64>(image.size));
    o->set("tree_size", static_cast<Poco::Int64>(image.treeStoreSize));
    out->add(o);
  }
  return toJson(out);
}

std::string CasPluginStore::manifest(const std::string& request) {
  JsonRequest req(request, "manifest");
  return store_->manifest(req.string("key"));
}

std::string CasPluginStore::blob(const std::string& request) {
  JsonRequest req(request, "blob");
  std::string key = req.string("key");
  std::string path = store_->blobPath(key);
  store_->touchLastUsed(key);
  Object::Ptr out = newObject();
  out->set("path", path);
  return toJson(out);
}

std::string CasPluginStore::remove(const std::string& request) {
  JsonRequest req(request, "remove");
  store_->remove(req.string("key"));
  return "{}";
}

std::string CasPluginStore::render(const std::string& request) {
  JsonRequest req(request, "render");
  RenderedTree tree = trees_->render(req.string("key"), req.boolean("rebuild", false));
  Object::Ptr out = newObject();
  out->set("tree_id", tree.treeId);
  out->set("path", tree.path);
  return toJson(out);
}

std::string CasPluginStore::verify(const std::string& request) {
  JsonRequest req(request, "verify");
  std::string treeId;
  TreeCheck check = req.boolean("quick", false) ? TreeCheck::kQuick : TreeCheck::kFull;
  TreeStatus status = trees_->verify(req.string("key"), &treeId, check);
  Object::Ptr out = newObject();
  out->set("tree_id", treeId);
  out->set("status", std::string(treeStatusName(status)));
  return toJson(out);
}

std::string CasPluginStore::listTrees(const std::string& request) {
  JsonRequest req(request, "list_trees");
  Array::Ptr out = new Array;
  for (const auto& tree : trees_->list(req.boolean("incomplete", false))) {
    Object::Ptr o = newObject();
    o->set("tree_id", tree.treeId);
    o->set("key", tree.key);
    o->set("path", tree.path);
    o->set("size", static_cast<Poco::Int64>(tree.size));
    o->set("complete", tree.complete);
    out->add(o);
  }
  return toJson(out);
}

std::string CasPluginStore::removeTree(const std::string& request) {
  JsonRequest req(request, "remove_tree");
  trees_->remove(req.string("tree_id"));
  return "{}";
}

std::string CasPluginStore::getRemote(const std::string& request) {
  JsonRequest req(request, "get_remote");
  std::string url = req.string("url");
  std::optional<RemoteInfo> remote = store_->getRemote(url);
  if (!remote) {
    throw Error(RKT_E_NOT_FOUND, "no download record for " + named(url) + " in the local store");
  }
  Object::Ptr out = newObject();
  out->set("url", remote->aciUrl);
  out->set("sig_url", remote->sigUrl);
  out->set("etag", remote->etag);
  out->set("key", remote->blobKey);
  out->set("cache_max_age", static_cast<Poco::Int64>(remote->cacheMaxAge));
  out->set("download_time", nanos(remote->downloadTime));
  return toJson(out);
}

std::string CasPluginStore::putRemote(const std::string& request) {
  JsonRequest req(request, "put_remote");
  RemoteInfo remote;
  remote.aciUrl = req.string("url");
  remote.sigUrl = req.optString("sig_url");
  remote.etag = req.optString("etag");
  remote.blobKey = req.string("key");
  remote.cacheMaxAge = req.integer("cache_max_age", 0);
  remote.downloadTime =
      req.has("download_time") ? fromNanos(req.integer("download_time")) : Clock::now();
  store_->upsertRemote(remote);
  return "{}";
}

}  // namespace rkt::cas
