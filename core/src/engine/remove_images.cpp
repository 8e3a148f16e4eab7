// `rkt image rm` and the removals of `rkt image gc` (rkt-notes §1.23): rkt's rmImages.
#include <map>
#include <string>
#include <vector>

#include "rkt/core/engine.hpp"
#include "rkt/core/image/image_string.hpp"
#include "rkt/core/image/resolve.hpp"
#include "rkt/sdk/protocol/image_key.hpp"

namespace rkt {

Result<RemovedImages> Engine::removeImages(
    const std::vector<std::string>& images, MissingImages missing,
    const std::function<void(const std::string& key)>& removed) {
  if (Status s = openStore(); !s)
    return s.error();
  const image::StoreClient& store = this->store();
  auto error = [this](const std::string& line) { log(LogKind::kNotice, line); };
  const bool goneIsDone = missing == MissingImages::kGone;
  int errors = 0;
  int staleErrors = 0;
  int done = 0;
  // key -> what the user called it; std::map keeps the removal order stable.
  std::vector<std::string> order;
  std::map<std::string, std::string> names;
  std::map<std::string, int> counter;
  auto note = [&](const std::string& key, const std::string& name) {
    if (names.emplace(key, name).second) {
      order.push_back(key);
    }
    ++counter[key];
  };

  for (const std::string& arg : images) {
    ++errors;
    if (image::looksLikeImageId(arg)) {
      auto key = store.resolveId(arg.substr(0, protocol::store::kImageKeyLength));
      if (!key) {
        error(key.error().message);  // as rkt: `image ID too short`
        continue;
      }
      if (!*key) {
        if (goneIsDone) {
          --errors;
          continue;
        }
        error("image ID \"" + arg + "\" doesn't exist");
        continue;
      }
      note(**key, arg);
    } else {
      auto keys = image::keysForName(store, arg);
      if (!keys) {
        error(keys.error().message);
        continue;
      }
      if (keys->empty()) {
        error("image name \"" + arg + "\" not found");
        continue;
      }
      errors += static_cast<int>(keys->size()) - 1;
      for (const std::string& key : *keys) {
        note(key, arg);
      }
    }
  }
  // One error per image at most, however often it was named.
  for (const auto& [key, count] : counter) {
    if (count > 1) {
      errors -= count - 1;
    }
  }

  for (const std::string& key : order) {
    bool notFound = false;
    Status st = store.remove(key, goneIsDone ? &notFound : nullptr);
    if (notFound) {
      --errors;
      continue;
    }
    if (!st) {
      if (st.error().message.find("stale") != std::string::npos) {
        ++staleErrors;
        error("some files cannot be removed for image \"" + key + "\" (\"" + names[key] +
              "\"): " + st.error().message);
      } else {
        error("error removing aci for image \"" + key + "\" (\"" + names[key] +
              "\"): " + st.error().message);
        continue;
      }
    }
    if (removed) {
      removed(key);
    }
    --errors;
    ++done;
  }
  return RemovedImages{done, staleErrors, errors};
}

}  // namespace rkt
