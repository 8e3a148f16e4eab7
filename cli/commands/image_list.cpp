// `rkt image list [--fields=…] [--sort=…] [--order=asc|desc] [--no-legend] [--full]
// [--format=json|json-pretty]` (rkt-notes §1.23).
#include <ostream>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "image_support.hpp"
#include "rkt/core/image/image_list.hpp"

namespace rkt::cli {
namespace {

std::optional<std::string> checkFields(const std::string& v) {
  if (auto r = image::parseListFields(v); !r) {
    return r.error().message;
  }
  return std::nullopt;
}

std::optional<std::string> checkSort(const std::string& v) {
  if (auto r = image::parseSortFields(v); !r) {
    return r.error().message;
  }
  return std::nullopt;
}

std::optional<std::string> checkOrder(const std::string& v) {
  if (auto r = image::parseSortOrder(v); !r) {
    return r.error().message;
  }
  return std::nullopt;
}

std::optional<std::string> checkFormat(const std::string& v) {
  if (v.empty() || v == "json" || v == "json-pretty") {
    return std::nullopt;
  }
  return "unknown output format \"" + v + "\" (expected json or json-pretty)";
}

class ImageListCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addCheckedFlag(app, "--fields", fields_, checkFields,
                   "comma-separated list of fields to display. Accepted values: id, name, size, "
                   "importtime, lastused");
    addCheckedFlag(app, "--sort", sort_, checkSort,
                   "sort the output according to the provided comma-separated list of fields. "
                   "Accepted values: name, importtime, lastused, size");
    addCheckedFlag(app, "--order", order_, checkOrder,
                   "choose the sorting order if at least one sort field is provided (--sort). "
                   "Accepted values: asc, desc");
    addBoolFlag(app, "--no-legend", noLegend_, "suppress a legend with the list");
    addBoolFlag(app, "--full", full_, "use long output format");
    addCheckedFlag(app, "--format", format_, checkFormat,
                   "choose the output format, allowed format includes 'json', 'json-pretty'. If "
                   "empty, then the result is printed as key value pairs");
  }

  int run(Invocation& inv) override {
    std::optional<Engine> engine = openEngineWithStore(inv);
    if (!engine) {
      return kExitFailure;
    }
    auto images = engine->store().list();
    if (!images) {
      return inv.fail(images.error().wrap("unable to get images from the store"));
    }
    // The flag checks accepted these already.
    const auto fields = image::parseListFields(fields_);
    const auto sort = image::parseSortFields(sort_);
    const auto ascending = image::parseSortOrder(order_);
    if (!fields || !sort || !ascending) {
      return inv.fail("invalid list options");
    }
    const std::vector<image::ListEntry> entries = image::listEntries(*images, *sort, *ascending);
    if (!format_.empty()) {
      inv.out << image::formatImageJson(entries, format_ == "json-pretty") << '\n';
      return kExitOk;
    }
    image::TableOptions table;
    table.fields = *fields;
    table.full = full_;
    table.noLegend = noLegend_;
    inv.out << image::formatImageTable(entries, table);
    return kExitOk;
  }

 private:
  std::string fields_ = "id,name,size,importtime,lastused";
  std::string sort_ = "importtime";
  std::string order_ = "asc";
  bool noLegend_ = false;
  bool full_ = false;
  std::string format_;
};

}  // namespace

extern const CommandSpec kImageListCommand =
    CommandSpec("list", "List images in the local store")
        .runs<ImageListCommand>()
        .completes(ArgCompletion::kNothing)
        .withDescription("Optionally, allows the user to specify the fields and sort order.");

}  // namespace rkt::cli
