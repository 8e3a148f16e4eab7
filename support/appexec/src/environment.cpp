#include "rkt/support/appexec/environment.hpp"

#include <sstream>

namespace rkt::appexec {

namespace {

// rkt's defaults (stage1 ComposeEnviron); the order is ours, rkt's came from a Go map.
const EnvList kDefaults = {
    {"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
    {"SHELL", "/bin/sh"},
    {"USER", "root"},
    {"LOGNAME", "root"},
    {"HOME", "/root"},
};

bool has(const EnvList& env, const std::string& name) {
  for (const auto& kv : env) {
    if (kv.first == name) {
      return true;
    }
  }
  return false;
}

}  // namespace

EnvList composeEnvironment(const EnvList& appEnv, const std::string& appName) {
  EnvList app = appEnv;
  setEnv(app, "AC_APP_NAME", appName);
  EnvList out;
  for (const auto& kv : kDefaults) {
    if (!has(app, kv.first)) {
      out.push_back(kv);
    }
  }
  out.insert(out.end(), app.begin(), app.end());
  return out;
}

std::string envValue(const EnvList& env, const std::string& name, const std::string& fallback) {
  for (const auto& kv : env) {
    if (kv.first == name) {
      return kv.second;
    }
  }
  return fallback;
}

void setEnv(EnvList& env, const std::string& name, const std::string& value) {
  for (auto& kv : env) {
    if (kv.first == name) {
      kv.second = value;
      return;
    }
  }
  env.emplace_back(name, value);
}

std::string formatEnvFile(const EnvList& env) {
  std::string out;
  for (const auto& kv : env) {
    out += kv.first + "=" + kv.second + "\n";
  }
  return out;
}

EnvList parseEnvFile(const std::string& text) {
  EnvList out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      continue;
    }
    out.emplace_back(line.substr(0, eq), line.substr(eq + 1));
  }
  return out;
}

std::vector<std::string> toEnviron(const EnvList& env) {
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& kv : env) {
    out.push_back(kv.first + "=" + kv.second);
  }
  return out;
}

}  // namespace rkt::appexec
