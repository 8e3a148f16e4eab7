#include "cas_plugin_store.hpp"

#include <chrono>

#include <unistd.h>

#include "archive_helper.hpp"
#include "cas_store.hpp"
#include "errors.hpp"
#include "image_import.hpp"
#include "rkt/sdk/protocol/store.hpp"
#include "rkt/support/posix/remove_tree.hpp"
#include "tree_store.hpp"

namespace rkt::cas {
namespace {

namespace store = protocol::store;

int64_t nanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TimePoint fromNanos(int64_t ns) {
  return TimePoint(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns)));
}

std::string casDirOf(const std::string& configJson) {
  return protocol::decode<store::Config>(configJson).dataDir + "/cas";
}

std::string keyResult(const std::string& key) {
  store::ResolveResult out;
  out.key = key;
  return protocol::encode(out);
}

}  // namespace

CasPluginStore::CasPluginStore(const std::string& configJson)
    : store_(std::make_unique<CasStore>(casDirOf(configJson))),
      trees_(std::make_unique<TreeStore>(*store_)) {}

CasPluginStore::~CasPluginStore() = default;

std::string CasPluginStore::info() {
  store::InfoResult out;
  out.root = store_->layout().root();
  out.tmpDir = store_->layout().tmpDir();
  return protocol::encode(out);
}

std::string CasPluginStore::importImage(const std::string& request) {
  const auto req = protocol::decode<store::ImportImageRequest>(request);
  ImportedAci imported = importAciFile(*store_, req.path, req.latest, req.name);
  store::ImportImageResult out;
  out.key = imported.key;
  out.manifest.text = imported.manifest;  // parsed as an appc manifest: one JSON object
  return protocol::encode(out);
}

std::string CasPluginStore::importLayeredImage(const std::string& request) {
  const auto req = protocol::decode<store::ImportLayeredImageRequest>(request);
  std::vector<LayerInput> layers;
  for (const auto& l : req.layers) {
    layers.push_back(LayerInput{l.digest, l.path, l.size});
  }
  const std::string shown = req.name.empty() ? std::string("(layered)") : req.name;
  store::ImportLayeredImageResult out;
  out.key = store_->publishLayered(req.manifest.text, layers, req.latest, shown);
  out.manifest.text = req.manifest.text;
  return protocol::encode(out);
}

std::string CasPluginStore::resolve(const std::string& request) {
  const auto req = protocol::decode<store::ResolveRequest>(request);
  if (!req.id.empty()) {
    return keyResult(store_->resolveKey(req.id));
  }
  Labels labels;
  for (const auto& [name, value] : req.labels.value_or(store::LabelMap())) {
    labels.push_back(Label{name, value});
  }
  return keyResult(store_->getACI(req.name, labels));
}

std::string CasPluginStore::list(const std::string& request) {
  protocol::decode<store::ListRequest>(request);
  store::ListResult out;
  for (const auto& image : store_->list()) {
    store::ImageRecord r;
    r.key = image.key;
    r.name = image.name;
    for (const auto& l : image.labels) {
      r.labels[l.name] = l.value;
    }
    r.importTime = nanos(image.importTime);
    r.lastUsed = nanos(image.lastUsed);
    r.latest = image.latest;
    r.size = image.size;
    r.treeSize = image.treeStoreSize;
    r.layers = store_->layersOf(image.key);
    out.items.push_back(std::move(r));
  }
  return protocol::encode(out);
}

std::string CasPluginStore::manifest(const std::string& request) {
  return store_->manifest(protocol::decode<store::ManifestRequest>(request).key);
}

std::string CasPluginStore::blob(const std::string& request) {
  const std::string key = protocol::decode<store::BlobRequest>(request).key;
  store::BlobResult out;
  out.path = store_->blobPath(key);
  const std::vector<std::string> layers = store_->layersOf(key);
  if (!layers.empty()) {
    out.path = squashedAci(key, layers);
  }
  store_->touchLastUsed(key);
  return protocol::encode(out);
}

std::string CasPluginStore::squashedAci(const std::string& key,
                                        const std::vector<std::string>& layers) {
  // An image kept as layers has no stored tar: its ACI is made on request (rkt image export,
  // extract), as docker2aci squashed it, and lives as long as this store instance.
  std::vector<std::string> lowers{trees_->render(key, false).path + "/rootfs"};
  for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
    lowers.push_back(store_->layerPath(*it));
  }
  TempFile out = store_->createTempFile("squash");
  std::string work = store_->layout().tmpDir() + "/cas-squash-XXXXXX";
  if (::mkdtemp(work.data()) == nullptr) {
    throwSys("cannot create a directory in " + named(store_->layout().tmpDir()));
  }
  Status written = archiveHelper().writeSquashedAci(out.fd(), lowers, store_->manifest(key), work);
  Status removed = posix::removeTree(work);
  if (!written) {
    throw Error(RKT_E_IO, "cannot squash image " + named(key) + ": " + written.error().message,
                written.error().sysErrno);
  }
  if (!removed) {
    throw Error(RKT_E_IO, removed.error().message, removed.error().sysErrno);
  }
  const std::string path = out.path();
  squashed_.push_back(std::move(out));
  return path;
}

std::string CasPluginStore::remove(const std::string& request) {
  store_->remove(protocol::decode<store::RemoveRequest>(request).key);
  return protocol::encode(store::RemoveResult{});
}

std::string CasPluginStore::render(const std::string& request) {
  const auto req = protocol::decode<store::RenderRequest>(request);
  RenderedTree tree = trees_->render(req.key, req.rebuild);
  store::RenderResult out;
  out.treeId = tree.treeId;
  out.path = tree.path;
  out.lowerDirs = trees_->lowerDirs(tree.path);
  return protocol::encode(out);
}

std::string CasPluginStore::verify(const std::string& request) {
  const auto req = protocol::decode<store::VerifyRequest>(request);
  store::VerifyResult out;
  TreeStatus status =
      trees_->verify(req.key, &out.treeId, req.quick ? TreeCheck::kQuick : TreeCheck::kFull,
                     req.checkOnly ? TreeDamage::kReport : TreeDamage::kRepair);
  out.status = treeStatusName(status);
  return protocol::encode(out);
}

std::string CasPluginStore::listTrees(const std::string& request) {
  const auto req = protocol::decode<store::ListTreesRequest>(request);
  store::ListTreesResult out;
  for (const auto& tree : trees_->list(req.incomplete)) {
    out.items.push_back(store::TreeRecord{tree.treeId, tree.key, tree.path, tree.size,
                                          tree.complete, trees_->lowerDirs(tree.path)});
  }
  return protocol::encode(out);
}

std::string CasPluginStore::removeTree(const std::string& request) {
  trees_->remove(protocol::decode<store::RemoveTreeRequest>(request).treeId);
  return protocol::encode(store::RemoveTreeResult{});
}

std::string CasPluginStore::getRemote(const std::string& request) {
  const std::string url = protocol::decode<store::GetRemoteRequest>(request).url;
  std::optional<RemoteInfo> remote = store_->getRemote(url);
  if (!remote) {
    throw Error(RKT_E_NOT_FOUND, "no download record for " + named(url) + " in the local store");
  }
  store::GetRemoteResult out;
  out.url = remote->aciUrl;
  out.sigUrl = remote->sigUrl;
  out.etag = remote->etag;
  out.key = remote->blobKey;
  out.cacheMaxAge = remote->cacheMaxAge;
  out.downloadTime = nanos(remote->downloadTime);
  return protocol::encode(out);
}

std::string CasPluginStore::putRemote(const std::string& request) {
  const auto req = protocol::decode<store::PutRemoteRequest>(request);
  RemoteInfo remote;
  remote.aciUrl = req.url;
  remote.sigUrl = req.sigUrl;
  remote.etag = req.etag;
  remote.blobKey = req.key;
  remote.cacheMaxAge = req.cacheMaxAge;
  remote.downloadTime = req.downloadTime ? fromNanos(*req.downloadTime) : Clock::now();
  store_->upsertRemote(remote);
  return protocol::encode(store::PutRemoteResult{});
}

}  // namespace rkt::cas
