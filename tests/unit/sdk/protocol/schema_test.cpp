// The published JSON Schemas (sdk/schema/*.schema.json) against the protocol types: each message
// has its schema, with exactly the struct's fields, the same JSON types, and `required` listing
// exactly the fields the codec requires (non-empty where the codec refuses empty ones); no schema
// is left without a message. tests/sdk/validate_protocol_samples.py checks the codec's output
// against the same schemas with a JSON Schema validator.
#include <cppunit/extensions/HelperMacros.h>

#include <dirent.h>

#include <climits>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "protocol_messages.hpp"

namespace p = rkt::protocol;
using Poco::JSON::Object;

namespace {

Object::Ptr readSchema(const std::string& name) {
  std::ifstream in(std::string(RKT_SDK_SCHEMA_DIR) + "/" + name + ".schema.json");
  if (!in) {
    return nullptr;
  }
  std::stringstream text;
  text << in.rdbuf();
  return Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
}

std::string typeOf(const Object::Ptr& o) {
  return o->has("type") ? o->getValue<std::string>("type") : "";
}

// Walks one struct's fields (visitFields) alongside one schema object, collecting differences.
class SchemaCheck {
 public:
  SchemaCheck(Object::Ptr root, Object::Ptr schema, std::string path,
              std::vector<std::string>& problems)
      : root_(std::move(root)),
        schema_(std::move(schema)),
        path_(std::move(path)),
        problems_(problems) {
    if (schema_->has("required")) {
      Poco::JSON::Array::Ptr req = schema_->getArray("required");
      for (std::size_t i = 0; i < req->size(); ++i) {
        required_.insert(req->getElement<std::string>(static_cast<unsigned>(i)));
      }
    }
  }

  template <class M>
  void operator()(const char* name, M&, p::Presence presence = p::Presence::kOptional) {
    const std::string path = path_ + name;
    seen_.insert(name);
    Object::Ptr props = schema_->getObject("properties");
    if (props.isNull() || !props->has(name)) {
      problem(path, "missing from the schema's properties");
      return;
    }
    Object::Ptr field = resolve(props->getObject(name));
    checkType<M>(field, path);
    const bool required = presence == p::Presence::kRequired;
    if (required != (required_.count(name) > 0)) {
      problem(path, required ? "required by the codec, not by the schema"
                             : "required by the schema, not by the codec");
    }
    if constexpr (std::is_same_v<M, std::string>) {
      if (required && (!field->has("minLength") || field->getValue<int>("minLength") != 1)) {
        problem(path, "a required string needs minLength 1 (the codec refuses \"\")");
      }
    }
  }

  /// Schema properties no field has.
  void finish() {
    Object::Ptr props = schema_->getObject("properties");
    if (props.isNull()) {
      return;
    }
    for (const std::string& name : props->getNames()) {
      if (seen_.count(name) == 0) {
        problem(path_ + name, "in the schema but not in the struct");
      }
    }
  }

  template <class M>
  void checkType(const Object::Ptr& field, const std::string& path) {
    const std::string type = typeOf(field);
    if constexpr (std::is_same_v<M, std::string>) {
      expect(type, "string", path);
    } else if constexpr (std::is_same_v<M, bool>) {
      expect(type, "boolean", path);
    } else if constexpr (std::is_integral_v<M>) {
      expect(type, "integer", path);
      if constexpr (sizeof(M) == sizeof(int)) {
        if (!field->has("maximum") || field->getValue<Poco::Int64>("maximum") > INT_MAX) {
          problem(path, "a 32-bit integer needs a maximum of at most 2147483647");
        }
      }
    } else if constexpr (p::detail::IsOptional<M>::value) {
      checkType<typename M::value_type>(field, path);
    } else if constexpr (std::is_same_v<M, p::StringMap>) {
      expect(type, "object", path);
      Object::Ptr values = field->getObject("additionalProperties");
      if (values.isNull() || typeOf(values) != "string") {
        problem(path, "an object of strings needs additionalProperties {\"type\": \"string\"}");
      }
    } else if constexpr (std::is_same_v<M, p::RawJsonObject>) {
      expect(type, "object", path);
    } else if constexpr (p::detail::IsRecord<M>::value) {
      expect(type, "object", path);
      SchemaCheck nested(root_, field, path + ".", problems_);
      M record{};
      M::visitFields(nested, record);
      nested.finish();
    } else {  // std::vector
      expect(type, "array", path);
      Object::Ptr items = field->getObject("items");
      if (items.isNull()) {
        problem(path, "an array needs items");
      } else {
        checkType<typename M::value_type>(resolve(items), path + "[]");
      }
    }
  }

  Object::Ptr resolve(Object::Ptr o) const {
    if (o->has("$ref")) {
      const std::string ref = o->getValue<std::string>("$ref");
      const std::string prefix = "#/$defs/";
      Object::Ptr defs = root_->getObject("$defs");
      if (ref.rfind(prefix, 0) == 0 && !defs.isNull() && defs->has(ref.substr(prefix.size()))) {
        return defs->getObject(ref.substr(prefix.size()));
      }
    }
    return o;
  }

 private:
  void expect(const std::string& got, const char* want, const std::string& path) {
    if (got != want) {
      problem(path, std::string("schema type `") + got + "`, the codec's is `" + want + "`");
    }
  }
  void problem(const std::string& path, const std::string& what) {
    problems_.push_back(path + ": " + what);
  }

  Object::Ptr root_;
  Object::Ptr schema_;
  std::string path_;
  std::vector<std::string>& problems_;
  std::set<std::string> required_;
  std::set<std::string> seen_;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) {
    out += "\n  " + l;
  }
  return out;
}

}  // namespace

class ProtocolSchemaTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProtocolSchemaTest);
  CPPUNIT_TEST(schemasMatchTheStructs);
  CPPUNIT_TEST(encodingsUseTheSchemasNames);
  CPPUNIT_TEST(everySchemaHasAMessage);
  CPPUNIT_TEST(checkFindsADifference);
  CPPUNIT_TEST_SUITE_END();

 public:
  void schemasMatchTheStructs() {
    std::vector<std::string> problems;
    protocoltest::forEachMessage([&problems](auto tag) {
      using T = typename decltype(tag)::type;
      Object::Ptr schema = readSchema(T::kSchema);
      if (schema.isNull()) {
        problems.push_back(std::string(T::kSchema) + ": no schema file");
        return;
      }
      SchemaCheck check(schema, schema, std::string(T::kSchema) + ": ", problems);
      if constexpr (p::detail::IsArrayMessage<T>::value) {
        check.checkType<decltype(T::items)>(schema, std::string(T::kSchema) + ": items");
      } else {
        check.checkType<T>(schema, std::string(T::kSchema));
      }
    });
    CPPUNIT_ASSERT_MESSAGE(joined(problems), problems.empty());
  }

  // A fully set message is written with exactly the schema's top-level property names.
  void encodingsUseTheSchemasNames() {
    protocoltest::forEachMessage([](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!p::detail::IsArrayMessage<T>::value) {
        Object::Ptr encoded = Poco::JSON::Parser()
                                  .parse(p::encode(protocoltest::fullSample<T>()))
                                  .template extract<Object::Ptr>();
        Object::Ptr props = readSchema(T::kSchema)->getObject("properties");
        std::set<std::string> written;
        for (const std::string& n : encoded->getNames()) {
          written.insert(n);
        }
        std::set<std::string> declared;
        for (const std::string& n : props->getNames()) {
          declared.insert(n);
        }
        CPPUNIT_ASSERT_MESSAGE(T::kSchema, written == declared);
      }
    });
  }

  void everySchemaHasAMessage() {
    std::set<std::string> known(protocoltest::opaqueSchemas().begin(),
                                protocoltest::opaqueSchemas().end());
    protocoltest::forEachMessage(
        [&known](auto tag) { known.insert(decltype(tag)::type::kSchema); });
    DIR* d = ::opendir(RKT_SDK_SCHEMA_DIR);
    CPPUNIT_ASSERT(d != nullptr);
    std::vector<std::string> orphans;
    std::size_t count = 0;
    const std::string suffix = ".schema.json";
    while (const dirent* e = ::readdir(d)) {
      const std::string file = e->d_name;
      if (file.size() > suffix.size() &&
          file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0) {
        ++count;
        if (known.count(file.substr(0, file.size() - suffix.size())) == 0) {
          orphans.push_back(file);
        }
      }
    }
    ::closedir(d);
    CPPUNIT_ASSERT_MESSAGE(joined(orphans), orphans.empty());
    CPPUNIT_ASSERT_EQUAL(known.size(), count);
  }

  // The check itself notices a field the schema lacks and a requirement that differs.
  void checkFindsADifference() {
    Object::Ptr schema =
        Poco::JSON::Parser()
            .parse(R"({"type":"object","properties":{"pod_dir":{"type":"string"},"x":{}},)"
                   R"("required":["uuid"]})")
            .extract<Object::Ptr>();
    std::vector<std::string> problems;
    SchemaCheck check(schema, schema, "", problems);
    check.checkType<p::stage1::StopRequest>(schema, "stop");
    const std::string all = joined(problems);
    CPPUNIT_ASSERT_MESSAGE(all,
                           all.find("stop.pod_dir: required by the codec") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(all,
                           all.find("stop.uuid: missing from the schema") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(all, all.find("stop.x: in the schema but not") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProtocolSchemaTest);
