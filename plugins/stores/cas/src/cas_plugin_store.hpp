// The `cas` store factory: rkt/abi/store.h's JSON operations over CasStore and TreeStore.
// The table in ../README.md maps each operation to the methods it calls.
#ifndef RKT_CAS_CAS_PLUGIN_STORE_HPP
#define RKT_CAS_CAS_PLUGIN_STORE_HPP

#include <memory>
#include <string>
#include <vector>

#include "rkt/sdk/store.hpp"
#include "temp_file.hpp"

namespace rkt::cas {

class CasStore;
class TreeStore;

class CasPluginStore : public rkt::sdk::Store {
 public:
  /// `configJson`: {"data_dir": "<$DATA>"}; the store lives in <data_dir>/cas. Opening it
  /// removes what killed processes left: unlocked temp files and incomplete trees.
  explicit CasPluginStore(const std::string& configJson);
  ~CasPluginStore() override;

  std::string info() override;
  std::string importImage(const std::string& request) override;
  std::string resolve(const std::string& request) override;
  std::string list(const std::string& request) override;
  std::string manifest(const std::string& request) override;
  std::string blob(const std::string& request) override;
  std::string remove(const std::string& request) override;
  std::string render(const std::string& request) override;
  std::string verify(const std::string& request) override;
  std::string listTrees(const std::string& request) override;
  std::string removeTree(const std::string& request) override;
  std::string getRemote(const std::string& request) override;
  std::string putRemote(const std::string& request) override;
  std::string importLayeredImage(const std::string& request) override;

 private:
  std::string squashedAci(const std::string& key, const std::vector<std::string>& layers);

  std::unique_ptr<CasStore> store_;
  std::unique_ptr<TreeStore> trees_;
  std::vector<TempFile> squashed_;  // blob results of layered images, removed with the instance
};

}  // namespace rkt::cas

#endif  // RKT_CAS_CAS_PLUGIN_STORE_HPP
