#include "rkt/core/image/resolve.hpp"

#include "rkt/base/shorten.hpp"
#include "rkt/core/image/image_string.hpp"
#include "rkt/sdk/protocol/image_key.hpp"
#include "try_assign.hpp"

namespace rkt::image {
namespace {

// rkt prints labels as Go prints a types.Labels value: [{name value} …].
std::string labelsText(const schema::Labels& labels) {
  std::string out = "[";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    out += (i ? " {" : "{") + labels[i].name + " " + labels[i].value + "}";
  }
  return out + "]";
}

}  // namespace

Result<std::string> resolveImageArg(const StoreClient& store, const std::string& arg) {
  if (looksLikeImageId(arg)) {
    const std::string prefix = arg.substr(0, protocol::store::kImageKeyLength);
    Result<std::optional<std::string>> key = store.resolveId(prefix);
    if (!key) {
      return key.error()
          .wrap("cannot resolve image ID " + quotedName(prefix))
          .wrap("cannot get image ID from the given hash");
    }
    if (!*key) {
      return Error{"cannot get image ID from the given hash: cannot resolve image ID " +
                   quotedName(prefix) + ": no image IDs found"};
    }
    return **key;
  }
  Result<AppcName> app = parseAppcName(arg);
  if (!app) {
    return app.error()
        .wrap("cannot parse the image name " + quotedName(arg))
        .wrap("cannot find image");
  }
  LabelMap labels;
  for (const auto& l : app->labels) {
    labels[l.name] = l.value;
  }
  Result<std::optional<std::string>> key = store.resolveName(app->name, labels);
  if (!key) {
    return key.error().wrap("cannot find image " + quotedName(arg)).wrap("cannot find image");
  }
  if (!*key) {
    return Error{"cannot find image: cannot find aci satisfying name: " + quotedName(app->name) +
                 " and labels: " + labelsText(app->labels) + " in the local store"};
  }
  return **key;
}

Result<std::vector<std::string>> keysForName(const StoreClient& store, const std::string& name) {
  RKT_TRY_ASSIGN(images, store.list());
  std::vector<std::string> keys;
  for (const ImageRecord& r : images) {
    if (r.name == name) {
      keys.push_back(r.key);
    }
  }
  return keys;
}

}  // namespace rkt::image
