// Scriptable store and fetcher plugins for the tests of the core's image side (StoreClient,
// Finder), run in-process (core/plugin/in_process_plugin.hpp): each op answers what the test
// scripted (plugintest::Script).
#ifndef RKT_TESTS_UNIT_CORE_IMAGE_FAKE_PLUGINS_HPP
#define RKT_TESTS_UNIT_CORE_IMAGE_FAKE_PLUGINS_HPP

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/plugin/in_process_plugin.hpp"
#include "rkt/core/image/finder.hpp"
#include "rkt/sdk/fetcher.hpp"
#include "rkt/sdk/store.hpp"

namespace imagetest {

/// A store plugin with every op of the store ABI.
class FakeStore : public rkt::sdk::Store {
 public:
  plugintest::Script script;

  std::string info() override { return script.call("info", ""); }
  std::string importImage(const std::string& r) override { return script.call("import_image", r); }
  std::string resolve(const std::string& r) override { return script.call("resolve", r); }
  std::string list(const std::string& r) override { return script.call("list", r); }
  std::string manifest(const std::string& r) override { return script.call("manifest", r); }
  std::string blob(const std::string& r) override { return script.call("blob", r); }
  std::string remove(const std::string& r) override { return script.call("remove", r); }
  std::string render(const std::string& r) override { return script.call("render", r); }
  std::string verify(const std::string& r) override { return script.call("verify", r); }
  std::string listTrees(const std::string& r) override { return script.call("list_trees", r); }
  std::string removeTree(const std::string& r) override { return script.call("remove_tree", r); }
  std::string getRemote(const std::string& r) override { return script.call("get_remote", r); }
  std::string putRemote(const std::string& r) override { return script.call("put_remote", r); }
};

/// A store plugin with the one required op: every other member of its ops table is NULL.
class InfoOnlyStore : public rkt::sdk::Store {
 public:
  plugintest::Script script;

  std::string info() override { return script.call("info", ""); }
};

class FakeFetcher : public rkt::sdk::Fetcher {
 public:
  plugintest::Script script;

  std::string fetch(const std::string& r) override { return script.call("fetch", r); }
};

/// The Finder's fetchers: the fakes added, by name, and which of them the Finder opened.
class FakeFetchers : public rkt::image::FetcherSource {
 public:
  /// Installs `fetcher` as fetcher `name`; it must outlive the Finder.
  void add(const std::string& name, FakeFetcher& fetcher) { fetchers_[name] = &fetcher; }

  std::vector<std::string> installed() const override {
    std::vector<std::string> names;
    for (const auto& entry : fetchers_) {
      names.push_back(entry.first);
    }
    return names;
  }

  rkt::Result<rkt::image::FetcherClient> open(const std::string& name) override {
    opened.push_back(name);
    auto it = fetchers_.find(name);
    if (it == fetchers_.end()) {
      return rkt::Error{"fake fetchers: no fetcher `" + name + "`"};
    }
    // The map's key outlives the instance (the factory keeps a pointer to its name).
    return rkt::image::FetcherClient(plugintest::inProcessInstance(*it->second, it->first.c_str()));
  }

  /// The fetchers open() was asked for, in order.
  std::vector<std::string> opened;

 private:
  std::map<std::string, FakeFetcher*> fetchers_;
};

}  // namespace imagetest

#endif  // RKT_TESTS_UNIT_CORE_IMAGE_FAKE_PLUGINS_HPP
