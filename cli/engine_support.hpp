// From rkt's global flags to the engine (rkt/core/engine.hpp), and from the engine's log to
// rkt's stderr lines: every command that works on the data directory opens it here.
#ifndef RKT_CLI_ENGINE_SUPPORT_HPP
#define RKT_CLI_ENGINE_SUPPORT_HPP

#include <optional>
#include <string>

#include "command.hpp"
#include "rkt/core/engine.hpp"

namespace rkt::cli {

struct GlobalOptions;

/// The engine's options for the global flags `global`, its log printing on inv.err as rkt
/// does: notices as "<prefix>: <line>", --debug lines likewise, image progress as
/// "image: <line>". `inv` must outlive the engine.
EngineOptions engineOptions(const Invocation& inv, const GlobalOptions& global);

/// Engine::open with the global flags (`global` overrides inv.global, for commands that read
/// global flags among their arguments). Prints "cannot get configuration: …" (or the data
/// directory's problem) and returns nullopt on failure.
std::optional<Engine> openEngine(const Invocation& inv, const GlobalOptions* global = nullptr);

/// openEngine() and its store, for the image commands ("cannot open store: …").
std::optional<Engine> openEngineWithStore(const Invocation& inv,
                                          const GlobalOptions* global = nullptr);

/// An open engine with its store, and the key of the stored image a command's IMAGE argument
/// names (image::resolveImageArg: an ID, a prefix of one, or a name[:version]).
struct StoredImage {
  Engine engine;
  std::string key;
};

/// openEngineWithStore() and the image `arg` names, for the `rkt image …` commands that work on
/// one stored image. Prints the problem and returns nullopt on failure.
std::optional<StoredImage> openStoredImage(const Invocation& inv, const std::string& arg);

}  // namespace rkt::cli

#endif  // RKT_CLI_ENGINE_SUPPORT_HPP
