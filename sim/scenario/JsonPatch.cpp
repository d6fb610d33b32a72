#include "scenario/JsonPatch.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "scenario/JsonReader.hpp"
#include "scenario/ScenarioSchema.hpp"
#include "scenario/SchemaValidator.hpp"
#include "scenario/Suggest.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;
using Tokens = std::vector<std::string>;

[[noreturn]] void fail(const char* id, const std::string& file, const std::string& pointer, std::string expected,
                       std::string found, std::string hint = {}) {
  ValidationError e;
  e.id = id;
  e.file = file;
  e.pointer = pointer;
  e.expected = std::move(expected);
  e.found = std::move(found);
  e.hint = std::move(hint);
  throw InputError({std::move(e)});
}

std::string join_pointer(const Tokens& tokens, std::size_t count) {
  std::string p;
  for (std::size_t i = 0; i < count && i < tokens.size(); ++i) p += "/" + pointer_token(tokens[i]);
  return p;
}
std::string join_pointer(const Tokens& tokens) { return join_pointer(tokens, tokens.size()); }

/// An array index as RFC 6901 spells it: "0" or digits without a leading zero ("01" is not 1).
bool is_index(const std::string& t) {
  return !t.empty() && t.size() < 10 && (t == "0" || t[0] != '0') &&
         std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Where an error should point and what it should be called: pitfalls and overrides share the
// matching engine but report under different ids.
struct Reporter {
  const char* id;
  std::string file;
  std::string found_text;  // --set: the text given; pitfalls: empty (found describes the value)
};

// Turns a path with wildcards (and, for --set, organization names) into the concrete paths it
// matches in `doc`. Literal segments pass through even where nothing exists yet, so set can create.
class Expander {
 public:
  Expander(const Reporter& r, bool organization_names) : r_(r), names_(organization_names) {}

  std::vector<Tokens> expand(const ojson& doc, const Tokens& tokens) {
    Tokens prefix;
    walk(&doc, tokens, 0, prefix);
    return std::move(out_);
  }

 private:
  void walk(const ojson* node, const Tokens& tokens, std::size_t i, Tokens& prefix) {
    if (i == tokens.size()) {
      out_.push_back(prefix);
      return;
    }
    const std::string& t = tokens[i];
    if (t == "*") {
      if (node == nullptr) return;
      if (node->is_array()) {
        for (std::size_t k = 0; k < node->size(); ++k) descend(&(*node)[k], std::to_string(k), tokens, i, prefix);
      } else if (node->is_object()) {
        for (const auto& [key, child] : node->items()) descend(&child, key, tokens, i, prefix);
      }
      return;
    }
    if (names_ && node != nullptr && node->is_array() && prefix.size() == 1 && prefix[0] == "organizations" &&
        !is_index(t) && t != "-") {
      std::vector<std::string> names;
      for (std::size_t k = 0; k < node->size(); ++k) {
        const ojson& org = (*node)[k];
        if (org.is_object() && org.contains("name") && org["name"].is_string()) {
          if (org["name"].get<std::string>() == t) {
            descend(&org, std::to_string(k), tokens, i, prefix);
            return;
          }
          names.push_back(org["name"].get<std::string>());
        }
      }
      fail(r_.id, r_.file, join_pointer(tokens, i + 1), "an organization index or name", found(t),
           did_you_mean(t, names));
    }
    const ojson* child = nullptr;
    if (node != nullptr && node->is_object() && node->contains(t)) child = &(*node)[t];
    if (node != nullptr && node->is_array() && is_index(t) && std::stoul(t) < node->size()) child = &(*node)[std::stoul(t)];
    descend(child, t, tokens, i, prefix);
  }

  void descend(const ojson* child, const std::string& token, const Tokens& tokens, std::size_t i, Tokens& prefix) {
    prefix.push_back(token);
    walk(child, tokens, i + 1, prefix);
    prefix.pop_back();
  }

  std::string found(const std::string& name) const {
    return r_.found_text.empty() ? "\"" + name + "\"" : r_.found_text;
  }

  const Reporter& r_;
  bool names_;
  std::vector<Tokens> out_;
};

ojson* find(ojson& doc, const Tokens& path, std::size_t count) {
  ojson* cur = &doc;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& t = path[i];
    if (cur->is_object() && cur->contains(t)) {
      cur = &(*cur)[t];
    } else if (cur->is_array() && is_index(t) && std::stoul(t) < cur->size()) {
      cur = &(*cur)[std::stoul(t)];
    } else {
      return nullptr;
    }
  }
  return cur;
}

// The slot at `path`, creating missing object keys (and intermediate objects) on the way.
ojson& make(ojson& doc, const Tokens& path, const Reporter& r) {
  ojson* cur = &doc;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& t = path[i];
    // A missing container is an object, unless the next segment appends ("-"): /shocks/- on a
    // scenario without shocks starts the list.
    if (cur->is_null()) *cur = t == "-" ? ojson::array() : ojson::object();
    if (cur->is_object()) {
      cur = &(*cur)[t];
    } else if (cur->is_array()) {
      const std::size_t n = cur->size();
      if (t == "-" || t == std::to_string(n)) {
        cur->push_back(nullptr);
        cur = &cur->back();
      } else if (is_index(t) && std::stoul(t) < n) {
        cur = &(*cur)[std::stoul(t)];
      } else {
        fail(r.id, r.file, join_pointer(path, i + 1), "an array index in [0, " + std::to_string(n) + "] or \"-\"",
             r.found_text.empty() ? "\"" + t + "\"" : r.found_text);
      }
    } else {
      fail(r.id, r.file, join_pointer(path, i + 1), "a path through objects and arrays",
           r.found_text.empty() ? describe_value(*cur) + " at " + join_pointer(path, i) : r.found_text);
    }
  }
  return *cur;
}

bool where_holds(ojson& doc, const Tokens& path, const ojson& where) {
  if (!where.is_object() || where.empty()) return true;
  const ojson* holder = find(doc, path, path.size() - 1);
  if (holder == nullptr || !holder->is_object()) return false;
  for (const auto& [field, value] : where.items()) {
    if (!holder->contains(field) || (*holder)[field] != value) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> split_pointer(const std::string& pointer) {
  Tokens tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') throw std::invalid_argument("a JSON Pointer starts with \"/\"");
  std::string cur;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      if (tokens.size() == kMaxJsonDepth) {
        throw std::invalid_argument("a JSON Pointer of at most " + std::to_string(kMaxJsonDepth) +
                                    " segments (no p3sim document is deeper)");
      }
      tokens.push_back(cur);
      cur.clear();
    } else if (pointer[i] == '~') {
      if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
        throw std::invalid_argument("\"~\" must be followed by 0 or 1 in a JSON Pointer");
      }
      cur += pointer[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      cur += pointer[i];
    }
  }
  return tokens;
}

PatchOp patch_op_from_json(const ojson& op, const std::string& file, const std::string& pointer) {
  if (!op.is_object()) fail("bad_patch", file, pointer, "an object {op, path, value, where}", describe_value(op));
  PatchOp p;
  p.source = pointer;
  const std::string kind = op.contains("op") && op["op"].is_string() ? op["op"].get<std::string>() : "";
  if (kind == "set") {
    p.kind = PatchOp::Kind::Set;
  } else if (kind == "scale") {
    p.kind = PatchOp::Kind::Scale;
  } else if (kind == "append") {
    p.kind = PatchOp::Kind::Append;
  } else if (kind == "remove") {
    p.kind = PatchOp::Kind::Remove;
  } else {
    fail("bad_patch", file, pointer + "/op", "one of \"set\", \"scale\", \"append\", \"remove\"",
         op.contains("op") ? describe_value(op["op"]) : "no op",
         did_you_mean(kind, {"set", "scale", "append", "remove"}));
  }
  if (!op.contains("path") || !op["path"].is_string()) {
    fail("bad_patch", file, pointer + "/path", "a JSON Pointer", op.contains("path") ? describe_value(op["path"]) : "no path");
  }
  p.path = op["path"].get<std::string>();
  try {
    if (split_pointer(p.path).empty()) throw std::invalid_argument("root");
  } catch (const std::invalid_argument&) {
    fail("bad_patch", file, pointer + "/path", "a JSON Pointer below the root, such as \"/governance/hierarchy\"",
         describe_value(op["path"]));
  }
  if (op.contains("value")) p.value = op["value"];
  if ((p.kind == PatchOp::Kind::Set || p.kind == PatchOp::Kind::Append) && !op.contains("value")) {
    fail("bad_patch", file, pointer + "/value", "a value for a " + kind + " operation", "no value");
  }
  if (p.kind == PatchOp::Kind::Scale && !p.value.is_number()) {
    fail("bad_patch", file, pointer + "/value", "a number (the factor) for a scale operation",
         op.contains("value") ? describe_value(p.value) : "no value");
  }
  if (op.contains("where")) {
    if (!op["where"].is_object()) fail("bad_patch", file, pointer + "/where", "an object", describe_value(op["where"]));
    p.where = op["where"];
  }
  return p;
}

void apply_patch_op(ojson& doc, const PatchOp& op, const std::string& label) {
  const Reporter r{"bad_patch", label, ""};
  Tokens tokens;
  try {
    tokens = split_pointer(op.path);
  } catch (const std::invalid_argument&) {
    fail("bad_patch", label, op.path, "a JSON Pointer", "\"" + op.path + "\"");
  }
  if (tokens.empty()) fail("bad_patch", label, op.path, "a path below the document root", "the root");
  std::vector<Tokens> targets = Expander(r, false).expand(doc, tokens);
  // Removing array elements front to back would shift the later indices.
  if (op.kind == PatchOp::Kind::Remove) std::reverse(targets.begin(), targets.end());
  std::size_t matched = 0;
  for (const Tokens& path : targets) {
    if (!where_holds(doc, path, op.where)) continue;
    ++matched;
    const std::string ptr = join_pointer(path);
    switch (op.kind) {
      case PatchOp::Kind::Set: make(doc, path, r) = op.value; break;
      case PatchOp::Kind::Scale: {
        ojson* target = find(doc, path, path.size());
        if (target == nullptr || !target->is_number()) {
          fail("bad_patch", label, ptr, "a number to scale",
               target == nullptr ? std::string("no value") : describe_value(*target));
        }
        const double scaled = target->get<double>() * op.value.get<double>();
        // An integer field (patience, steps) stays an integer, so that scaling it stays valid; the
        // schema says which fields are integers (a number field written `1` is not one: scaling
        // a transparency of 1 by 0.3 must give 0.3, not 0).
        if (scenario_field_is_integer(path) && std::isfinite(scaled)) {
          *target = static_cast<std::int64_t>(std::llround(scaled));
        } else {
          *target = scaled;
        }
        break;
      }
      case PatchOp::Kind::Append: {
        ojson* target = find(doc, path, path.size());
        if (target == nullptr) target = &(make(doc, path, r) = ojson::array());
        if (!target->is_array()) fail("bad_patch", label, ptr, "an array to append to", describe_value(*target));
        target->push_back(op.value);
        break;
      }
      case PatchOp::Kind::Remove: {
        ojson* holder = find(doc, path, path.size() - 1);
        if (holder != nullptr && holder->is_object()) {
          holder->erase(path.back());
        } else if (holder != nullptr && holder->is_array() && is_index(path.back()) &&
                   std::stoul(path.back()) < holder->size()) {
          holder->erase(std::stoul(path.back()));
        }
        break;
      }
    }
  }
  if (matched == 0) {
    // A pitfall that changes nothing would be shown to a trainer as having no effect; most often a
    // "where" names an organization or value the scenario no longer has.
    std::string found = "nothing";
    if (!targets.empty() && !op.where.empty()) found = "no value whose holder has " + op.where.dump();
    const std::string at = op.source.empty() ? op.path : op.source + (op.where.empty() ? "/path" : "/where");
    fail("no_match", label, at,
         op.where.empty() ? "a path whose \"*\" segments match at least one value in this scenario"
                          : "a path and \"where\" that select at least one value in this scenario",
         found, "the pitfall would change nothing");
  }
}

SetOverride parse_set_override(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) {
    fail("bad_override", "--set", "", "/json/pointer=VALUE", "\"" + text + "\"", "the override has no \"=\"");
  }
  SetOverride o;
  o.text = text;
  o.path = text.substr(0, eq);
  try {
    if (split_pointer(o.path).empty()) throw std::invalid_argument("root");
  } catch (const std::invalid_argument& e) {
    fail("bad_override", "--set", "", "/json/pointer=VALUE with a pointer below the root, such as /steps=48",
         "\"" + text + "\"", o.path.empty() || o.path[0] != '/' ? "the pointer must start with \"/\"" : e.what());
  }
  const std::string value = text.substr(eq + 1);
  JsonReadResult parsed = parse_json_text(value, "--set");
  if (parsed.parsed && parsed.errors.empty()) {
    o.value = std::move(parsed.value);
  } else if (!parsed.errors.empty() && parsed.errors.front().id == "non_finite") {
    fail("bad_override", "--set", o.path, "a finite number", "\"" + text + "\"");
  } else if (!parsed.errors.empty() && parsed.errors.front().id == "too_deep") {
    fail("too_deep", "--set", o.path, parsed.errors.front().expected, "a deeper value");
  } else {
    o.value = value;  // not JSON: a bare word such as hierarchy is meant as a string
  }
  return o;
}

std::vector<std::string> apply_set_override(ojson& doc, const SetOverride& o) {
  const Reporter r{"bad_override", "--set", "\"" + o.text + "\""};
  const Tokens tokens = split_pointer(o.path);
  const std::vector<Tokens> targets = Expander(r, true).expand(doc, tokens);
  if (targets.empty()) {
    fail("bad_override", "--set", o.path, "a path whose \"*\" segments match at least one value",
         "\"" + o.text + "\"", "a \"*\" over a missing or empty object or array matches nothing");
  }
  std::vector<std::string> written;
  for (const Tokens& path : targets) {
    // Record "-" as the index it appends at, so that errors in the new element can be traced
    // back to this override.
    Tokens recorded = path;
    for (std::size_t i = 0; i < path.size(); ++i) {
      const ojson* holder = find(doc, path, i);
      if (path[i] == "-" && holder != nullptr && holder->is_array()) recorded[i] = std::to_string(holder->size());
      if (path[i] == "-" && holder == nullptr) recorded[i] = "0";  // make() starts the list
    }
    // What the override created, not only the value it wrote: /organizations/4/name=X at the end of
    // the list creates organization 4, so errors about organization 4 (its missing keys) are the
    // override's, not the file's.
    std::size_t created = path.size();
    for (std::size_t i = 1; i <= path.size(); ++i) {
      if (find(doc, path, i) == nullptr) {
        created = i;
        break;
      }
    }
    make(doc, path, r) = o.value;
    written.push_back(join_pointer(recorded, created));
  }
  return written;
}

}  // namespace p3sim
