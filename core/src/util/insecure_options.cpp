#include "rkt/core/insecure_options.hpp"

#include <array>

namespace rkt {
namespace {

constexpr std::uint32_t bit(InsecureOption o) {
  return static_cast<std::uint32_t>(o);
}

constexpr std::uint32_t kAllFetch = bit(InsecureOption::kImage) | bit(InsecureOption::kTls) |
                                    bit(InsecureOption::kHttp) | bit(InsecureOption::kPubkey);
constexpr std::uint32_t kAllRun = bit(InsecureOption::kCapabilities) | bit(InsecureOption::kPaths) |
                                  bit(InsecureOption::kSeccomp);
// Every bit a parsed value may carry; kOnDisk is deliberately absent (rkt ignores it).
constexpr std::uint32_t kKnownBits = kAllFetch | kAllRun;

struct Word {
  const char* name;
  std::uint32_t bits;
};

// rkt's documented order. `all-fetch` includes `pubkey` as rkt's code does (its docs forget it).
constexpr std::array<Word, 12> kWords = {{
    {"none", 0},
    {"image", bit(InsecureOption::kImage)},
    {"tls", bit(InsecureOption::kTls)},
    {"ondisk", 0},
    {"http", bit(InsecureOption::kHttp)},
    {"pubkey", bit(InsecureOption::kPubkey)},
    {"capabilities", bit(InsecureOption::kCapabilities)},
    {"paths", bit(InsecureOption::kPaths)},
    {"seccomp", bit(InsecureOption::kSeccomp)},
    {"all-fetch", kAllFetch},
    {"all-run", kAllRun},
    {"all", kAllFetch | kAllRun},
}};

constexpr std::array<const char*, kWords.size()> wordNames() {
  std::array<const char*, kWords.size()> names{};
  for (std::size_t i = 0; i < kWords.size(); ++i)
    names[i] = kWords[i].name;
  return names;
}
constexpr std::array<const char*, kWords.size()> kWordNames = wordNames();

std::string allowedList() {
  std::string list;
  for (const Word& w : kWords) {
    if (!list.empty())
      list += ", ";
    list += w.name;
  }
  return list;
}

}  // namespace

InsecureOptions InsecureOptions::fromBits(std::uint32_t bits) {
  return InsecureOptions(bits & kKnownBits);
}

Result<InsecureOptions> InsecureOptions::parse(std::string_view csv) {
  std::uint32_t bits = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = csv.find(',', start);
    const std::string_view word =
        csv.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    bool known = false;
    for (const Word& w : kWords) {
      if (word == w.name) {
        bits |= w.bits;
        known = true;
        break;
      }
    }
    if (!known) {
      return Error{"unknown insecure option `" + std::string(word) +
                   "` (allowed: " + allowedList() + ")"};
    }
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }
  return InsecureOptions(bits);
}

const char* const* InsecureOptions::words() {
  return kWordNames.data();
}
std::size_t InsecureOptions::wordCount() {
  return kWordNames.size();
}

std::string InsecureOptions::toString() const {
  if (bits_ == 0)
    return "none";
  std::string out;
  for (const Word& w : kWords) {
    // Single-feature words only: a power of two, so groups are spelled out feature by feature.
    if (w.bits == 0 || (w.bits & (w.bits - 1)) != 0 || (bits_ & w.bits) == 0)
      continue;
    if (!out.empty())
      out += ',';
    out += w.name;
  }
  return out;
}

}  // namespace rkt
