// Helpers shared by the engine's unit tests: a scratch data directory and configuration, an
// engine on them that loads the real in-tree store plugin from the build tree
// (<bin>/../lib/rkt/plugins, as `rkt` does) and a fake stage1 through the engine's seam, and a
// test image built by tests/fixtures/aci.py.
#ifndef RKT_TESTS_UNIT_CORE_ENGINE_ENGINE_TEST_SUPPORT_HPP
#define RKT_TESTS_UNIT_CORE_ENGINE_ENGINE_TEST_SUPPORT_HPP

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <cppunit/TestAssert.h>

#include "core/pod/pod_test_support.hpp"
#include "rkt/core/engine.hpp"
#include "rkt/sdk/protocol/stage1.hpp"

// For CPPUNIT_ASSERT_EQUAL on lists of lines.
template <>
struct CppUnit::assertion_traits<std::vector<std::string>> {
  static bool equal(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return a == b;
  }
  static std::string toString(const std::vector<std::string>& v) {
    std::string out = "[";
    for (const std::string& s : v)
      out += (out.size() > 1 ? ", \"" : "\"") + s + "\"";
    return out + "]";
  }
};

namespace enginetest {

/// What a FakeStage1 answers and what it was asked. Shared by every instance the engine opens.
struct Stage1Script {
  rkt::stage1::Capabilities caps;
  int runStatus = 0;
  int enterStatus = 0;
  bool hasGc = true;
  /// The ops called, in order ("describe", "run", …), and the last request of each, encoded.
  std::vector<std::string> calls;
  std::string lastRequest;
  /// When set, `run` also writes its encoded request here (a forked child's record).
  std::string runRequestFile;
  /// The flavors the engine asked for.
  std::vector<std::string> opened;
  /// A flavor that cannot be loaded.
  std::string missingFlavor;
};

class FakeStage1 : public rkt::stage1::Stage1 {
 public:
  FakeStage1(std::string flavor, std::shared_ptr<Stage1Script> script)
      : flavor_(std::move(flavor)), script_(std::move(script)) {}

  const std::string& flavor() const override { return flavor_; }
  bool has(std::string_view op) const override { return op != "gc" || script_->hasGc; }
  rkt::Result<rkt::stage1::Capabilities> describe() const override {
    script_->calls.push_back("describe");
    return script_->caps;
  }
  rkt::Result<int> run(const rkt::stage1::RunRequest& request) const override {
    record("run", request);
    if (!script_->runRequestFile.empty())
      podtest::writeFile(script_->runRequestFile, script_->lastRequest);
    return script_->runStatus;
  }
  rkt::Result<int> enter(const rkt::stage1::EnterRequest& request) const override {
    record("enter", request);
    return script_->enterStatus;
  }
  rkt::Status stop(const rkt::stage1::StopRequest& request) const override {
    record("stop", request);
    return {};
  }
  rkt::Status gc(const rkt::stage1::GcRequest& request) const override {
    if (!script_->hasGc)
      return rkt::Error{"`gc` is not supported by this stage1 (stage1 `" + flavor_ + "`)"};
    record("gc", request);
    return {};
  }

 private:
  template <class Request>
  void record(const char* op, const Request& request) const {
    script_->calls.push_back(op);
    script_->lastRequest = rkt::protocol::encode(request);
  }

  std::string flavor_;
  std::shared_ptr<Stage1Script> script_;
};

/// A throw-away data directory with empty system and local configuration directories beside
/// it, and the engine's log lines.
class Scratch {
 public:
  Scratch() : system_(root_.path() + "/system"), local_(root_.path() + "/local") {
    ::mkdir(system_.c_str(), 0755);
    ::mkdir(local_.c_str(), 0755);
    ::mkdir(dataDir().c_str(), 0755);
  }

  const std::string& path() const { return root_.path(); }
  std::string dataDir() const { return root_.path() + "/data"; }
  const std::string& localConfigDir() const { return local_; }
  rkt::pod::PodDirs podDirs() const { return rkt::pod::PodDirs(dataDir()); }

  /// Options for an engine on this scratch tree whose stage1 flavors are all FakeStage1.
  rkt::EngineOptions options() {
    rkt::EngineOptions o;
    o.configDirs = rkt::config::Dirs{system_, local_, ""};
    o.dataDir = dataDir();
    o.log = [this](rkt::LogKind kind, const std::string& line) { log.push_back({kind, line}); };
    o.flush = [this]() { ++flushes; };
    o.openStage1 =
        [this](rkt::plugin::PluginRegistry&,
               const std::string& flavor) -> rkt::Result<std::unique_ptr<rkt::stage1::Stage1>> {
      stage1->opened.push_back(flavor);
      if (flavor == stage1->missingFlavor)
        return rkt::Error{"cannot load stage1 `" + flavor + "`: not installed"};
      return std::unique_ptr<rkt::stage1::Stage1>(std::make_unique<FakeStage1>(flavor, stage1));
    };
    return o;
  }

  rkt::Engine open() { return open(options()); }
  rkt::Engine open(rkt::EngineOptions o) {
    rkt::Result<rkt::Engine> engine = rkt::Engine::open(std::move(o));
    if (!engine)
      throw std::runtime_error("cannot open the engine: " + engine.error().message);
    return std::move(*engine);
  }

  /// The log lines of one kind.
  std::vector<std::string> lines(rkt::LogKind kind) const {
    std::vector<std::string> out;
    for (const auto& [k, line] : log) {
      if (k == kind)
        out.push_back(line);
    }
    return out;
  }

  std::shared_ptr<Stage1Script> stage1 = std::make_shared<Stage1Script>();
  std::vector<std::pair<rkt::LogKind, std::string>> log;
  int flushes = 0;

 private:
  podtest::TempDataDir root_;
  std::string system_;
  std::string local_;
};

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// A test image (tests/fixtures/aci.py; its /bin/busybox is a copy of /bin/true, the engine
/// never runs it), built once per test run. `name` must be unique per image.
inline std::string testImage(const std::string& name) {
  static podtest::TempDataDir dir;
  const std::string path = dir.path() + "/" + name + ".aci";
  if (!podtest::exists(path)) {
    const std::string cmd = "BUSYBOX=/bin/true python3 " RKT_FIXTURES_DIR "/aci.py busybox " +
                            path + " example.com/" + name + " 1.0.0 >/dev/null";
    if (std::system(cmd.c_str()) != 0)
      throw std::runtime_error("cannot build the test image: " + cmd);
  }
  return path;
}

/// Imports testImage(name) into the engine's store; returns its key.
inline std::string importImage(rkt::Engine& engine, const std::string& name) {
  if (rkt::Status s = engine.openStore(); !s)
    throw std::runtime_error(s.error().message);
  rkt::Result<rkt::image::ImportResult> imported =
      engine.store().importImage(testImage(name), true);
  if (!imported)
    throw std::runtime_error("cannot import: " + imported.error().message);
  return imported->key;
}

/// Options preparing one app from `image` (an image ID or name).
inline rkt::PrepareOptions oneApp(const std::string& image) {
  rkt::PrepareOptions options;
  options.apps.create(image);
  return options;
}

/// Whether the test runs as root (mount namespaces); otherwise prints why `test` is skipped.
inline bool needsRoot(const char* test) {
  if (::geteuid() == 0)
    return true;
  std::fprintf(stderr, "\nSKIPPED %s: needs root (mount namespaces)\n", test);
  return false;
}

}  // namespace enginetest

#endif  // RKT_TESTS_UNIT_CORE_ENGINE_ENGINE_TEST_SUPPORT_HPP
