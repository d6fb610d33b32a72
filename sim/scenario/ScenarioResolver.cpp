#include "scenario/ScenarioResolver.hpp"

#include <string>
#include <vector>

#include "scenario/GovernancePresets.hpp"
#include "scenario/ScenarioSchema.hpp"
#include "scenario/SchemaValidator.hpp"
#include "scenario/SectorProfiles.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;

// Organization fields inherited from the sector profile when left out.
constexpr const char* kInheritedFields[] = {"incentives", "disclosure", "hierarchy_preference", "reliability",
                                            "champion",   "culture",    "local",                "patience",
                                            "participation_cost"};

// Field order of a resolved organization: the order a reader of the file expects.
constexpr const char* kOrganizationOrder[] = {
    "name",   "sector",      "incentives", "goal",   "disclosure", "hierarchy_preference", "capabilities",
    "reliability", "cooperation", "champion", "culture", "bridge", "local", "patience", "participation_cost",
    "prehistory", "candidate", "available_from"};

// An absent object is created only when it would carry defaults: an empty "incentives" object would
// not mean "inherit from the sector" any more but "all weights zero".
bool creatable(const json& root, const json& schema_in) {
  const json& schema = resolve_ref(root, schema_in);
  if (schema.value("type", "") != "object" || !schema.contains("properties") || schema.contains("required")) {
    return false;
  }
  for (const auto& [_, sub] : schema["properties"].items()) {
    if (resolve_ref(root, sub).contains("default") || creatable(root, sub)) return true;
  }
  return false;
}

// Fills schema defaults into `v` wherever the schema gives one, recursing into present values,
// array items and map entries, and creating absent optional objects (those without required keys)
// so that their own defaults appear too.
void fill_defaults(ojson& v, const json& root, const json& schema_in) {
  const json& schema = resolve_ref(root, schema_in);
  if (schema.contains("oneOf")) {
    // Only the alternative of the value's own type can apply (cooperation: a name or an object).
    for (const json& alt : schema["oneOf"]) {
      const json& a = resolve_ref(root, alt);
      const std::string type = a.value("type", "");
      if ((type == "object" && v.is_object()) || (type == "string" && v.is_string())) fill_defaults(v, root, a);
    }
    return;
  }
  if (v.is_array() && schema.contains("items")) {
    for (auto& item : v) fill_defaults(item, root, schema["items"]);
  }
  if (!v.is_object()) return;
  if (const auto props = schema.find("properties"); props != schema.end()) {
    for (const auto& [key, sub_in] : props->items()) {
      const json& sub = resolve_ref(root, sub_in);
      if (v.contains(key)) {
        fill_defaults(v[key], root, sub);
      } else if (sub.contains("default")) {
        v[key] = ojson::parse(sub["default"].dump());
      } else if (creatable(root, sub)) {
        v[key] = ojson::object();
        fill_defaults(v[key], root, sub);
      }
    }
  }
  if (const auto extra = schema.find("additionalProperties"); extra != schema.end() && extra->is_object()) {
    const auto props = schema.find("properties");
    for (auto& [key, child] : v.items()) {
      if (props == schema.end() || !props->contains(key)) fill_defaults(child, root, *extra);
    }
  }
}

// Channels (or cooperation types) left out of a given weights object are zero, written explicitly.
void complete_weights(ojson& weights, std::initializer_list<const char*> keys) {
  ojson out = ojson::object();
  for (const char* k : keys) out[k] = weights.contains(k) ? weights[k] : ojson(0.0);
  weights = std::move(out);
}

void complete_incentives(ojson& incentives) {
  complete_weights(incentives, {kChannelNames[0], kChannelNames[1], kChannelNames[2], kChannelNames[3]});
}

ojson resolve_sectors(const ojson& doc, int dimensions) {
  const ojson given = doc.contains("sectors") ? doc["sectors"] : ojson::object();
  ojson sectors = ojson::object();
  for (const std::string& name : builtin_sector_names()) {
    ojson profile = sector_to_json(builtin_sector(name, dimensions));
    if (given.contains(name)) {
      for (const auto& [field, value] : given[name].items()) profile[field] = value;
    }
    sectors[name] = std::move(profile);
  }
  for (const auto& [name, profile] : given.items()) {
    if (!is_builtin_sector(name)) sectors[name] = profile;
  }
  for (auto& [_, profile] : sectors.items()) {
    complete_incentives(profile["incentives"]);
    complete_weights(profile["cooperation"], {"conditional", "free_rider", "unconditional", "hump_shaped"});
  }
  return sectors;
}

ojson resolve_organization(const ojson& org, const ojson& sectors, const ojson& capabilities) {
  ojson o = org;
  const ojson& profile = sectors[o["sector"].get<std::string>()];
  for (const char* field : kInheritedFields) {
    if (!o.contains(field)) o[field] = profile[field];
  }
  complete_incentives(o["incentives"]);
  if (!o.contains("goal")) o["goal"] = profile["mandate"];
  ojson caps = ojson::object();
  for (const auto& [name, _] : capabilities.items()) {
    caps[name] = o.contains("capabilities") && o["capabilities"].contains(name) ? o["capabilities"][name] : ojson(0.0);
  }
  o["capabilities"] = std::move(caps);
  if (!o.contains("prehistory")) o["prehistory"] = ojson::object();
  ojson ordered = ojson::object();
  for (const char* field : kOrganizationOrder) {
    if (o.contains(field)) ordered[field] = o[field];
  }
  return ordered;
}

std::string unused_name(const ojson& organizations, const std::string& base) {
  auto taken = [&](const std::string& n) {
    for (const auto& org : organizations) {
      if (org["name"] == n) return true;
    }
    return false;
  };
  std::string name = base;
  for (int k = 2; taken(name); ++k) name = base + "_" + std::to_string(k);
  return name;
}

void resolve_governance(ojson& r) {
  ojson& g = r["governance"];
  const GovernanceMode mode = *governance_mode_from_string(g["mode"].get<std::string>());
  const GovernanceColumns preset = governance_columns(mode);
  for (int c = 0; c < 7; ++c) {
    if (!g.contains(kGovernanceColumnNames[c])) g[kGovernanceColumnNames[c]] = column_value(preset, c);
  }
  ojson& orgs = r["organizations"];
  if (!g.contains("lead")) g["lead"] = orgs[0]["name"];
  if (!g.contains("backbone_sector")) g["backbone_sector"] = "civil_society";
  if (mode == GovernanceMode::Backbone && !g.contains("backbone")) {
    const std::string name = unused_name(orgs, kDefaultBackboneName);
    // Not local: a new intermediary has no standing with the population of its own, and a local
    // backbone would be dropped by the missing_voices pitfall, which uninvites local organizations.
    orgs.push_back({{"name", name},
                    {"sector", g["backbone_sector"]},
                    {"capabilities", ojson::object()},
                    {"cooperation", "unconditional"},
                    {"local", false}});
    g["backbone"] = name;
  }
}

void resolve_priors(ojson& r) {
  ojson& trust = r["trust"];
  const ojson given = trust.contains("priors") ? trust["priors"] : ojson::object();
  const double fallback = trust["default_prior"].get<double>();
  ojson priors = ojson::object();
  for (const auto& [truster, _] : r["sectors"].items()) {
    ojson row = ojson::object();
    for (const auto& [trustee, __] : r["sectors"].items()) {
      if (given.contains(truster) && given[truster].contains(trustee)) {
        row[trustee] = given[truster][trustee];
      } else {
        row[trustee] = builtin_trust_prior(truster, trustee).value_or(fallback);
      }
    }
    priors[truster] = std::move(row);
  }
  trust["priors"] = std::move(priors);
}

}  // namespace

void complete_defaults(ojson& r) {
  const json& schema = scenario_schema();
  fill_defaults(r, schema, schema);
  if (!r.contains("shocks")) r["shocks"] = ojson::array();
  const bool has_funding = r.contains("capabilities") && r["capabilities"].contains("funding");
  for (auto& shock : r["shocks"]) {
    if (shock.is_object() && shock.value("kind", "") == "funding_cut" && !shock.contains("capability") && has_funding) {
      shock["capability"] = "funding";
    }
  }
}

ojson resolve_scenario_defaults(const ojson& doc) {
  ojson r = doc;
  complete_defaults(r);
  const int dimensions = static_cast<int>(r["agenda"]["dimensions"].size());
  r["sectors"] = resolve_sectors(r, dimensions);
  resolve_governance(r);
  for (auto& org : r["organizations"]) org = resolve_organization(org, r["sectors"], r["capabilities"]);
  // A backbone appended just now gets the organization-level schema defaults (bridge, candidate...).
  complete_defaults(r);
  // Forced units relapse at half their unsupported rate under full support unless told otherwise;
  // written out so that the resolved scenario shows the figure used.
  if (r.contains("population") && r["population"].is_object() && r["population"].contains("forced")) {
    ojson& forced = r["population"]["forced"];
    if (forced.is_object() && !forced.contains("relapse_supported") && forced.contains("relapse") &&
        forced["relapse"].is_number())
      forced["relapse_supported"] = forced["relapse"].get<double>() / 2;
  }
  if (!r["goal"].contains("metric")) r["goal"]["metric"] = r.contains("population") ? "adopters" : "outcome";
  // A share of the population becomes its target here, after every --set: a larger population
  // means a larger target.
  if (r["goal"].contains("share") && r.contains("population") && r["population"].contains("units") &&
      r["goal"]["share"].is_number() && r["population"]["units"].is_number()) {
    r["goal"]["target"] = r["goal"]["share"].get<double>() * r["population"]["units"].get<double>();
  }
  resolve_priors(r);
  return r;
}

}  // namespace p3sim
