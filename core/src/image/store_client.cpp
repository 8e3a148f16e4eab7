#include "rkt/core/image/store_client.hpp"

#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/protocol.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "try_assign.hpp"

namespace rkt::image {

namespace store = protocol::store;

Result<StoreClient> StoreClient::open(plugin::PluginRegistry& registry, const std::string& dataDir,
                                      const std::string& storeName) {
  Result<plugin::Factory> factory = registry.get(RKT_KIND_STORE, storeName);
  if (!factory) {
    return factory.error();
  }
  store::Config config;
  config.dataDir = dataDir;
  Result<plugin::Instance> instance = factory->create(protocol::encode(config));
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

template <class Reply, class Request>
Result<Reply> StoreClient::exchange(const char* name, rkt_store_json_op rkt_store_ops::*op,
                                    const Request& request) const {
  RKT_TRY_ASSIGN(text, call(name, op, protocol::encode(request)));
  return plugin::decodeMessage<Reply>(text);
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
  return plugin::decodeMessage<StoreInfo>(out.bytes);
}

Result<ImportResult> StoreClient::importImage(const std::string& path, bool latest,
                                              const std::string& name) const {
  return exchange<ImportResult>("import_image", &rkt_store_ops::import_image,
                                store::ImportImageRequest{path, latest, name});
}

Result<ImportResult> StoreClient::importLayeredImage(
    const store::ImportLayeredImageRequest& request) const {
  return exchange<ImportResult>("import_layered_image", &rkt_store_ops::import_layered_image,
                                request);
}

Result<std::optional<std::string>> StoreClient::resolve(
    const store::ResolveRequest& request) const {
  bool notFound = false;
  RKT_TRY_ASSIGN(text,
                 call("resolve", &rkt_store_ops::resolve, protocol::encode(request), &notFound));
  if (notFound) {
    return std::optional<std::string>();
  }
  RKT_TRY_ASSIGN(result, plugin::decodeMessage<store::ResolveResult>(text));
  return std::optional<std::string>(result.key);
}

Result<std::optional<std::string>> StoreClient::resolveId(const std::string& prefix) const {
  store::ResolveRequest request;
  request.id = prefix;
  return resolve(request);
}

Result<std::optional<std::string>> StoreClient::resolveName(const std::string& name,
                                                            const LabelMap& labels) const {
  store::ResolveRequest request;
  request.name = name;
  request.labels = labels;
  return resolve(request);
}

Result<std::vector<ImageRecord>> StoreClient::list() const {
  RKT_TRY_ASSIGN(result,
                 exchange<store::ListResult>("list", &rkt_store_ops::list, store::ListRequest{}));
  return std::move(result.items);
}

Result<std::string> StoreClient::manifest(const std::string& key) const {
  return call("manifest", &rkt_store_ops::manifest,
              protocol::encode(store::ManifestRequest{{key}}));
}

Result<std::string> StoreClient::blob(const std::string& key) const {
  RKT_TRY_ASSIGN(
      result, exchange<store::BlobResult>("blob", &rkt_store_ops::blob, store::BlobRequest{{key}}));
  return std::move(result.path);
}

Status StoreClient::remove(const std::string& key, bool* notFound) const {
  RKT_TRY_ASSIGN(text, call("remove", &rkt_store_ops::remove,
                            protocol::encode(store::RemoveRequest{{key}}), notFound));
  if (notFound != nullptr && *notFound) {
    return {};
  }
  RKT_TRY_ASSIGN(result, plugin::decodeMessage<store::RemoveResult>(text));
  (void)result;
  return {};
}

Result<RenderResult> StoreClient::render(const std::string& key, bool rebuild) const {
  return exchange<RenderResult>("render", &rkt_store_ops::render,
                                store::RenderRequest{key, rebuild});
}

Result<VerifyResult> StoreClient::verify(const std::string& key, bool quick, bool checkOnly) const {
  RKT_TRY_ASSIGN(result,
                 exchange<store::VerifyResult>("verify", &rkt_store_ops::verify,
                                               store::VerifyRequest{key, quick, checkOnly}));
  VerifyResult r;
  r.treeId = std::move(result.treeId);
  if (result.status == store::VerifyResult::kNotRendered) {
    r.status = VerifyStatus::kNotRendered;
  } else if (result.status == store::VerifyResult::kRebuilt) {
    r.status = VerifyStatus::kRebuilt;
  } else if (result.status == store::VerifyResult::kDamaged) {
    r.status = VerifyStatus::kDamaged;
  } else {
    r.status = VerifyStatus::kOk;  // the codec admits no other status
  }
  return r;
}

Result<std::vector<TreeRecord>> StoreClient::listTrees(bool includeIncomplete) const {
  store::ListTreesRequest request;
  request.incomplete = includeIncomplete;
  RKT_TRY_ASSIGN(
      result, exchange<store::ListTreesResult>("list_trees", &rkt_store_ops::list_trees, request));
  return std::move(result.items);
}

Status StoreClient::removeTree(const std::string& treeId) const {
  RKT_TRY_ASSIGN(result,
                 exchange<store::RemoveTreeResult>("remove_tree", &rkt_store_ops::remove_tree,
                                                   store::RemoveTreeRequest{treeId}));
  (void)result;
  return {};
}

Result<std::optional<RemoteRecord>> StoreClient::getRemote(const std::string& url) const {
  bool notFound = false;
  RKT_TRY_ASSIGN(text, call("get_remote", &rkt_store_ops::get_remote,
                            protocol::encode(store::GetRemoteRequest{url}), &notFound));
  if (notFound) {
    return std::optional<RemoteRecord>();
  }
  RKT_TRY_ASSIGN(record, plugin::decodeMessage<store::GetRemoteResult>(text));
  return std::optional<RemoteRecord>(std::move(record));
}

Status StoreClient::putRemote(const RemoteRecord& r) const {
  RKT_TRY_ASSIGN(result, exchange<store::PutRemoteResult>("put_remote", &rkt_store_ops::put_remote,
                                                          store::PutRemoteRequest::of(r)));
  (void)result;
  return {};
}

}  // namespace rkt::image
