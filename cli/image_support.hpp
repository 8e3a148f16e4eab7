// What the image commands (`rkt fetch`, `rkt image …`) share: flags with validated values,
// output directories, and how image removal is printed.
#ifndef RKT_CLI_IMAGE_SUPPORT_HPP
#define RKT_CLI_IMAGE_SUPPORT_HPP

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "rkt/core/engine.hpp"
#include "rkt/core/result.hpp"
#include "rkt/core/util/output_path.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace rkt::cli {

/// A string flag whose value `check` validates while parsing (nullopt = valid, else the reason):
/// a bad value fails the parse with pflag's `invalid argument "v" for "--name" flag: <reason>`.
CLI::Option* addCheckedFlag(CLI::App& app, const std::string& name, std::string& target,
                            std::function<std::optional<std::string>(const std::string&)> check,
                            const std::string& description);

/// rkt's rmImages through Engine::removeImages: prints `successfully removed aci for image:
/// "<key>"` on stdout per image, each problem, and `N image(s) successfully removed` (and the
/// failure counts) on stderr. Returns kExitOk, or kExitFailure when anything could not be
/// removed.
int removeImages(const Invocation& inv, Engine& engine, const std::vector<std::string>& images,
                 MissingImages missing = MissingImages::kError);

/// rkt's output directory rule for extract and render: `dir` made absolute; when it exists,
/// refused without `overwrite` ("output directory exists (try --overwrite)"), refused for `/`
/// ("this would delete your root filesystem. Refusing."), else replaced on commit. The output is
/// built at the result's buildPath() beside `dir` (util::OutputDir), so the old output stays
/// until the new one is complete. Prints the problem and returns nullopt on failure.
std::optional<util::OutputDir> prepareOutputDir(const Invocation& inv, const std::string& dir,
                                                bool overwrite);

/// Puts a complete output in place (util::OutputDir::commit); prints the problem. Returns
/// kExitOk or kExitFailure.
int commitOutputDir(const Invocation& inv, util::OutputDir& out);

}  // namespace rkt::cli

#endif  // RKT_CLI_IMAGE_SUPPORT_HPP
