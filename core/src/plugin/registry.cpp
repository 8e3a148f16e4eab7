#include "rkt/core/plugin/registry.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "plugin/factory_record.hpp"
#include "plugin/gate.hpp"
#include "plugin/library.hpp"
#include "rkt/core/plugin/kinds.hpp"
#include "rkt/support/module/ownership.hpp"

namespace fs = std::filesystem;

namespace rkt::plugin {

LoaderOptions LoaderOptions::forCurrentProcess() {
  LoaderOptions options;
  options.checkOwnership = module::ownershipEnforced();
  return options;
}

namespace {
// The ABI minor that reshaped the net and ipam ops tables (rkt/abi/net.h).
constexpr uint32_t kNetOpsMinor = 6;

using FactoryKey = std::pair<rkt_kind, std::string>;

std::string describeKey(const FactoryKey& key) {
  return std::string(kindName(key.first)) + " factory `" + key.second + "`";
}

bool isRegularFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);  // follows symlinks
}

// The *.so regular files (symlinks followed) in `dir`, sorted by name. A missing directory (e.g.
// no paths.d entry on disk) simply holds no plugins.
std::vector<std::string> pluginFilesIn(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".so") == 0 &&
        isRegularFile(it->path())) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

struct PluginRegistry::Impl {
  std::vector<std::string> searchPath;
  LoaderOptions options;
  // Every file opened (or refused) so far, by the path it was found under.
  std::map<std::string, PluginReport> files;
  // Libraries that loaded; dropping one here leaves it mapped while factories use it.
  std::vector<std::shared_ptr<detail::Library>> libraries;
  std::map<FactoryKey, std::shared_ptr<const detail::FactoryRecord>> factories;
  // Verdict of the ownership rule per directory, computed once.
  std::map<std::string, detail::Verdict> directoryVerdicts;

  const detail::Verdict& directoryVerdict(const std::string& dir) {
    auto it = directoryVerdicts.find(dir);
    if (it == directoryVerdicts.end()) {
      detail::Verdict verdict;
      if (options.checkOwnership) {
        verdict =
            detail::checkOwnership(dir, "plugin directory `" + dir + "`", Refusal::BadDirectory);
      }
      it = directoryVerdicts.emplace(dir, std::move(verdict)).first;
    }
    return it->second;
  }

  const PluginReport& loadFile(const std::string& dir, const std::string& fileName) {
    const std::string path = (fs::path(dir) / fileName).string();
    auto known = files.find(path);
    if (known != files.end()) {
      return known->second;
    }
    PluginReport report = inspect(dir, fileName, path);
    return files.emplace(path, std::move(report)).first->second;
  }

  static PluginReport refuse(PluginReport report, const detail::Verdict& verdict) {
    report.refusal = verdict.refusal;
    report.message = verdict.message;
    report.factories.clear();
    return report;
  }

  static PluginReport refuse(PluginReport report, Refusal refusal, std::string message) {
    return refuse(std::move(report), detail::Verdict{refusal, std::move(message)});
  }

  PluginReport inspect(const std::string& dir, const std::string& fileName,
                       const std::string& path) {
    PluginReport report;
    report.path = path;
    auto parsed = detail::parsePluginFileName(fileName);
    if (parsed) {
      report.fileKind = std::string(kindName(parsed->kind));
      report.fileName = parsed->name;
    }
    const detail::Verdict& dirVerdict = directoryVerdict(dir);
    if (dirVerdict.refused()) {
      return refuse(std::move(report), dirVerdict);
    }
    if (!parsed) {
      return refuse(std::move(report), Refusal::BadFileName,
                    "file name `" + fileName +
                        "` is not <kind>-<name>.so with kind fetcher, store, stage1, net or ipam");
    }
    if (options.checkOwnership) {
      auto verdict = detail::checkOwnership(path, "`" + path + "`", Refusal::BadFile);
      if (verdict.refused()) {
        return refuse(std::move(report), verdict);
      }
    }

    auto opened = detail::Library::open(path);
    if (!opened) {
      return refuse(std::move(report), Refusal::NotLoadable, opened.error().message);
    }
    std::shared_ptr<detail::Library> library = std::move(opened.value());
    rkt_plugin_entry_fn entry = library->entry();
    if (entry == nullptr) {
      return refuse(std::move(report), Refusal::NoEntrySymbol,
                    "no `" RKT_PLUGIN_ENTRY_SYMBOL "` symbol is exported");
    }
    const rkt_plugin_descriptor* raw = entry();
    if (raw == nullptr) {
      return refuse(std::move(report), Refusal::NoDescriptor,
                    "`" RKT_PLUGIN_ENTRY_SYMBOL "` returned NULL");
    }
    rkt_plugin_descriptor descriptor;
    detail::Verdict verdict =
        detail::checkDescriptor(*raw, fileName, parsed->name, report, descriptor);
    if (verdict.refused()) {
      return refuse(std::move(report), verdict);
    }
    return runInit(std::move(report), library, descriptor, FactoryKey{parsed->kind, parsed->name});
  }

  PluginReport runInit(PluginReport report, const std::shared_ptr<detail::Library>& library,
                       const rkt_plugin_descriptor& descriptor, const FactoryKey& promised) {
    // Registrations stay pending until the whole file passed; a refused file leaves the
    // registry untouched.
    std::map<FactoryKey, std::shared_ptr<detail::FactoryRecord>> pending;
    std::optional<std::string> duplicate;
    rkt_registrar& registrar = library->registrar();
    registrar.add = [&](const rkt_factory& factory, rkt_error* err) -> rkt_status {
      auto copied = detail::copyFactory(factory);
      if (!copied) {
        detail::setError(err, RKT_E_INVALID, 0,
                         ("cannot register factory: " + copied.error().message).c_str());
        return RKT_E_INVALID;
      }
      // ABI 1.6 reshaped the net and ipam ops (no such plugin existed before): an older
      // plugin's table has another layout.
      if ((copied->kind == RKT_KIND_NET || copied->kind == RKT_KIND_IPAM) &&
          descriptor.abi_minor < kNetOpsMinor) {
        const std::string why = "cannot register factory: " + std::string(kindName(copied->kind)) +
                                " factory `" + copied->name + "` is built against ABI 1." +
                                std::to_string(descriptor.abi_minor) +
                                "; net and ipam plugins need 1." + std::to_string(kNetOpsMinor);
        detail::setError(err, RKT_E_INVALID, 0, why.c_str());
        return RKT_E_INVALID;
      }
      FactoryKey key{copied->kind, copied->name};
      std::string clash;
      if (auto it = factories.find(key); it != factories.end()) {
        clash = describeKey(key) + " is registered by both `" + it->second->pluginPath + "` and `" +
                report.path + "`";
      } else if (pending.count(key) != 0) {
        clash = "`" + report.path + "` registers " + describeKey(key) + " twice";
      }
      if (!clash.empty()) {
        if (!duplicate) {
          duplicate = clash;
        }
        detail::setError(err, RKT_E_EXISTS, 0, ("cannot register factory: " + clash).c_str());
        return RKT_E_EXISTS;
      }
      auto record = std::make_shared<detail::FactoryRecord>(std::move(copied.value()));
      record->pluginPath = report.path;
      record->pluginName = report.name;
      pending.emplace(std::move(key), std::move(record));
      return RKT_OK;
    };
    registrar.open = true;
    rkt_error err;
    rkt_status status;
    try {
      status = descriptor.init(hostApi(), &registrar, &err);
    } catch (...) {
      // Only a plugin that bypasses the SDK can get here; the ABI forbids it, refuse it.
      status = RKT_E_EXCEPTION;
      err.set = true;
      err.message = "an exception escaped the plugin's init";
    }
    registrar.open = false;
    registrar.add = nullptr;

    // The loader's own finding names both files; it wins over however init reacted to it.
    if (duplicate) {
      if (status == RKT_OK) {
        library->setFini(descriptor.fini);
      }
      return refuse(std::move(report), Refusal::DuplicateFactory, *duplicate);
    }
    if (status == RKT_E_EXCEPTION) {
      return refuse(std::move(report), Refusal::InitException,
                    "init threw an exception: " +
                        (err.message.empty() ? std::string("no message") : err.message));
    }
    if (status != RKT_OK) {
      std::string why = err.set && !err.message.empty() ? err.message : statusName(status);
      return refuse(std::move(report), Refusal::InitFailed,
                    "init failed (" + statusName(status) + "): " + why);
    }
    library->setFini(descriptor.fini);
    if (pending.count(promised) == 0) {
      return refuse(
          std::move(report), Refusal::NoFactory,
          "init registered no " + describeKey(promised) + " although the file name promises it");
    }
    for (auto& [key, record] : pending) {
      record->library = library;
      report.factories.push_back(FactoryInfo{key.first, key.second});
      factories.emplace(key, std::move(record));
    }
    libraries.push_back(library);
    return report;
  }

  // The first <file> in the search path, or "" when there is none.
  std::string firstDirHolding(const std::string& fileName) const {
    for (const auto& dir : searchPath) {
      if (isRegularFile(fs::path(dir) / fileName)) {
        return dir;
      }
    }
    return "";
  }
};

PluginRegistry::PluginRegistry(std::vector<std::string> searchPath, LoaderOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->searchPath = std::move(searchPath);
  impl_->options = options;
}

PluginRegistry::~PluginRegistry() = default;

const std::vector<std::string>& PluginRegistry::searchPath() const {
  return impl_->searchPath;
}

std::optional<Factory> PluginRegistry::find(rkt_kind kind, const std::string& name) const {
  auto it = impl_->factories.find(FactoryKey{kind, name});
  if (it == impl_->factories.end()) {
    return std::nullopt;
  }
  return Factory(it->second);
}

Result<Factory> PluginRegistry::get(rkt_kind kind, const std::string& name) {
  if (auto found = find(kind, name)) {
    return *found;
  }
  const std::string kindText(kindName(kind));
  if (kindText.empty()) {
    return Error{"invalid plugin kind " + std::to_string(static_cast<int>(kind))};
  }
  const std::string what = kindText + " plugin `" + name + "`";
  if (name.empty() || name.find('/') != std::string::npos) {
    return Error{"invalid " + what + ": the name must be non-empty and contain no `/`"};
  }
  const std::string fileName = kindText + "-" + name + ".so";
  const std::string dir = impl_->firstDirHolding(fileName);
  if (dir.empty()) {
    std::string searched;
    for (const auto& d : impl_->searchPath) {
      searched += (searched.empty() ? "" : ", ") + d;
    }
    return Error{"cannot find " + what + ": no `" + fileName + "` in " +
                 (searched.empty() ? std::string("an empty search path") : searched) +
                 " (set RKT_PLUGIN_PATH to add directories)"};
  }
  const PluginReport& report = impl_->loadFile(dir, fileName);
  if (!report.loaded()) {
    return Error{"cannot load " + what + " from `" + report.path +
                 "`: " + std::string(refusalName(report.refusal)) + ": " + report.message};
  }
  if (auto found = find(kind, name)) {
    return *found;
  }
  return Error{"cannot load " + what + ": `" + report.path + "` does not register it"};
}

std::vector<std::string> PluginRegistry::installed(rkt_kind kind) const {
  std::set<std::string> names;
  for (const auto& dir : impl_->searchPath) {
    for (const auto& file : pluginFilesIn(dir)) {
      auto parsed = detail::parsePluginFileName(file);
      if (parsed && parsed->kind == kind) {
        names.insert(parsed->name);
      }
    }
  }
  return {names.begin(), names.end()};
}

std::vector<PluginReport> PluginRegistry::scanAll() {
  std::vector<PluginReport> reports;
  std::map<std::string, std::string> firstPathOfName;
  for (const auto& dir : impl_->searchPath) {
    for (const auto& name : pluginFilesIn(dir)) {
      auto [first, inserted] = firstPathOfName.emplace(name, (fs::path(dir) / name).string());
      if (!inserted) {
        PluginReport shadowed;
        shadowed.path = (fs::path(dir) / name).string();
        if (auto parsed = detail::parsePluginFileName(name)) {
          shadowed.fileKind = std::string(kindName(parsed->kind));
          shadowed.fileName = parsed->name;
        }
        shadowed.refusal = Refusal::Shadowed;
        shadowed.message =
            "`" + first->second + "` has the same name and comes first in the search path";
        reports.push_back(std::move(shadowed));
        continue;
      }
      reports.push_back(impl_->loadFile(dir, name));
    }
  }
  return reports;
}

}  // namespace rkt::plugin
