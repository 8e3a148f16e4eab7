// Loading the pod's networks (rkt-notes §5.2, §5.3).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>
#include <set>

#include "rkt/core/net/pod_network.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::net {

namespace {

// rkt's stage1 shipped these as $S1/etc/rkt/net.d/*.conf; a user network of the same name
// replaces them.
const std::vector<LoadedNet>& builtins() {
  static const std::vector<LoadedNet> nets = {
      {"default", "99-default.conf",
       R"({"cniVersion":"0.1.0","name":"default","type":"ptp","ipMasq":true,)"
       R"("ipam":{"type":"host-local","subnet":"172.16.28.0/24","routes":[{"dst":"0.0.0.0/0"}]}})",
       ""},
      {"default-restricted", "99-default-restricted.conf",
       R"({"cniVersion":"0.1.0","name":"default-restricted","type":"ptp","ipMasq":false,)"
       R"("ipam":{"type":"host-local","subnet":"172.31.0.0/16"}})",
       ""},
  };
  return nets;
}

// `<dir>/*.conf`, regular files, sorted by name; duplicates of a name: the first wins.
Result<std::vector<LoadedNet>> loadDir(const std::string& dir,
                                       const std::function<void(const std::string&)>& warn) {
  std::vector<LoadedNet> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) {
      return out;
    }
    return sysError("cannot read `" + dir + "`");
  }
  std::vector<std::string> files;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    struct stat st {};
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".conf") == 0 &&
        ::stat((dir + "/" + name).c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      files.push_back(name);
    }
  }
  ::closedir(d);
  std::sort(files.begin(), files.end());
  std::set<std::string> names;
  for (const std::string& file : files) {
    auto text = posix::readFileAt(AT_FDCWD, dir + "/" + file, true);
    if (!text) {
      return text.error();
    }
    std::string name;
    try {
      auto o = Poco::JSON::Parser().parse(*text).extract<Poco::JSON::Object::Ptr>();
      name = o->optValue<std::string>("name", "");
    } catch (const Poco::Exception& e) {
      return Error{"error loading " + dir + "/" + file + ": " + e.message()};
    }
    if (name.empty()) {
      return Error{"error loading " + dir + "/" + file + ": network has no name"};
    }
    if (!names.insert(name).second) {
      warn("\"" + name + "\" network already defined, ignoring " + dir + "/" + file);
      continue;
    }
    out.push_back({name, file, *text, ""});
  }
  return out;
}

}  // namespace

Result<std::vector<LoadedNet>> loadNetworks(const NetSelection& selection,
                                            const std::string& localConfig,
                                            const std::function<void(const std::string&)>& warn) {
  std::map<std::string, LoadedNet> byName;
  for (const LoadedNet& n : builtins()) {
    byName[n.name] = n;
  }
  const std::string userDir = localConfig + "/net.d";
  auto user = loadDir(userDir, warn);
  if (!user) {
    return user.error();
  }
  for (const LoadedNet& n : *user) {
    if (byName.count(n.name) != 0) {
      warn("overriding \"" + n.name + "\" network with one from " + userDir);
    }
    byName[n.name] = n;
  }
  std::vector<LoadedNet> active;
  std::vector<std::string> missing;
  if (selection.all) {
    for (auto& [name, n] : byName) {
      active.push_back(n);
    }
  }
  for (const NetSelection::Entry& e : selection.entries) {
    auto it = byName.find(e.name);
    if (it == byName.end()) {
      missing.push_back(e.name);
    } else if (!selection.all) {
      active.push_back(it->second);
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& m : missing) {
      list += (list.empty() ? "" : ", ") + m;
    }
    return Error{"networks not found: " + list};
  }
  for (LoadedNet& n : active) {
    for (const NetSelection::Entry& e : selection.entries) {
      if (e.name == n.name) {
        n.args = e.args;
      }
    }
  }
  std::stable_sort(active.begin(), active.end(),
                   [](const LoadedNet& a, const LoadedNet& b) { return a.confFile < b.confFile; });
  return active;
}

}  // namespace rkt::net
