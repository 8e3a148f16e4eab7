#include "rkt/core/image/store_client.hpp"

#include <Poco/JSON/Object.h>

#include "json_fields.hpp"
#include "remote_json.hpp"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "try_assign.hpp"

namespace rkt::image {
namespace {

using Poco::JSON::Object;

std::string keyRequest(const std::string& key) {
  Object o;
  o.set("key", key);
  return json::stringify(o);
}

}  // namespace

Result<StoreClient> StoreClient::open(plugin::PluginRegistry& registry, const std::string& dataDir,
                                      const std::string& storeName) {
  Result<plugin::Factory> factory = registry.get(RKT_KIND_STORE, storeName);
  if (!factory) {
    return factory.error();
  }
  Object config;
  config.set("data_dir", dataDir);
  Result<plugin::Instance> instance = factory->create(json::stringify(config));
  if (!instance) {
    return instance.error();
  }
  return StoreClient(std::move(*instance));
}

Result<std::string> StoreClient::call(const char* name, rkt_store_json_op rkt_store_ops::*op,
                                      const std::string& request, bool* notFound) const {
  if (notFound != nullptr) {
    *notFound = false;
  }
  if (instance_.ops<rkt_store_ops>().*op == nullptr) {
    return Error{instance_.factory().displayName() + " does not support `" + name + "`"};
  }
  rkt_error err;
  rkt_buffer out;
  const rkt_status status = instance_.call(err, op, request.data(), request.size(), &out);
  if (status == RKT_E_NOT_FOUND && notFound != nullptr) {
    *notFound = true;
    return std::string();
  }
  if (status != RKT_OK) {
    return plugin::errorFromPlugin(status, err, std::string("store `") + name + "` failed");
  }
  return std::move(out.bytes);
}

bool StoreClient::rendersTrees() const {
  return instance_.ops<rkt_store_ops>().render != nullptr;
}

Result<StoreInfo> StoreClient::info() const {
  const rkt_store_ops& ops = instance_.ops<rkt_store_ops>();
  if (ops.info == nullptr) {
    return Error{instance_.factory().displayName() + " does not support `info`"};
  }
  rkt_error err;
  rkt_buffer out;
  const rkt_status status = ops.info(instance_.handle(), &out, &err);
  if (status != RKT_OK) {
    return plugin::errorFromPlugin(status, err, "store `info` failed");
  }
  const std::string what = "store info";
  RKT_TRY_ASSIGN(o, json::parseObject(out.bytes, what));
  RKT_TRY_ASSIGN(root, json::str(o, "root", what));
  RKT_TRY_ASSIGN(tmpDir, json::str(o, "tmp_dir", what));
  if (tmpDir.empty()) {
    return Error{"malformed store info: no `tmp_dir`"};
  }
  return StoreInfo{root, tmpDir};
}

Result<ImportResult> StoreClient::importImage(const std::string& path, bool latest,
                                              const std::string& name) const {
  Object req;
  req.set("path", path);
  req.set("latest", latest);
  if (!name.empty()) {
    req.set("name", name);
  }
  RKT_TRY_ASSIGN(text, call("import_image", &rkt_store_ops::import_image, json::stringify(req)));
  const std::string what = "store import result";
  RKT_TRY_ASSIGN(o, json::parseObject(text, what));
  RKT_TRY_ASSIGN(key, json::str(o, "key", what));
  if (key.empty()) {
    return Error{"malformed store import result: no `key`"};
  }
  RKT_TRY_ASSIGN(manifest, json::object(o, "manifest", what));
  ImportResult r;
  r.key = key;
  if (!manifest.isNull()) {
    r.manifestJson = json::stringify(*manifest);
  }
  return r;
}

Result<std::optional<std::string>> StoreClient::resolve(const std::string& request) const {
  bool notFound = false;
  RKT_TRY_ASSIGN(text, call("resolve", &rkt_store_ops::resolve, request, &notFound));
  if (notFound) {
    return std::optional<std::string>();
  }
  RKT_TRY_ASSIGN(o, json::parseObject(text, "store resolve result"));
  RKT_TRY_ASSIGN(key, json::str(o, "key", "store resolve result"));
  return std::optional<std::string>(key);
}

Result<std::optional<std::string>> StoreClient::resolveId(const std::string& prefix) const {
  Object req;
  req.set("id", prefix);
  return resolve(json::stringify(req));
}

Result<std::optional<std::string>> StoreClient::resolveName(const std::string& name,
                                                            const LabelMap& labels) const {
  Object req;
  req.set("name", name);
  Object::Ptr l = new Object;
  for (const auto& [k, v] : labels) {
    l->set(k, v);
  }
  req.set("labels", l);
  return resolve(json::stringify(req));
}

Result<std::vector<ImageRecord>> StoreClient::list() const {
  RKT_TRY_ASSIGN(text, call("list", &rkt_store_ops::list, "{}"));
  const std::string what = "store image list";
  RKT_TRY_ASSIGN(array, json::parseArray(text, what));
  std::vector<ImageRecord> images;
  for (std::size_t i = 0; i < array->size(); ++i) {
    Object::Ptr o = array->getObject(static_cast<unsigned>(i));
    if (o.isNull()) {
      return Error{"malformed " + what + ": entry " + std::to_string(i) + " is not an object"};
    }
    ImageRecord r;
    RKT_TRY_ASSIGN(key, json::str(o, "key", what));
    RKT_TRY_ASSIGN(name, json::str(o, "name", what));
    RKT_TRY_ASSIGN(importTime, json::int64(o, "import_time", what));
    RKT_TRY_ASSIGN(lastUsed, json::int64(o, "last_used", what));
    RKT_TRY_ASSIGN(latest, json::boolean(o, "latest", what));
    RKT_TRY_ASSIGN(size, json::int64(o, "size", what));
    RKT_TRY_ASSIGN(treeSize, json::int64(o, "tree_size", what));
    RKT_TRY_ASSIGN(labels, json::object(o, "labels", what));
    r.key = key;
    r.name = name;
    r.importTime = importTime;
    r.lastUsed = lastUsed;
    r.latest = latest;
    r.size = size;
    r.treeSize = treeSize;
    if (!labels.isNull()) {
      for (const auto& [k, v] : *labels) {
        if (v.isString()) {
          r.labels[k] = v.extract<std::string>();
        }
      }
    }
    images.push_back(std::move(r));
  }
  return images;
}

Result<std::string> StoreClient::manifest(const std::string& key) const {
  return call("manifest", &rkt_store_ops::manifest, keyRequest(key));
}

Result<std::string> StoreClient::blob(const std::string& key) const {
  RKT_TRY_ASSIGN(text, call("blob", &rkt_store_ops::blob, keyRequest(key)));
  RKT_TRY_ASSIGN(o, json::parseObject(text, "store blob result"));
  RKT_TRY_ASSIGN(path, json::str(o, "path", "store blob result"));
  if (path.empty()) {
    return Error{"malformed store blob result: no `path`"};
  }
  return path;
}

Status StoreClient::remove(const std::string& key, bool* notFound) const {
  RKT_TRY_ASSIGN(text, call("remove", &rkt_store_ops::remove, keyRequest(key), notFound));
  (void)text;
  return {};
}

Result<RenderResult> StoreClient::render(const std::string& key, bool rebuild) const {
  Object req;
  req.set("key", key);
  req.set("rebuild", rebuild);
  RKT_TRY_ASSIGN(text, call("render", &rkt_store_ops::render, json::stringify(req)));
  const std::string what = "store render result";
  RKT_TRY_ASSIGN(o, json::parseObject(text, what));
  RKT_TRY_ASSIGN(treeId, json::str(o, "tree_id", what));
  RKT_TRY_ASSIGN(path, json::str(o, "path", what));
  if (path.empty()) {
    return Error{"malformed store render result: no `path`"};
  }
  return RenderResult{treeId, path};
}

Result<VerifyResult> StoreClient::verify(const std::string& key, bool quick) const {
  Object req;
  req.set("key", key);
  req.set("quick", quick);
  RKT_TRY_ASSIGN(text, call("verify", &rkt_store_ops::verify, json::stringify(req)));
  const std::string what = "store verify result";
  RKT_TRY_ASSIGN(o, json::parseObject(text, what));
  RKT_TRY_ASSIGN(treeId, json::str(o, "tree_id", what));
  RKT_TRY_ASSIGN(status, json::str(o, "status", what));
  VerifyResult r;
  r.treeId = treeId;
  if (status == "ok") {
    r.status = VerifyStatus::kOk;
  } else if (status == "not-rendered") {
    r.status = VerifyStatus::kNotRendered;
  } else if (status == "rebuilt") {
    r.status = VerifyStatus::kRebuilt;
  } else {
    return Error{"malformed store verify result: unknown status `" + status + "`"};
  }
  return r;
}

Result<std::vector<TreeRecord>> StoreClient::listTrees(bool includeIncomplete) const {
  Object req;
  if (includeIncomplete) {
    req.set("incomplete", true);
  }
  RKT_TRY_ASSIGN(text, call("list_trees", &rkt_store_ops::list_trees, json::stringify(req)));
  const std::string what = "store tree list";
  RKT_TRY_ASSIGN(array, json::parseArray(text, what));
  std::vector<TreeRecord> trees;
  for (std::size_t i = 0; i < array->size(); ++i) {
    Object::Ptr o = array->getObject(static_cast<unsigned>(i));
    if (o.isNull()) {
      return Error{"malformed " + what + ": entry " + std::to_string(i) + " is not an object"};
    }
    RKT_TRY_ASSIGN(treeId, json::str(o, "tree_id", what));
    RKT_TRY_ASSIGN(key, json::str(o, "key", what));
    RKT_TRY_ASSIGN(path, json::str(o, "path", what));
    RKT_TRY_ASSIGN(size, json::int64(o, "size", what));
    bool complete = true;  // a store from before ABI 1.3 lists complete trees only
    if (o->has("complete")) {
      RKT_TRY_ASSIGN(flag, json::boolean(o, "complete", what));
      complete = flag;
    }
    trees.push_back(TreeRecord{treeId, key, path, size, complete});
  }
  return trees;
}

Status StoreClient::removeTree(const std::string& treeId) const {
  Object req;
  req.set("tree_id", treeId);
  RKT_TRY_ASSIGN(text, call("remove_tree", &rkt_store_ops::remove_tree, json::stringify(req)));
  (void)text;
  return {};
}

Result<std::optional<RemoteRecord>> StoreClient::getRemote(const std::string& url) const {
  Object req;
  req.set("url", url);
  bool notFound = false;
  RKT_TRY_ASSIGN(text,
                 call("get_remote", &rkt_store_ops::get_remote, json::stringify(req), &notFound));
  if (notFound) {
    return std::optional<RemoteRecord>();
  }
  RKT_TRY_ASSIGN(o, json::parseObject(text, "store remote record"));
  RKT_TRY_ASSIGN(record, json::remoteFromJson(o, "store remote record"));
  return std::optional<RemoteRecord>(std::move(record));
}

Status StoreClient::putRemote(const RemoteRecord& r) const {
  RKT_TRY_ASSIGN(text, call("put_remote", &rkt_store_ops::put_remote,
                            json::stringify(*json::remoteToJson(r))));
  (void)text;
  return {};
}

}  // namespace rkt::image
