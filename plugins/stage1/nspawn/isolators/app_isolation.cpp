#include "app_isolation.hpp"

#include <algorithm>
#include <cerrno>

#include "linux_names.hpp"
#include "resource_limits.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "seccomp_groups.hpp"

namespace rkt::nspawn {

namespace {

namespace iso = schema::isolator;

[[noreturn]] void invalid(const std::string& app, const std::string& what) {
  appexec::fail(RKT_E_INVALID, "app `" + app + "`: " + what, EINVAL);
}

std::vector<unsigned> capabilityNumbers(const std::string& app,
                                        const std::vector<std::string>& names) {
  std::vector<unsigned> out;
  for (const std::string& name : names) {
    const std::optional<unsigned> n = capabilityNumber(name);
    if (!n) {
      invalid(app, "unknown capability `" + name + "`");
    }
    if (std::find(out.begin(), out.end(), *n) == out.end()) {
      out.push_back(*n);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void append(std::vector<std::string>& to, const std::vector<std::string>& items) {
  to.insert(to.end(), items.begin(), items.end());
}

}  // namespace

std::vector<unsigned> resolveCapabilities(const std::string& app,
                                          const schema::Isolators& isolators) {
  std::vector<unsigned> defaults = capabilityNumbers(app, schema::defaultCapabilities());
  if (const schema::Isolator* retain =
          schema::findIsolator(isolators, iso::kCapabilitiesRetainSet)) {
    return capabilityNumbers(app, retain->as<schema::CapabilitySet>()->set);
  }
  if (const schema::Isolator* remove =
          schema::findIsolator(isolators, iso::kCapabilitiesRemoveSet)) {
    const std::vector<unsigned> removed =
        capabilityNumbers(app, remove->as<schema::CapabilitySet>()->set);
    defaults.erase(std::remove_if(defaults.begin(), defaults.end(),
                                  [&](unsigned c) {
                                    return std::find(removed.begin(), removed.end(), c) !=
                                           removed.end();
                                  }),
                   defaults.end());
  }
  return defaults;
}

void resolveSeccomp(const std::string& app, const schema::Isolators& isolators, AppIsolation& out) {
  const schema::Isolator* found = nullptr;
  for (const schema::Isolator& i : isolators) {
    if (i.name == iso::kSeccompRetainSet || i.name == iso::kSeccompRemoveSet) {
      if (found != nullptr) {
        invalid(app, "too many seccomp isolators specified");
      }
      found = &i;
    }
  }
  out.syscalls.clear();
  out.seccompErrno = 0;
  if (found == nullptr) {
    out.seccompMode = "retain";
    out.syscalls = rktDefaultWhitelist();
    return;
  }
  const schema::SeccompSet& set = *found->as<schema::SeccompSet>();
  const bool retain = found->name == iso::kSeccompRetainSet;
  out.seccompMode = retain ? "retain" : "remove";
  if (!set.errnoName.empty()) {
    const std::optional<int> e = errnoNumber(set.errnoName);
    if (!e) {
      invalid(app, "unknown errno `" + set.errnoName + "` in isolator `" + found->name + "`");
    }
    out.seccompErrno = *e;
  }
  for (const std::string& item : set.set) {
    if (item.empty() || item.front() != '@') {
      out.syscalls.push_back(item);
    } else if (item == iso::kSeccompAll || item == iso::kSeccompEmpty) {
      // retain all: no filter; remove nothing: rkt's default allow-list. The other two
      // combinations filter with what the rest of the set names, as rkt did.
      if (retain && item == iso::kSeccompAll) {
        out.seccompMode = "none";
        out.seccompErrno = 0;
        out.syscalls.clear();
        return;
      }
      if (!retain && item == iso::kSeccompEmpty) {
        out.seccompMode = "retain";
        out.syscalls = rktDefaultWhitelist();
        return;
      }
    } else if (std::optional<std::vector<std::string>> group = seccompGroup(item)) {
      append(out.syscalls, *group);
    } else {
      // rkt dropped unknown groups silently, which turned a typo into a wider filter.
      invalid(app, "unknown seccomp group `" + item + "`");
    }
  }
}

AppIsolation resolveAppIsolation(const std::string& app, const schema::Isolators& isolators,
                                 uid_t uid, const IsolationInsecurity& insecure) {
  AppIsolation out;
  const std::vector<unsigned> caps = resolveCapabilities(app, isolators);
  if (!insecure.capabilities) {
    out.boundCapabilities = true;
    out.capabilities = caps;
  }
  if (!insecure.seccomp) {
    resolveSeccomp(app, isolators, out);
  }
  const schema::Isolator* nnp = schema::findIsolator(isolators, iso::kNoNewPrivileges);
  out.noNewPrivileges = nnp != nullptr && nnp->as<schema::NoNewPrivileges>()->enabled;
  // An unprivileged process may only install a filter with no_new_privs (rkt forced it too).
  if (out.seccompMode != "none" && uid != 0) {
    out.noNewPrivileges = true;
  }
  if (const schema::Isolator* oom = schema::findIsolator(isolators, iso::kOomScoreAdj)) {
    out.hasOomScoreAdj = true;
    out.oomScoreAdj = static_cast<int>(oom->as<schema::OomScoreAdj>()->value);
  }
  out.resources = resolveResourceLimits(app, isolators);
  return out;
}

}  // namespace rkt::nspawn
