// JSON <-> isolators.
#include <charconv>

#include "codec.hpp"
#include "rkt/schema/isolator.hpp"

namespace rkt::schema::detail {
namespace {

namespace iso = rkt::schema::isolator;

bool isResource(std::string_view name) {
  return name == iso::kResourceCpu || name == iso::kResourceMemory ||
         name == iso::kResourceBlockBandwidth || name == iso::kResourceBlockIops ||
         name == iso::kResourceNetworkBandwidth;
}

// Kubernetes quantities may be written as JSON numbers too; they are read as the same text.
Quantity decodeQuantity(const Var& v, std::string_view path) {
  std::string text;
  if (v.isString()) {
    text = v.extract<std::string>();
  } else if (v.isInteger() && !v.isBoolean()) {
    text = v.isSigned() ? std::to_string(v.convert<std::int64_t>())
                        : std::to_string(v.convert<std::uint64_t>());
  } else if (v.isNumeric() && !v.isBoolean()) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v.convert<double>());
    text.assign(buf, r.ptr);
  } else {
    fail(path, "expected a quantity (string or number)");
  }
  auto q = Quantity::parse(text);
  if (!q)
    fail(path, q.error().message);
  return *q;
}

ResourceValue decodeResource(const Var& v, std::string_view path) {
  ResourceValue r;
  forEachMember(asObject(v, path), [&](const std::string& key, const Var& value) {
    if (key == "default")
      r.isDefault = asBool(value, childPath(path, "default"));
    else if (key == "request")
      r.request = decodeQuantity(value, childPath(path, "request"));
    else if (key == "limit")
      r.limit = decodeQuantity(value, childPath(path, "limit"));
  });
  return r;
}

std::vector<std::string> decodeSet(const ObjectPtr& obj, std::string_view path) {
  std::vector<std::string> set;
  forEachMember(obj, [&](const std::string& key, const Var& value) {
    if (key == "set")
      set = asStringList(value, childPath(path, "set"));
  });
  return set;
}

ObjectPtr encodeSet(const std::vector<std::string>& set) {
  ObjectPtr obj = newObject();
  obj->set("set", toArray(set));
  return obj;
}

}  // namespace

IsolatorValue decodeIsolatorValue(std::string_view name, const Var& v, std::string_view path) {
  if (!isKnownIsolator(name))
    return UnknownIsolatorValue{toJsonText(v)};
  if (isNull(v))
    fail(path, "must be set for " + quote(name));
  if (isResource(name))
    return decodeResource(v, path);
  if (name == iso::kCapabilitiesRetainSet || name == iso::kCapabilitiesRemoveSet)
    return CapabilitySet{decodeSet(asObject(v, path), path)};
  if (name == iso::kNoNewPrivileges)
    return NoNewPrivileges{asBool(v, path)};
  if (name == iso::kSeccompRetainSet || name == iso::kSeccompRemoveSet) {
    SeccompSet s;
    forEachMember(asObject(v, path), [&](const std::string& key, const Var& value) {
      if (key == "set")
        s.set = asStringList(value, childPath(path, "set"));
      else if (key == "errno")
        s.errnoName = asString(value, childPath(path, "errno"));
    });
    return s;
  }
  if (name == iso::kSelinuxContext) {
    SelinuxContext c;
    forEachMember(asObject(v, path), [&](const std::string& key, const Var& value) {
      if (key == "user")
        c.user = asString(value, childPath(path, "user"));
      else if (key == "role")
        c.role = asString(value, childPath(path, "role"));
      else if (key == "type")
        c.type = asString(value, childPath(path, "type"));
      else if (key == "level")
        c.level = asString(value, childPath(path, "level"));
    });
    return c;
  }
  if (name == iso::kApparmorProfile) {
    ApparmorProfile p;
    forEachMember(asObject(v, path), [&](const std::string& key, const Var& value) {
      if (key == "profile")
        p.profile = asString(value, childPath(path, "profile"));
    });
    return p;
  }
  if (name == iso::kOomScoreAdj)
    return OomScoreAdj{asSigned(v, path)};
  if (name == iso::kCpuShares)
    return CpuShares{asSigned(v, path)};
  return Sysctl{asStringMap(v, path)};  // iso::kSysctl, the last known one
}

Isolator decodeIsolator(const Var& v, std::string_view path) {
  ObjectPtr obj = asObject(v, path);
  Isolator out;
  Var value;
  forEachMember(obj, [&](const std::string& key, const Var& member) {
    if (key == "name")
      out.name = asString(member, childPath(path, "name"));
    else if (key == "value")
      value = member;
  });
  out.value = decodeIsolatorValue(out.name, value, childPath(path, "value"));
  return out;
}

Isolators decodeIsolators(const Var& v, std::string_view path) {
  ArrayPtr arr = asArray(v, path);
  Isolators out;
  out.reserve(arr->size());
  for (size_t i = 0; i < arr->size(); ++i)
    out.push_back(decodeIsolator(arr->get(static_cast<unsigned>(i)), indexPath(path, i)));
  return out;
}

Var encodeIsolatorValue(const Isolator& isolator, std::string_view path) {
  struct Encoder {
    std::string_view path;
    Var operator()(const UnknownIsolatorValue& u) const {
      try {
        return parseJsonValue(u.json);
      } catch (const JsonError& e) {
        fail(path, std::string("not valid JSON: ") + e.what());
      }
    }
    Var operator()(const ResourceValue& r) const {
      ObjectPtr obj = newObject();
      if (r.isDefault)
        obj->set("default", true);
      if (r.request)
        obj->set("request", r.request->text());
      if (r.limit)
        obj->set("limit", r.limit->text());
      return obj;
    }
    Var operator()(const CapabilitySet& c) const { return encodeSet(c.set); }
    Var operator()(const NoNewPrivileges& n) const { return n.enabled; }
    Var operator()(const SeccompSet& s) const {
      ObjectPtr obj = encodeSet(s.set);
      if (!s.errnoName.empty())
        obj->set("errno", s.errnoName);
      return obj;
    }
    Var operator()(const SelinuxContext& c) const {
      ObjectPtr obj = newObject();
      obj->set("user", c.user);
      obj->set("role", c.role);
      obj->set("type", c.type);
      obj->set("level", c.level);
      return obj;
    }
    Var operator()(const ApparmorProfile& p) const {
      ObjectPtr obj = newObject();
      obj->set("profile", p.profile);
      return obj;
    }
    Var operator()(const OomScoreAdj& o) const { return o.value; }
    Var operator()(const CpuShares& c) const { return c.value; }
    Var operator()(const Sysctl& s) const { return toObject(s.values); }
  };
  return std::visit(Encoder{path}, isolator.value);
}

ArrayPtr encodeIsolators(const Isolators& isolators, std::string_view path) {
  ArrayPtr arr = new Poco::JSON::Array();
  for (size_t i = 0; i < isolators.size(); ++i) {
    ObjectPtr obj = newObject();
    obj->set("name", isolators[i].name);
    obj->set("value", encodeIsolatorValue(isolators[i], childPath(indexPath(path, i), "value")));
    arr->add(obj);
  }
  return arr;
}

}  // namespace rkt::schema::detail
