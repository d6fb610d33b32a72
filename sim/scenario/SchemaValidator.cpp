#include "scenario/SchemaValidator.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "scenario/JsonReader.hpp"
#include "scenario/Suggest.hpp"
#include "scenario/Utf8.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;

std::string article_type(const std::string& type) {
  if (type == "integer") return "an integer";
  if (type == "object") return "an object";
  if (type == "array") return "an array";
  if (type == "null") return "null";
  return "a " + type;
}

std::vector<std::string> schema_types(const json& schema) {
  std::vector<std::string> types;
  if (const auto t = schema.find("type"); t != schema.end()) {
    if (t->is_string()) {
      types.push_back(t->get<std::string>());
    } else if (t->is_array()) {
      for (const auto& x : *t) types.push_back(x.get<std::string>());
    }
  }
  return types;
}

bool has_type(const ojson& v, const std::string& type) {
  if (type == "number") return v.is_number();
  if (type == "integer") {
    if (v.is_number_integer()) return true;
    // 36.0 is an integer in JSON Schema; 2.5 is not.
    if (v.is_number_float()) {
      const double x = v.get<double>();
      return std::isfinite(x) && std::trunc(x) == x;
    }
    return false;
  }
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  return false;
}

std::string quoted(const json& value) { return value.is_string() ? "\"" + value.get<std::string>() + "\"" : value.dump(); }

std::string join_quoted(const json& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += quoted(values[i]);
  }
  return out;
}

std::string plural(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

class SchemaWalker {
 public:
  SchemaWalker(const json& root, const std::string& file, std::vector<ValidationError>& out)
      : root_(root), file_(file), out_(out) {}

  void walk(const ojson& v, const json& schema_in, const std::string& ptr) {
    const json& schema = resolve_ref(root_, schema_in);
    if (schema.contains("oneOf")) {
      walk_one_of(v, schema, ptr);
      return;
    }
    const auto types = schema_types(schema);
    if (!types.empty()) {
      bool ok = false;
      for (const auto& t : types) ok = ok || has_type(v, t);
      if (!ok) {
        std::string expected;
        for (std::size_t i = 0; i < types.size(); ++i) expected += (i > 0 ? " or " : "") + article_type(types[i]);
        report("type", ptr, expected, describe_value(v));
        return;
      }
    }
    if (v.is_number_float() && !std::isfinite(v.get<double>())) {
      report("non_finite", ptr, "a finite number", describe_value(v));
      return;
    }
    if (const auto e = schema.find("enum"); e != schema.end()) check_enum(v, *e, ptr);
    if (v.is_number()) check_range(v, schema, types, ptr);
    if (v.is_string()) check_string(v.get<std::string>(), schema, ptr);
    if (v.is_array()) walk_array(v, schema, ptr);
    if (v.is_object()) walk_object(v, schema, ptr);
  }

 private:
  void report(const char* id, const std::string& ptr, std::string expected, std::string found,
              std::string hint = {}) {
    out_.push_back(ValidationError{id, file_, ptr, std::move(expected), std::move(found), std::move(hint), 0, 0});
  }

  // The alternative whose type fits the value explains the error best: a string is judged against
  // the enum alternative, an object against the object alternative.
  void walk_one_of(const ojson& v, const json& schema, const std::string& ptr) {
    const json& alternatives = schema["oneOf"];
    std::vector<std::vector<ValidationError>> results;
    int matched = 0;
    int typed = -1;
    int typed_count = 0;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      std::vector<ValidationError> errs;
      SchemaWalker(root_, file_, errs).walk(v, alternatives[i], ptr);
      matched += errs.empty() ? 1 : 0;
      const auto types = schema_types(resolve_ref(root_, alternatives[i]));
      bool fits = types.empty();
      for (const auto& t : types) fits = fits || has_type(v, t);
      if (fits) {
        typed = static_cast<int>(i);
        ++typed_count;
      }
      results.push_back(std::move(errs));
    }
    if (matched == 1) return;
    if (matched > 1) {
      report("type", ptr, "a value matching exactly one alternative", describe_value(v) + " matching several");
      return;
    }
    if (typed_count == 1) {
      for (auto& e : results[static_cast<std::size_t>(typed)]) out_.push_back(std::move(e));
      return;
    }
    std::string expected;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      const json& alt = resolve_ref(root_, alternatives[i]);
      const auto types = schema_types(alt);
      std::string d = types.empty() ? "any value" : article_type(types.front());
      if (alt.contains("enum")) d += " (one of " + join_quoted(alt["enum"]) + ")";
      expected += (i > 0 ? " or " : "") + d;
    }
    report("type", ptr, expected, describe_value(v));
  }

  void check_enum(const ojson& v, const json& values, const std::string& ptr) {
    std::vector<std::string> names;
    for (const auto& x : values) {
      if (x.is_string() && v.is_string() && x.get<std::string>() == v.get<std::string>()) return;
      if (!x.is_string() && x.dump() == v.dump()) return;
      if (x.is_string()) names.push_back(x.get<std::string>());
    }
    report("enum", ptr, "one of " + join_quoted(values), describe_value(v),
           v.is_string() ? did_you_mean(v.get<std::string>(), names) : std::string());
  }

  void check_range(const ojson& v, const json& schema, const std::vector<std::string>& types, const std::string& ptr) {
    const double x = v.get<double>();
    const json* lo = nullptr;
    const json* hi = nullptr;
    bool lo_open = false;
    bool hi_open = false;
    if (const auto m = schema.find("minimum"); m != schema.end()) lo = &*m;
    if (const auto m = schema.find("exclusiveMinimum"); m != schema.end()) lo = &*m, lo_open = true;
    if (const auto m = schema.find("maximum"); m != schema.end()) hi = &*m;
    if (const auto m = schema.find("exclusiveMaximum"); m != schema.end()) hi = &*m, hi_open = true;
    const bool below = lo != nullptr && (lo_open ? x <= lo->get<double>() : x < lo->get<double>());
    const bool above = hi != nullptr && (hi_open ? x >= hi->get<double>() : x > hi->get<double>());
    if (!below && !above) return;
    const bool integer = types.size() == 1 && types.front() == "integer";
    std::string expected = integer ? "an integer" : "a number";
    if (lo != nullptr && hi != nullptr) {
      expected += std::string(" in ") + (lo_open ? "(" : "[") + format_number(lo->get<double>()) + ", " +
                  format_number(hi->get<double>()) + (hi_open ? ")" : "]");
    } else if (lo != nullptr) {
      expected += std::string(lo_open ? " > " : " >= ") + format_number(lo->get<double>());
    } else {
      expected += std::string(hi_open ? " < " : " <= ") + format_number(hi->get<double>());
    }
    report("range", ptr, expected, describe_value(v));
  }

  void check_string(const std::string& s, const json& schema, const std::string& ptr) {
    const std::size_t n = utf8::length(s);
    if (const auto m = schema.find("minLength"); m != schema.end() && n < m->get<std::size_t>()) {
      if (n == 0) {
        report("empty", ptr, "a non-empty string", "an empty string");
      } else {
        report("size", ptr, "a string of at least " + plural(m->get<std::size_t>(), "character"), describe_value(s));
      }
    }
    if (const auto m = schema.find("maxLength"); m != schema.end() && n > m->get<std::size_t>()) {
      report("size", ptr, "a string of at most " + plural(m->get<std::size_t>(), "character"),
             "a string of " + plural(n, "character"));
    }
  }

  void walk_array(const ojson& v, const json& schema, const std::string& ptr) {
    if (const auto m = schema.find("minItems"); m != schema.end() && v.size() < m->get<std::size_t>()) {
      report("size", ptr, "at least " + plural(m->get<std::size_t>(), "item"),
             v.empty() ? std::string("an empty array") : plural(v.size(), "item"));
    }
    if (const auto m = schema.find("maxItems"); m != schema.end() && v.size() > m->get<std::size_t>()) {
      report("size", ptr, "at most " + plural(m->get<std::size_t>(), "item"), plural(v.size(), "item"));
    }
    if (const auto items = schema.find("items"); items != schema.end()) {
      for (std::size_t i = 0; i < v.size(); ++i) walk(v[i], *items, ptr + "/" + std::to_string(i));
    }
  }

  void walk_object(const ojson& v, const json& schema, const std::string& ptr) {
    static const json kNoProperties = json::object();
    const auto pit = schema.find("properties");
    const json& properties = pit != schema.end() ? *pit : kNoProperties;
    const auto additional = schema.find("additionalProperties");
    const auto names = schema.find("propertyNames");
    for (const auto& [key, child] : v.items()) {
      const std::string child_ptr = ptr + "/" + pointer_token(key);
      if (names != schema.end()) check_key(key, *names, child_ptr);
      if (const auto p = properties.find(key); p != properties.end()) {
        walk(child, *p, child_ptr);
      } else if (additional != schema.end() && additional->is_boolean() && !additional->get<bool>()) {
        report_unknown_key(key, properties, child_ptr);
      } else if (additional != schema.end() && additional->is_object()) {
        walk(child, *additional, child_ptr);
      }
    }
    if (const auto req = schema.find("required"); req != schema.end()) {
      for (const auto& r : *req) {
        const std::string key = r.get<std::string>();
        if (!v.contains(key)) {
          report("required", ptr + "/" + pointer_token(key), "a value for the required key \"" + key + "\"",
                 "no such key");
        }
      }
    }
    if (const auto m = schema.find("minProperties"); m != schema.end() && v.size() < m->get<std::size_t>()) {
      report("size", ptr, "at least " + plural(m->get<std::size_t>(), "entry"),
             v.empty() ? std::string("an empty object") : plural(v.size(), "entry"));
    }
    if (const auto m = schema.find("maxProperties"); m != schema.end() && v.size() > m->get<std::size_t>()) {
      report("size", ptr, "at most " + plural(m->get<std::size_t>(), "entry"), plural(v.size(), "entry"));
    }
  }

  void check_key(const std::string& key, const json& names, const std::string& ptr) {
    const std::size_t n = utf8::length(key);
    if (const auto m = names.find("minLength"); m != names.end() && n < m->get<std::size_t>()) {
      report(n == 0 ? "empty" : "size", ptr, "a name of at least " + plural(m->get<std::size_t>(), "character"),
             n == 0 ? std::string("an empty name") : "the name \"" + key + "\"");
    }
    if (const auto m = names.find("maxLength"); m != names.end() && n > m->get<std::size_t>()) {
      report("size", ptr, "a name of at most " + plural(m->get<std::size_t>(), "character"),
             "a name of " + plural(n, "character"));
    }
  }

  void report_unknown_key(const std::string& key, const json& properties, const std::string& ptr) {
    std::vector<std::string> known;
    for (const auto& [k, _] : properties.items()) known.push_back(k);
    std::string hint = did_you_mean(key, known);
    if (hint.empty() && !known.empty()) {
      hint = "known keys:";
      for (std::size_t i = 0; i < known.size(); ++i) hint += (i > 0 ? ", " : " ") + known[i];
    }
    report("unknown_key", ptr, "a key defined for this object", "the key \"" + key + "\"", std::move(hint));
  }

  const json& root_;
  const std::string& file_;
  std::vector<ValidationError>& out_;
};

}  // namespace

std::string format_number(double x) {
  if (std::isfinite(x) && std::trunc(x) == x && std::fabs(x) < 1e15) {
    return std::to_string(static_cast<long long>(x));
  }
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::string describe_value(const ojson& v) {
  switch (v.type()) {
    case ojson::value_t::null: return "null";
    case ojson::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case ojson::value_t::number_integer: return std::to_string(v.get<std::int64_t>());
    case ojson::value_t::number_unsigned: return std::to_string(v.get<std::uint64_t>());
    case ojson::value_t::number_float: return format_number(v.get<double>());
    case ojson::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 60) s = s.substr(0, 57) + "...";
      return "a string \"" + s + "\"";
    }
    case ojson::value_t::array: return v.empty() ? "an empty array" : "an array of " + plural(v.size(), "item");
    case ojson::value_t::object: return v.empty() ? "an empty object" : "an object";
    default: return "a binary value";
  }
}

const json& resolve_ref(const json& root, const json& schema) {
  const json* s = &schema;
  // A chain of $refs is followed to its end; a cycle would be a schema bug, so bound the chain.
  for (int hops = 0; hops < 32; ++hops) {
    const auto ref = s->find("$ref");
    if (ref == s->end()) return *s;
    const std::string target = ref->get<std::string>();
    if (target.empty() || target[0] != '#') throw std::logic_error("schema: non-local $ref " + target);
    const json::json_pointer p(target.substr(1));
    if (!root.contains(p)) throw std::logic_error("schema: dangling $ref " + target);
    s = &root.at(p);
  }
  throw std::logic_error("schema: $ref chain too long");
}

void validate_against_schema(const ojson& doc, const json& schema, const std::string& file,
                             std::vector<ValidationError>& errors) {
  SchemaWalker(schema, file, errors).walk(doc, schema, "");
}

}  // namespace p3sim
