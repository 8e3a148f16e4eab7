#include "dep_list.hpp"

#include <iterator>
#include <list>

#include "cas_store.hpp"
#include "errors.hpp"
#include "hash_util.hpp"

namespace rkt::cas {
namespace {

std::string describe(const schema::Dependency& dep) {
  std::string out = named(dep.imageName);
  if (!dep.imageId.empty()) {
    out += " (image ID " + named(dep.imageId) + ")";
  } else if (!dep.labels.empty()) {
    std::string labels;
    for (const auto& l : dep.labels) {
      labels += (labels.empty() ? "" : ",") + l.name + "=" + l.value;
    }
    out += " (labels " + named(labels) + ")";
  }
  return out;
}

std::string resolveDependency(CasStore& store, const schema::Dependency& dep) {
  if (!dep.imageId.empty()) {
    return store.resolveKey(dep.imageId);
  }
  Labels labels;
  labels.reserve(dep.labels.size());
  for (const auto& l : dep.labels) {
    labels.push_back(Label{l.name, l.value});
  }
  return store.getACI(dep.imageName, labels);
}

}  // namespace

schema::ImageManifest parseStoredManifest(const std::string& key, const std::string& json) {
  auto parsed = schema::parseImageManifest(json);
  if (!parsed) {
    throw Error(RKT_E_INVALID, "image " + named(key) + ": " + parsed.error().message);
  }
  return std::move(parsed).value();
}

std::vector<DepImage> dependencyList(CasStore& store, const std::string& key) {
  // A linked list: dependencies are inserted in the middle while it is walked.
  std::list<DepImage> images;
  DepImage top;
  top.key = key;
  top.manifest = parseStoredManifest(key, store.manifest(key));
  images.push_back(std::move(top));

  // Parents are recorded as positions in the final vector, which is the walk order here:
  // an image's position is fixed once the walk has reached it.
  std::vector<const DepImage*> walked;
  for (auto it = images.begin(); it != images.end(); ++it) {
    const std::size_t index = walked.size();
    walked.push_back(&*it);
    for (const auto& dep : it->manifest.dependencies) {
      std::string depKey;
      try {
        depKey = resolveDependency(store, dep);
      } catch (const Error& e) {
        throw Error(e.code(),
                    "cannot render image " + named(key) + ": dependency " + describe(dep) +
                        " of image " + named(it->manifest.name) + ": " + e.what(),
                    e.sysErrno());
      }
      // A cycle can only be built with name-based dependencies; without this check it would
      // make the list grow until the length limit.
      for (std::size_t a = index; a != DepImage::kNoParent; a = walked[a]->parent) {
        if (walked[a]->key == depKey) {
          throw Error(RKT_E_INVALID, "cannot render image " + named(key) + ": dependency " +
                                         describe(dep) + " of image " + named(it->manifest.name) +
                                         " forms a cycle");
        }
      }
      if (images.size() >= kMaxDepListLength) {
        throw Error(RKT_E_INVALID, "cannot render image " + named(key) + ": more than " +
                                       std::to_string(kMaxDepListLength) +
                                       " images in its flattened dependency list");
      }
      DepImage d;
      d.key = depKey;
      d.manifest = parseStoredManifest(depKey, store.manifest(depKey));
      d.level = it->level + 1;
      d.parent = index;
      images.insert(std::next(it), std::move(d));
    }
  }
  return std::vector<DepImage>(std::make_move_iterator(images.begin()),
                               std::make_move_iterator(images.end()));
}

std::string treeStoreId(const std::vector<DepImage>& list) {
  std::string joined;
  for (const auto& img : list) {
    joined += (joined.empty() ? "" : ",") + img.key;
  }
  return "deps-" + sha512Key(joined);
}

}  // namespace rkt::cas
