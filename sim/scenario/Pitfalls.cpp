#include "scenario/Pitfalls.hpp"

#include <algorithm>

#include "scenario/JsonReader.hpp"
#include "scenario/Suggest.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;

// Each built-in is written in the same patch form a scenario file uses, so the two kinds cannot
// drift apart and `p3sim list` can show either the same way.
Pitfall make(const char* name, const char* description, const ojson& ops) {
  Pitfall p{name, description, {}};
  for (std::size_t i = 0; i < ops.size(); ++i) {
    p.patch.push_back(patch_op_from_json(ops[i], "built-in pitfall " + p.name, "/" + std::to_string(i)));
    p.patch.back().source.clear();  // not in any file the user has
  }
  return p;
}

ojson op(const char* kind, const char* path, ojson value) {
  return {{"op", kind}, {"path", path}, {"value", std::move(value)}};
}

std::vector<Pitfall> build() {
  std::vector<Pitfall> v;
  v.push_back(make("hidden_incentives",
                   "Members hide their true incentives and goals, and bilateral talks do not bring them out.",
                   ojson::array({op("set", "/organizations/*/disclosure", 0.05),
                                 op("set", "/agenda/disclosure_gain", 0.0)})));
  v.push_back(make("imposed_hierarchy", "The lead imposes strong central control and formal sanctions.",
                   ojson::array({op("set", "/governance/hierarchy", 0.9), op("set", "/governance/sanctions", 0.5)})));
  v.push_back(make("no_shared_measurement",
                   "There is no shared measurement, so deliveries are seen through a fog (transparency x0.3).",
                   ojson::array({op("scale", "/governance/transparency", 0.3)})));
  v.push_back(make("no_local_partner", "No member holds local legitimacy with the target population.",
                   ojson::array({op("set", "/organizations/*/local", false)})));
  v.push_back(make("short_cut", "The partnership skips the interim phase and goes straight to agreement.",
                   ojson::array({op("set", "/lifecycle/skip_interim", true)})));
  v.push_back(make("weak_champions", "Members have weak internal champions for the partnership (champion x0.35).",
                   ojson::array({op("scale", "/organizations/*/champion", 0.35)})));
  ojson voices = op("set", "/organizations/*/candidate", false);
  voices["where"] = {{"local", true}};
  v.push_back(make("missing_voices", "Local organizations are never invited: the missing voices.",
                   ojson::array({voices})));
  v.push_back(make("cultural_gap", "No member bridges the cultures and misunderstandings are frequent.",
                   ojson::array({op("set", "/organizations/*/bridge", false),
                                 op("set", "/agenda/misunderstanding_rate", 0.9)})));
  v.push_back(make("credit_hogging", "The lead or backbone takes most of the credit for the results.",
                   ojson::array({op("set", "/governance/credit_share", 0.8)})));
  v.push_back(make("unfunded_backbone", "The backbone has the capacity to serve a single member.",
                   ojson::array({op("set", "/governance/backbone_capacity", 1)})));
  v.push_back(make("funding_cut", "A funding cut at step 12 removes 60% of the funding.",
                   ojson::array({op("append", "/shocks", {{"kind", "funding_cut"}, {"step", 12}, {"fraction", 0.6}})})));
  v.push_back(make("pledge_gap", "Members deliver much less reliably on what they pledge (reliability x0.6).",
                   ojson::array({op("scale", "/organizations/*/reliability", 0.6)})));
  v.push_back(make("mutual_suspicion", "Every sector starts out trusting every other half as much (priors x0.5).",
                   ojson::array({op("scale", "/trust/priors/*/*", 0.5)})));
  return v;
}

}  // namespace

const std::vector<Pitfall>& builtin_pitfalls() {
  static const std::vector<Pitfall> pitfalls = build();
  return pitfalls;
}

std::vector<std::string> pitfall_names(const ojson& resolved) {
  std::vector<std::string> names;
  for (const Pitfall& p : builtin_pitfalls()) names.push_back(p.name);
  if (resolved.is_object() && resolved.contains("pitfalls") && resolved["pitfalls"].is_object()) {
    for (const auto& [name, _] : resolved["pitfalls"].items()) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  return names;
}

Pitfall find_pitfall(const ojson& resolved, const std::string& name) {
  if (resolved.is_object() && resolved.contains("pitfalls") && resolved["pitfalls"].is_object() &&
      resolved["pitfalls"].contains(name)) {
    const ojson& def = resolved["pitfalls"][name];
    const std::string ptr = "/pitfalls/" + pointer_token(name);
    Pitfall p;
    p.name = name;
    if (def.contains("description") && def["description"].is_string()) p.description = def["description"];
    if (def.contains("patch") && def["patch"].is_array()) {
      for (std::size_t i = 0; i < def["patch"].size(); ++i) {
        p.patch.push_back(patch_op_from_json(def["patch"][i], "--pitfall " + name, ptr + "/patch/" + std::to_string(i)));
      }
    }
    return p;
  }
  for (const Pitfall& p : builtin_pitfalls()) {
    if (p.name == name) return p;
  }
  ValidationError e;
  e.id = "unknown_pitfall";
  e.file = "--pitfall";
  e.expected = "the name of a built-in pitfall or one defined under /pitfalls";
  e.found = "\"" + name + "\"";
  e.hint = did_you_mean(name, pitfall_names(resolved));
  throw InputError({std::move(e)});
}

void apply_pitfall(ojson& resolved, const std::string& name) {
  const Pitfall p = find_pitfall(resolved, name);
  for (const PatchOp& op : p.patch) apply_patch_op(resolved, op, "--pitfall " + name);
}

}  // namespace p3sim
