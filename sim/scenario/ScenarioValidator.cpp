#include "scenario/ScenarioValidator.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "scenario/JsonReader.hpp"
#include "scenario/ScenarioSchema.hpp"
#include "scenario/SchemaValidator.hpp"
#include "scenario/SectorProfiles.hpp"
#include "scenario/Suggest.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;

const ojson* member(const ojson& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}
const ojson* string_member(const ojson& obj, const char* key) {
  const ojson* m = member(obj, key);
  return m != nullptr && m->is_string() ? m : nullptr;
}
const ojson* object_member(const ojson& obj, const char* key) {
  const ojson* m = member(obj, key);
  return m != nullptr && m->is_object() ? m : nullptr;
}
const ojson* array_member(const ojson& obj, const char* key) {
  const ojson* m = member(obj, key);
  return m != nullptr && m->is_array() ? m : nullptr;
}
// The schema's default for a property given by its path of property names, so that these checks
// follow the schema when a default is retuned.
double schema_default(std::initializer_list<const char*> path) {
  const nlohmann::json* node = &scenario_schema();
  for (const char* key : path) node = &(*node)["properties"][key];
  return (*node)["default"].get<double>();
}

bool is_integer(const ojson& v) {
  return v.is_number_integer() || (v.is_number_float() && std::trunc(v.get<double>()) == v.get<double>());
}

// Collects the semantic errors of one document. The name lists are gathered first so that every
// reference check can suggest the closest defined name.
class SemanticChecker {
 public:
  SemanticChecker(const ojson& doc, const std::string& file, std::vector<ValidationError>& out)
      : doc_(doc), file_(file), out_(out) {
    sectors_ = builtin_sector_names();
    if (const ojson* s = object_member(doc, "sectors")) {
      for (const auto& [name, _] : s->items()) {
        if (!is_builtin_sector(name)) sectors_.push_back(name);
      }
    }
    if (const ojson* orgs = array_member(doc, "organizations")) {
      for (const auto& org : *orgs) {
        if (const ojson* n = string_member(org, "name")) organizations_.push_back(n->get<std::string>());
      }
    }
    if (const ojson* caps = object_member(doc, "capabilities")) {
      for (const auto& [name, _] : caps->items()) capabilities_.push_back(name);
    }
    dimensions_ = 2;  // the schema's default labels
    if (const ojson* agenda = object_member(doc, "agenda")) {
      if (const ojson* d = member(*agenda, "dimensions")) {
        dimensions_ = d->is_array() && !d->empty() ? static_cast<int>(d->size()) : -1;
      }
    }
  }

  void run() {
    check_sectors();
    check_organizations();
    check_governance();
    check_agenda();
    check_goal_and_population();
    check_shocks();
    check_trust();
    check_capabilities();
    check_lifecycle();
    check_pitfalls();
  }

 private:
  void report(const char* id, const std::string& ptr, std::string expected, std::string found,
              std::string hint = {}) {
    out_.push_back(ValidationError{id, file_, ptr, std::move(expected), std::move(found), std::move(hint), 0, 0});
  }

  // Reports `value` at `ptr` unless it names one of `names`. `what` describes the expected name.
  void reference(const ojson& value, const std::vector<std::string>& names, const std::string& ptr,
                 const std::string& what) {
    if (!value.is_string()) return;
    const std::string name = value.get<std::string>();
    if (name.empty() || std::find(names.begin(), names.end(), name) != names.end()) return;
    report("unknown_reference", ptr, what, "\"" + name + "\"", did_you_mean(name, names));
  }
  void key_reference(const std::string& key, const std::vector<std::string>& names, const std::string& ptr,
                     const std::string& what) {
    reference(ojson(key), names, ptr, what);
  }
  std::string sector_what() const {
    return "a sector name (government, business, civil_society, or one declared under /sectors)";
  }

  void check_vector_dimension(const ojson& v, const std::string& ptr, const char* what) {
    if (dimensions_ < 1 || !v.is_array()) return;
    if (static_cast<int>(v.size()) == dimensions_) return;
    report("dimension", ptr,
           std::to_string(dimensions_) + " values (one per agenda dimension) in the " + what,
           std::to_string(v.size()) + (v.size() == 1 ? " value" : " values"));
  }

  // Weights left out count as zero: an incentives object replaces the sector's, it is not merged.
  void check_not_all_zero(const ojson* obj, const std::string& ptr, const char* id, const char* what) {
    if (obj == nullptr || !obj->is_object()) return;
    for (const auto& [_, v] : obj->items()) {
      if (!v.is_number() || v.get<double>() != 0.0) return;
    }
    report(id, ptr, std::string("at least one positive ") + what, "all zero");
  }

  void check_sectors() {
    const ojson* sectors = object_member(doc_, "sectors");
    if (sectors == nullptr) return;
    const nlohmann::json& fields = scenario_schema()["$defs"]["sector"]["properties"];
    for (const auto& [name, profile] : sectors->items()) {
      if (!profile.is_object()) continue;
      const std::string ptr = "/sectors/" + pointer_token(name);
      if (!is_builtin_sector(name)) {
        const std::string hint = did_you_mean(name, builtin_sector_names());
        for (const auto& [field, _] : fields.items()) {
          if (!profile.contains(field)) {
            report("incomplete_sector", ptr + "/" + field,
                   "a value for \"" + field + "\" (a sector without a built-in profile must give every field)",
                   "no such key", hint);
          }
        }
      }
      if (const ojson* m = member(profile, "mandate")) check_vector_dimension(*m, ptr + "/mandate", "mandate");
      check_not_all_zero(object_member(profile, "incentives"), ptr + "/incentives", "zero_incentives",
                         "incentive weight");
      check_not_all_zero(object_member(profile, "cooperation"), ptr + "/cooperation", "zero_mix",
                         "cooperation-type share");
    }
  }

  void check_organizations() {
    const ojson* orgs = array_member(doc_, "organizations");
    if (orgs == nullptr) return;
    std::map<std::string, std::size_t> first;
    for (std::size_t i = 0; i < orgs->size(); ++i) {
      const ojson& org = (*orgs)[i];
      if (!org.is_object()) continue;
      const std::string ptr = "/organizations/" + std::to_string(i);
      if (const ojson* n = string_member(org, "name"); n != nullptr && !n->get<std::string>().empty()) {
        const auto [it, fresh] = first.emplace(n->get<std::string>(), i);
        if (!fresh) {
          report("duplicate_name", ptr + "/name", "a name used by no other organization",
                 "\"" + n->get<std::string>() + "\", already the name of /organizations/" +
                     std::to_string(it->second));
        }
      }
      if (const ojson* s = member(org, "sector")) reference(*s, sectors_, ptr + "/sector", sector_what());
      if (const ojson* g = member(org, "goal")) check_vector_dimension(*g, ptr + "/goal", "goal");
      check_not_all_zero(object_member(org, "incentives"), ptr + "/incentives", "zero_incentives",
                         "incentive weight");
      if (const ojson* caps = object_member(org, "capabilities")) {
        for (const auto& [cap, _] : caps->items()) {
          key_reference(cap, capabilities_, ptr + "/capabilities/" + pointer_token(cap),
                        "a capability declared under /capabilities");
        }
      }
      if (const ojson* pre = object_member(org, "prehistory")) {
        for (const auto& [other, _] : pre->items()) {
          key_reference(other, organizations_, ptr + "/prehistory/" + pointer_token(other),
                        "the name of an organization");
        }
      }
    }
  }

  void check_governance() {
    const ojson* g = object_member(doc_, "governance");
    if (g == nullptr) return;
    if (const ojson* lead = member(*g, "lead")) {
      reference(*lead, organizations_, "/governance/lead", "the name of an organization");
    }
    if (const ojson* bb = member(*g, "backbone")) {
      reference(*bb, organizations_, "/governance/backbone", "the name of an organization");
    }
    if (const ojson* bs = member(*g, "backbone_sector")) {
      reference(*bs, sectors_, "/governance/backbone_sector", sector_what());
    }
  }

  // Deffuant pairs move toward each other at once: a move above half the gap carries each past the
  // other (at 1 they swap places). Hegselmann-Krause moves toward a mean and takes mu up to 1.
  void check_agenda() {
    const ojson* a = object_member(doc_, "agenda");
    if (a == nullptr) return;
    check_meeting_ties(*a);
    const ojson* mu = member(*a, "mu");
    const ojson* dynamics = member(*a, "dynamics");
    const bool deffuant = dynamics == nullptr || (dynamics->is_string() && *dynamics == "deffuant");
    if (deffuant && mu != nullptr && mu->is_number() && mu->get<double>() > 0.5) {
      report("range", "/agenda/mu", "a number in [0, 0.5] with deffuant dynamics (up to 1 with hegselmann_krause)",
             format_number(mu->get<double>()), "a Deffuant move above half the gap carries each partner past the other");
    }
  }

  // Each tie names two different organizations, and each pair appears once (either order).
  void check_meeting_ties(const ojson& agenda) {
    const ojson* ties = array_member(agenda, "meeting_ties");
    if (ties == nullptr) return;
    std::set<std::pair<std::string, std::string>> seen;  // a set: up to 100,000 ties, no quadratic scan
    for (std::size_t k = 0; k < ties->size(); ++k) {
      const ojson& tie = (*ties)[k];
      if (!tie.is_array() || tie.size() != 2 || !tie[0].is_string() || !tie[1].is_string()) continue;  // schema's
      const std::string ptr = "/agenda/meeting_ties/" + std::to_string(k);
      reference(tie[0], organizations_, ptr + "/0", "the name of an organization");
      reference(tie[1], organizations_, ptr + "/1", "the name of an organization");
      std::string x = tie[0].get<std::string>(), y = tie[1].get<std::string>();
      if (x == y) {
        report("self_tie", ptr + "/1", "a partner other than the first organization", "\"" + y + "\" twice",
               "a tie joins two organizations");
        continue;
      }
      if (y < x) std::swap(x, y);
      if (!seen.emplace(x, y).second) {
        report("duplicate_tie", ptr, "each pair of organizations once", "\"" + x + "\" and \"" + y + "\" again");
      }
    }
  }

  void check_goal_and_population() {
    const ojson* population = object_member(doc_, "population");
    const ojson* goal = object_member(doc_, "goal");
    const ojson* units = population != nullptr ? member(*population, "units") : nullptr;
    const bool units_ok = units != nullptr && is_integer(*units) && units->get<double>() >= 1;
    if (goal != nullptr) {
      const ojson* metric = string_member(*goal, "metric");
      if (metric != nullptr && metric->get<std::string>() == "adopters" && population == nullptr) {
        report("goal_metric", "/goal/metric", "a /population block when the goal is counted in adopters",
               "no population", "add \"population\": {\"units\": N} or use \"metric\": \"outcome\"");
      }
      const bool adopters = metric == nullptr ? population != nullptr : metric->get<std::string>() == "adopters";
      const ojson* target = member(*goal, "target");
      const ojson* share = member(*goal, "share");
      if (target == nullptr && share == nullptr) {
        report("required", "/goal/target", "a value for the key \"target\" (or, with adopters, \"share\")",
               "neither");
      }
      if (share != nullptr && !adopters) {
        report("goal_share", "/goal/share", "a share only for a goal counted in adopters (of the population)",
               "the metric outcome", "give \"target\" in outcome units instead");
      }
      // The resolved document has both, the target computed from the share; a file may give both
      // only when they agree.
      if (share != nullptr && target != nullptr && adopters && units_ok && share->is_number() && target->is_number() &&
          std::fabs(target->get<double>() - share->get<double>() * units->get<double>()) >
              1e-9 * std::max(1.0, target->get<double>())) {
        report("goal_share", "/goal/share", "a share whose product with the population units is /goal/target (" +
               format_number(share->get<double>() * units->get<double>()) + "), or only one of the two",
               describe_value(*target));
      }
      if (adopters && units_ok && target != nullptr && target->is_number() &&
          target->get<double>() > units->get<double>()) {
        report("range", "/goal/target",
               "at most the " + describe_value(*units) + " population units (the goal counts adopters)",
               describe_value(*target));
      }
    }
    if (units_ok) {
      const ojson* degree = member(*population, "degree");
      const double d = degree == nullptr ? schema_default({"population", "degree"})
                                         : (degree->is_number() && is_integer(*degree) ? degree->get<double>() : -1);
      if (d < 0) return;
      const std::string found = format_number(d) + (degree == nullptr ? " (the default)" : "");
      // fmod, not a cast to an integer type: the schema's maximum is reported separately, and a
      // degree of 4e37 must not reach a conversion that overflows (undefined behaviour).
      if (std::fmod(d, 2.0) != 0) {
        report("population", "/population/degree", "an even degree (each unit links to degree/2 on each side)",
               found);
      } else if (d >= units->get<double>()) {
        report("population", "/population/degree",
               "a degree less than the " + describe_value(*units) + " population units", found);
      }
    }
  }

  void check_shocks() {
    const ojson* shocks = array_member(doc_, "shocks");
    if (shocks == nullptr) return;
    for (std::size_t k = 0; k < shocks->size(); ++k) {
      const ojson& shock = (*shocks)[k];
      if (!shock.is_object()) continue;
      const std::string ptr = "/shocks/" + std::to_string(k);
      const bool step = shock.contains("step");
      const bool rate = shock.contains("rate");
      if (step == rate) {
        report("shock_timing", ptr, "exactly one of \"step\" (scheduled) or \"rate\" (random)",
               step ? "both" : "neither");
      }
      if (const ojson* s = member(shock, "sector")) reference(*s, sectors_, ptr + "/sector", sector_what());
      if (const ojson* o = member(shock, "organization")) {
        reference(*o, organizations_, ptr + "/organization", "the name of an organization");
      }
      if (const ojson* c = member(shock, "capability")) {
        reference(*c, capabilities_, ptr + "/capability", "a capability declared under /capabilities");
      }
      const ojson* kind = string_member(shock, "kind");
      if (kind != nullptr && kind->get<std::string>() == "policy_reversal" && !shock.contains("mode") &&
          !shock.contains("hierarchy")) {
        report("required", ptr + "/mode", "a new \"mode\" or \"hierarchy\" for a policy_reversal shock",
               "neither");
      }
    }
  }

  void check_trust() {
    const ojson* trust = object_member(doc_, "trust");
    const ojson* priors = trust != nullptr ? object_member(*trust, "priors") : nullptr;
    if (priors == nullptr) return;
    for (const auto& [truster, row] : priors->items()) {
      const std::string ptr = "/trust/priors/" + pointer_token(truster);
      key_reference(truster, sectors_, ptr, sector_what());
      if (!row.is_object()) continue;
      for (const auto& [trustee, _] : row.items()) {
        key_reference(trustee, sectors_, ptr + "/" + pointer_token(trustee), sector_what());
      }
    }
  }

  void check_capabilities() {
    const ojson* caps = object_member(doc_, "capabilities");
    if (caps == nullptr || caps->empty()) return;
    for (const auto& [_, cap] : caps->items()) {
      const ojson* w = member(cap, "weight");
      if (!cap.is_object() || w == nullptr || !w->is_number() || w->get<double>() != 0.0) return;
    }
    report("zero_weights", "/capabilities", "at least one capability with a positive weight", "all weights zero");
  }

  void check_lifecycle() {
    const ojson* life = object_member(doc_, "lifecycle");
    if (life == nullptr) return;
    const ojson* lo = member(*life, "pledge_min");
    const ojson* hi = member(*life, "pledge_max");
    const double lo_v = lo != nullptr && lo->is_number() ? lo->get<double>() : schema_default({"lifecycle", "pledge_min"});
    const double hi_v = hi != nullptr && hi->is_number() ? hi->get<double>() : schema_default({"lifecycle", "pledge_max"});
    if ((lo != nullptr || hi != nullptr) && lo_v > hi_v) {
      report("range", "/lifecycle/pledge_min", "at most pledge_max (" + format_number(hi_v) + ")",
             format_number(lo_v));
    }
  }

  void check_pitfalls() {
    const ojson* pitfalls = object_member(doc_, "pitfalls");
    if (pitfalls == nullptr) return;
    for (const auto& [name, pitfall] : pitfalls->items()) {
      const ojson* patch = array_member(pitfall, "patch");
      if (patch == nullptr) continue;
      for (std::size_t i = 0; i < patch->size(); ++i) {
        const ojson& op = (*patch)[i];
        const std::string ptr = "/pitfalls/" + pointer_token(name) + "/patch/" + std::to_string(i);
        const ojson* kind = string_member(op, "op");
        const ojson* path = string_member(op, "path");
        if (path != nullptr && !path->get<std::string>().empty() && path->get<std::string>()[0] != '/') {
          report("bad_patch", ptr + "/path", "a JSON Pointer starting with \"/\"", describe_value(*path));
        }
        if (kind == nullptr) continue;
        const std::string k = kind->get<std::string>();
        const ojson* value = member(op, "value");
        if (k == "scale" && (value == nullptr || !value->is_number())) {
          report("bad_patch", ptr + "/value", "a number (the factor) for a scale operation",
                 value == nullptr ? std::string("no value") : describe_value(*value));
        } else if ((k == "set" || k == "append") && value == nullptr) {
          report("bad_patch", ptr + "/value", "a value for a " + k + " operation", "no value");
        }
      }
    }
  }

  const ojson& doc_;
  const std::string& file_;
  std::vector<ValidationError>& out_;
  std::vector<std::string> sectors_;
  std::vector<std::string> organizations_;
  std::vector<std::string> capabilities_;
  int dimensions_ = 2;  // -1 when the dimensions are themselves invalid: skip length checks
};

}  // namespace

std::vector<ValidationError> validate_scenario(const ojson& doc, const std::string& file) {
  std::vector<ValidationError> errors;
  validate_against_schema(doc, scenario_schema(), file, errors);
  if (doc.is_object()) SemanticChecker(doc, file, errors).run();
  return errors;
}

}  // namespace p3sim
