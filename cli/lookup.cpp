#include "lookup.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <utility>

#include "flags.hpp"

namespace rkt::cli {

bool CommandSpec::enabled() const {
  if (experiment == nullptr)
    return true;
  const char* value = std::getenv(experiment);
  return value != nullptr && parseGoBool(value).value_or(false);
}

Lookup findCommand(CommandList commands, std::string_view name) {
  Lookup result;
  if (name.empty())
    return result;
  std::vector<const CommandSpec*> prefixed;
  for (const CommandSpec* c : commands) {
    if (!c->enabled())
      continue;
    const std::string_view n = c->name;
    if (n == name) {
      result.kind = Lookup::Kind::kFound;
      result.command = c;
      return result;
    }
    if (n.substr(0, name.size()) == name)
      prefixed.push_back(c);
  }
  if (prefixed.size() == 1) {
    result.kind = Lookup::Kind::kFound;
    result.command = prefixed.front();
  } else if (prefixed.size() > 1) {
    result.kind = Lookup::Kind::kAmbiguous;
    for (const CommandSpec* c : prefixed)
      result.candidates.emplace_back(c->name);
    std::sort(result.candidates.begin(), result.candidates.end());
  }
  return result;
}

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> suggestCommands(CommandList commands, std::string_view typed) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& ch : out)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  };
  const std::string typedLower = lower(typed);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const CommandSpec* c : visibleCommands(commands)) {
    const std::string nameLower = lower(c->name);
    const std::size_t distance = editDistance(typedLower, nameLower);
    const bool prefix = !typedLower.empty() && nameLower.rfind(typedLower, 0) == 0;
    if (distance <= 2 || prefix)
      scored.emplace_back(distance, c->name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> names;
  for (auto& s : scored)
    names.push_back(std::move(s.second));
  return names;
}

std::vector<const CommandSpec*> visibleCommands(CommandList commands) {
  std::vector<const CommandSpec*> out;
  for (const CommandSpec* c : commands) {
    if (c->enabled() && !c->has(kHidden))
      out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const CommandSpec* a, const CommandSpec* b) {
    return std::string_view(a->name) < std::string_view(b->name);
  });
  return out;
}

}  // namespace rkt::cli
