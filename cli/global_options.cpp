#include "global_options.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "flags.hpp"
#include "rkt/core/util/duration.hpp"

namespace rkt::cli {
namespace {

std::string insecureOptionsHelp() {
  std::string help = "comma-separated list of security features to disable. Allowed values:";
  for (std::size_t i = 0; i < InsecureOptions::wordCount(); ++i) {
    help += (i == 0 ? " \"" : ", \"");
    help += InsecureOptions::words()[i];
    help += '"';
  }
  return help;
}

// A directory flag: made absolute (and for --dir, symlink-resolved) while parsing.
CLI::Option* addDirFlag(CLI::App& app, const std::string& name, const std::string& description,
                        const std::string& shownDefault, bool resolveSymlinks,
                        std::function<void(std::string)> store) {
  CLI::Option* option = app.add_option(
      name,
      [name, resolveSymlinks, store](const CLI::results_t& results) {
        Result<std::string> dir = absoluteDir(results.back(), resolveSymlinks);
        if (!dir)
          throw CLI::ValidationError(name, dir.error().message);
        store(std::move(*dir));
        return true;
      },
      description);
  option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  option->default_str(shownDefault);
  option->type_name(kDirType);
  return option;
}

}  // namespace

Result<std::string> absoluteDir(const std::string& path, bool resolveSymlinks) {
  if (path.empty())
    return Error{"directory path is empty"};
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  if (ec)
    return Error{"cannot make `" + path + "` absolute: " + ec.message(), ec.value()};
  abs = abs.lexically_normal();
  std::string out = abs.string();
  // lexically_normal keeps a trailing separator ("/a/b/"); rkt's filepath.Clean does not.
  if (out.size() > 1 && out.back() == '/')
    out.pop_back();
  if (resolveSymlinks) {
    char resolved[PATH_MAX];
    if (::realpath(out.c_str(), resolved) != nullptr) {
      out = resolved;
    } else if (errno != ENOENT && errno != ENOTDIR) {
      return sysError("cannot resolve `" + out + "`");
    }
  }
  return out;
}

void addGlobalFlags(CLI::App& app, GlobalOptions& options) {
  GlobalOptions* o = &options;
  const std::string group = kGlobalGroup;
  addBoolFlag(app, "--debug", o->debug, "print out more debug information to stderr")->group(group);
  addDirFlag(app, "--dir", "rkt data directory", kDefaultDataDir, true, [o](std::string d) {
    o->dir = std::move(d);
    o->dirSet = true;
  })->group(group);
  addDirFlag(app, "--system-config", "system configuration directory", kDefaultSystemConfigDir,
             false, [o](std::string d) { o->systemConfigDir = std::move(d); })
      ->group(group);
  addDirFlag(app, "--local-config", "local configuration directory", kDefaultLocalConfigDir, false,
             [o](std::string d) { o->localConfigDir = std::move(d); })
      ->group(group);
  addDirFlag(app, "--user-config", "user configuration directory", "", false, [o](std::string d) {
    o->userConfigDir = std::move(d);
  })->group(group);

  CLI::Option* insecure = app.add_option(
      "--insecure-options",
      [o](const CLI::results_t& results) {
        Result<InsecureOptions> parsed = InsecureOptions::parse(results.back());
        if (!parsed)
          throw CLI::ValidationError("--insecure-options", parsed.error().message);
        o->insecureOptions = *parsed;
        return true;
      },
      insecureOptionsHelp());
  insecure->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  insecure->default_str("none");
  std::string words;
  for (std::size_t i = 0; i < InsecureOptions::wordCount(); ++i) {
    words += (i == 0 ? "" : " ") + std::string(InsecureOptions::words()[i]);
  }
  completeWords(insecure, words);
  insecure->group(group);

  addBoolFlag(app, "--trust-keys-from-https", o->trustKeysFromHttps,
              "automatically trust gpg keys fetched from https")
      ->group(group);

  CLI::Option* stall = app.add_option(
      "--http-stall-timeout",
      [o](const CLI::results_t& results) {
        Result<std::chrono::milliseconds> timeout = parseStallTimeout(results.back());
        if (!timeout)
          throw CLI::ValidationError("--http-stall-timeout", timeout.error().message);
        o->httpStallTimeout = *timeout;
        return true;
      },
      "fail an HTTP transfer that receives nothing for this long");
  stall->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  stall->default_str(util::formatGoDuration(trust::kDefaultHttpStallTimeout));
  stall->type_name("DURATION");
  stall->group(group);
}

Result<std::chrono::milliseconds> parseStallTimeout(const std::string& text) {
  Result<std::chrono::nanoseconds> d = util::parseGoDuration(text);
  if (!d)
    return d.error();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  if (ms.count() <= 0)
    return Error{"the timeout must be at least 1ms"};
  return ms;
}

}  // namespace rkt::cli
