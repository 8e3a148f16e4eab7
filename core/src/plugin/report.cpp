#include "rkt/core/plugin/report.hpp"

namespace rkt::plugin {

std::string_view refusalName(Refusal refusal) {
  switch (refusal) {
    case Refusal::None:
      return "loaded";
    case Refusal::BadDirectory:
      return "bad-directory";
    case Refusal::BadFile:
      return "bad-file";
    case Refusal::BadFileName:
      return "bad-file-name";
    case Refusal::Shadowed:
      return "shadowed";
    case Refusal::NotLoadable:
      return "not-loadable";
    case Refusal::NoEntrySymbol:
      return "no-entry-symbol";
    case Refusal::NoDescriptor:
      return "no-descriptor";
    case Refusal::AbiMajorMismatch:
      return "abi-major-mismatch";
    case Refusal::AbiMinorNewer:
      return "abi-minor-newer";
    case Refusal::DescriptorTooLarge:
      return "descriptor-too-large";
    case Refusal::DescriptorTooSmall:
      return "descriptor-too-small";
    case Refusal::EmptyField:
      return "empty-field";
    case Refusal::NoInit:
      return "no-init";
    case Refusal::NameMismatch:
      return "name-mismatch";
    case Refusal::InitFailed:
      return "init-failed";
    case Refusal::InitException:
      return "init-exception";
    case Refusal::DuplicateFactory:
      return "duplicate-factory";
    case Refusal::NoFactory:
      return "no-factory";
  }
  return "unknown";
}

}  // namespace rkt::plugin
