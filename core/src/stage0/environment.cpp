#include "rkt/core/stage0/environment.hpp"

#include <fstream>

extern char** environ;

namespace rkt::stage0 {

Status addSetEnv(schema::Environment& env, const std::string& assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos)
    return Error{"must be specified as key=value"};
  const std::string key = assignment.substr(0, eq);
  if (schema::findValue(env, key))
    return Error{"key \"" + key + "\" already set"};
  env.push_back({key, assignment.substr(eq + 1)});
  return {};
}

Status readEnvFile(schema::Environment& env, const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return sysError("open " + path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == ';')
      continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos || eq == 0)
      return Error{"environment variable must be specified as name=value (file \"" + path + "\")"};
    const std::string key = line.substr(0, eq);
    if (schema::findValue(env, key))
      return Error{"environment variable \"" + key + "\" already set (file \"" + path + "\")"};
    env.push_back({key, line.substr(eq + 1)});
  }
  return {};
}

schema::Environment mergeEnvironment(const schema::Environment& image, const PodEnvironment& pod,
                                     const schema::Environment& perApp) {
  schema::Environment env = image;
  if (pod.inheritEnv) {
    for (const std::string& kv : pod.inherited) {
      const std::size_t eq = kv.find('=');
      if (eq == std::string::npos)
        continue;
      const std::string key = kv.substr(0, eq);
      // Names a manifest cannot carry (e.g. bash's exported functions) are not inherited.
      if (schema::isValidEnvironmentName(key) && !schema::findValue(env, key))
        env.push_back({key, kv.substr(eq + 1)});
    }
  }
  for (const auto* layer : {&pod.fromFile, &pod.explicitEnv, &perApp}) {
    for (const schema::EnvironmentVariable& v : *layer)
      schema::setValue(env, v.name, v.value);
  }
  return env;
}

std::vector<std::string> processEnvironment() {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv(*e);
    if (kv.find('=') != std::string::npos)
      out.push_back(std::move(kv));
  }
  return out;
}

}  // namespace rkt::stage0
