#include "scenario/ScenarioSchema.hpp"

#include <initializer_list>
#include <string>
#include <utility>

namespace p3sim {
namespace {

using nlohmann::json;

// Small builders keep the schema readable: one line per parameter.
json number(double lo, double hi, const char* unit, const char* doc) {
  return {{"type", "number"}, {"minimum", lo}, {"maximum", hi}, {"x-unit", unit}, {"description", doc}};
}
json number(double def, double lo, double hi, const char* unit, const char* doc) {
  json j = number(lo, hi, unit, doc);
  j["default"] = def;
  return j;
}
json integer(long long def, long long lo, long long hi, const char* unit, const char* doc) {
  return {{"type", "integer"}, {"minimum", lo},       {"maximum", hi},
          {"default", def},    {"x-unit", unit},      {"description", doc}};
}
json integer(long long lo, long long hi, const char* unit, const char* doc) {
  return {{"type", "integer"}, {"minimum", lo}, {"maximum", hi}, {"x-unit", unit}, {"description", doc}};
}
json boolean(bool def, const char* doc) { return {{"type", "boolean"}, {"default", def}, {"description", doc}}; }
json boolean(const char* doc) { return {{"type", "boolean"}, {"description", doc}}; }
json string(const char* doc) { return {{"type", "string"}, {"minLength", 1}, {"description", doc}}; }
json choice(std::initializer_list<const char*> values, const char* def, const char* doc) {
  json j = {{"type", "string"}, {"enum", json::array()}, {"description", doc}};
  for (const char* v : values) j["enum"].push_back(v);
  if (def != nullptr) j["default"] = def;
  return j;
}
json vector01(int min_items, int max_items, const char* doc) {
  return {{"type", "array"},
          {"items", {{"type", "number"}, {"minimum", 0.0}, {"maximum", 1.0}}},
          {"minItems", min_items},
          {"maxItems", max_items},
          {"x-unit", "position in [0,1] per dimension"},
          {"description", doc}};
}
json object(json properties, std::initializer_list<const char*> required, const char* doc) {
  json j = {{"type", "object"}, {"additionalProperties", false}, {"properties", std::move(properties)},
            {"description", doc}};
  if (required.size() > 0) {
    j["required"] = json::array();
    for (const char* r : required) j["required"].push_back(r);
  }
  return j;
}
json map_of(json value_schema, const char* doc) {
  return {{"type", "object"},
          {"propertyNames", {{"minLength", 1}, {"maxLength", 64}}},
          {"additionalProperties", std::move(value_schema)},
          {"description", doc}};
}
json ref(const char* def) { return {{"$ref", std::string("#/$defs/") + def}}; }

json incentives_schema() {
  return object(
      {
          {"impact", number(0, 1e6, "weight", "Weight on the partnership's impact on its goal.")},
          {"revenue", number(0, 1e6, "weight", "Weight on revenue from the partnership's market activity.")},
          {"mandate", number(0, 1e6, "weight", "Weight on fulfilling the organization's public mandate.")},
          {"visibility", number(0, 1e6, "weight", "Weight on public credit for results.")},
      },
      {},
      "Non-negative weights over the four value channels; normalized to sum 1 (at least one must be "
      "positive).");
}

json cooperation_type_schema(double intercept, double slope, double peak, const char* doc) {
  return object(
      {
          {"intercept", number(intercept, -1, 1, "effort fraction",
                               "Response a_i at belief 0; below 0 it is a threshold: nothing is given until "
                               "s_i * B exceeds -a_i.")},
          {"slope", number(slope, 0, 2, "effort per unit belief", "Reciprocity s_i: extra effort per unit of belief.")},
          {"peak", number(peak, 0, 1, "belief",
                          "Belief beyond which the response falls again with the same slope (hump-shaped "
                          "contributors); 1: it never falls.")},
      },
      {}, doc);
}

json cooperation_mix_schema() {
  return object(
      {
          {"conditional", number(0, 1, "share", "Share of conditional cooperators in the sector.")},
          {"free_rider", number(0, 1, "share", "Share of free riders in the sector.")},
          {"unconditional", number(0, 1, "share", "Share of unconditional cooperators in the sector.")},
          {"hump_shaped", number(0, 1, "share", "Share of hump-shaped contributors in the sector.")},
      },
      {}, "Mix of cooperation types in the sector; shares are normalized and one type is drawn per organization.");
}

json sector_schema() {
  return object(
      {
          {"incentives", incentives_schema()},
          {"mandate", vector01(1, 16, "Public position q expected of the sector on each agenda dimension.")},
          {"disclosure", number(0, 1, "fraction", "How openly members acknowledge their incentives and goal.")},
          {"hierarchy_preference", number(0, 1, "fraction", "Central control accepted (0 = full autonomy).")},
          {"reliability", number(0, 1, "probability", "Probability that intended effort is delivered.")},
          {"cooperation", cooperation_mix_schema()},
          {"champion", number(0, 1, "support", "Initial internal support for the partnership.")},
          {"culture", vector01(2, 2, "Position in a two-dimensional organizational-culture space.")},
          {"local", boolean("Whether organizations of the sector hold local legitimacy by default.")},
          {"patience", integer(1, 1000, "steps", "Steps of low value tolerated before leaving.")},
          {"participation_cost", number(0, 10, "value per step",
                                        "Expected value an organization needs before it joins.")},
      },
      {},
      "A sector profile: defaults for the organizations of the sector. Built-in sectors (government, "
      "business, civil_society) may be partly overridden; a new sector must give every field.");
}

json organization_schema() {
  return object(
      {
          {"name", string("Unique name of the organization.")},
          {"sector", string("Sector name: built-in or declared under /sectors.")},
          {"incentives", incentives_schema()},
          {"goal", vector01(1, 16, "What the organization truly wants the partnership to work on (g_i).")},
          {"disclosure", number(0, 1, "fraction", "How openly it acknowledges its incentives and goal (d_i).")},
          {"hierarchy_preference", number(0, 1, "fraction", "Central control it accepts (h_i).")},
          {"capabilities", map_of(number(0, 1e9, "capability units", "Amount of this capability."),
                                  "Amounts per capability type declared under /capabilities.")},
          {"reliability", number(0, 1, "probability", "Probability that intended effort is delivered (rho_i).")},
          {"cooperation",
           {{"oneOf",
             json::array({choice({"conditional", "free_rider", "unconditional", "hump_shaped"}, nullptr,
                                 "A named cooperation type."),
                          cooperation_type_schema(0.1, 0.9, 1.0, "Explicit intercept a_i, slope s_i and peak.")})},
            {"description",
             "Cooperation type (name) or explicit {intercept, slope, peak}; default: drawn from the sector mix."}}},
          {"champion", number(0, 1, "support", "Initial internal support for the partnership (c_i).")},
          {"culture", vector01(2, 2, "Position in organizational-culture space (x_i).")},
          {"bridge", boolean(false, "Cultural insider/outsider who lowers miscommunication.")},
          {"local", boolean("Holds local legitimacy with the target population.")},
          {"patience", integer(1, 1000, "steps", "Steps of low value tolerated before leaving.")},
          {"participation_cost", number(0, 10, "value per step", "Expected value needed before joining.")},
          {"prehistory", map_of(number(-1, 1, "trust", "Change to initial trust toward the named organization."),
                                "Past experience with named organizations, added to the sector prior.")},
          {"candidate", boolean(true, "Whether the lead considers inviting it at all (false: a missing voice).")},
          {"available_from", integer(0, 0, 100000, "step", "First step at which it can be invited.")},
      },
      {"name", "sector"}, "One organization. Fields left out take the value of its sector's profile.");
}

json shock_schema() {
  return object(
      {
          {"kind", choice({"funding_cut", "leadership_turnover", "policy_reversal", "security_incident",
                           "market_shock", "member_entry"},
                          nullptr, "What happens.")},
          {"step", integer(0, 100000, "step", "Step at which a scheduled shock happens.")},
          {"rate", number(0, 1, "probability per step", "Per-step probability of a random shock.")},
          {"sector", string("Sector hit (default: all members, or every sector for security_incident).")},
          {"organization", string("Organization hit (overrides sector).")},
          {"fraction", number(0.5, 0, 1, "fraction", "Severity: share of capability, trust or support removed.")},
          {"capability", string("Capability cut by funding_cut (default funding).")},
          {"mode", choice({"isolated", "constellation", "backbone", "hierarchy", "network"}, nullptr,
                          "New governance mode after a policy_reversal.")},
          {"hierarchy", number(0, 1, "fraction", "New imposed hierarchy H after a policy_reversal.")},
          {"recovery", number(0.1, 0, 1, "fraction per step",
                              "Share of lost support or market recovered each step.")},
      },
      {"kind"}, "A shock: scheduled with step, or random with rate.");
}

json pitfall_schema() {
  json op = object(
      {
          {"op", choice({"set", "scale", "append", "remove"}, nullptr,
                        "set a value, multiply a number, append to an array, remove a key.")},
          {"path", string("JSON Pointer of the target; '*' matches every element or key.")},
          {"value", {{"description", "Value to set or append, or factor to scale by."}}},
          {"where", {{"type", "object"},
                     {"description", "Apply only where the matched element's fields equal these values."}}},
      },
      {"op", "path"}, "One patch operation.");
  return object(
      {
          {"description", string("What the pitfall represents, in one sentence.")},
          {"patch", {{"type", "array"}, {"items", op}, {"minItems", 1}, {"description", "Patch operations."}}},
      },
      {"description", "patch"}, "A named transformation of the scenario.");
}

json governance_schema() {
  return object(
      {
          {"mode", choice({"isolated", "constellation", "backbone", "hierarchy", "network"}, "backbone",
                          "Governance structure.")},
          {"lead", string("Lead organization (default: the first organization).")},
          {"backbone", string("Backbone organization (backbone mode; default: a new neutral one).")},
          {"backbone_sector", string("Sector of a new neutral backbone (default civil_society).")},
          {"backbone_capacity", number(1e6, 0, 1e6, "members", "Members the backbone can serve at full strength.")},
          {"bottleneck", number(0.6, 0, 1, "fraction",
                                "Loss of coordination and transparency when the backbone is fully under capacity.")},
          {"hierarchy", number(0, 1, "fraction", "Imposed hierarchy H (default: mode preset).")},
          {"coordination", number(0, 1, "fraction", "Coordination (default: mode preset).")},
          {"transparency", number(0, 1, "fraction", "Transparency of deliveries (default: mode preset).")},
          {"communication", number(0, 1, "fraction", "Communication quality (default: mode preset).")},
          {"overhead", number(0, 1, "fraction of pledge", "Overhead paid by each member (default: mode preset).")},
          {"sanctions", number(0, 1, "effort fraction", "Strength of sanctions on under-delivery (default: mode preset).")},
          {"credit_share", number(0, 1, "fraction",
                                  "Share of credit taken by the lead or backbone before the rest is shared by "
                                  "contribution (default: mode preset).")},
          {"lead_agenda_weight", number(0.7, 0, 1, "fraction",
                                        "Hierarchy: weight of the lead's position in the agenda.")},
          {"facilitation", number(0.5, 0, 2, "factor",
                                  "Backbone: raise of mu and epsilon per unit of trust in the backbone.")},
          {"group_size", integer(3, 2, 50, "members", "Constellation: target working-group size.")},
          {"group_threshold", number(0.35, 0, 1, "fraction",
                                     "Constellation: a group dissolves when its mean alpha*B falls below this.")},
          {"rotation", integer(6, 1, 1000, "steps", "Constellation: steps between rotations of the lead role.")},
      },
      // No required key: every field has a default (mode: backbone; columns: the mode's preset).
      {}, "Governance structure and its columns (MODEL.md section 7).");
}

json build_schema() {
  json s;
  s["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  s["$id"] = "https://p3sim.org/schema/scenario.json";
  s["title"] = "p3sim scenario";
  s["type"] = "object";
  s["additionalProperties"] = false;
  s["required"] = {"name", "organizations", "capabilities", "goal"};
  s["$defs"] = {{"sector", sector_schema()},
                {"organization", organization_schema()},
                {"shock", shock_schema()},
                {"pitfall", pitfall_schema()}};
  json& p = s["properties"];
  p["$schema"] = {{"type", "string"}, {"description", "Optional link to this schema."}};
  p["name"] = string("Identifier of the scenario.");
  p["description"] = string("What the scenario represents.");
  p["note"] = string("Where its numbers come from and what to expect.");
  p["sources"] = {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "References."}};
  p["steps"] = integer(36, 0, 100000, "steps (months)", "Number of steps to simulate.");
  p["goal"] = object(
      {
          {"metric", choice({"outcome", "adopters"}, nullptr,
                            "Outcome the goal is stated in (default: adopters with a population, else outcome).")},
          {"target", {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 1e12},
                      {"x-unit", "outcome units"},
                      {"description", "Target value of the goal metric (give it, or share with adopters)."}}},
          {"share", {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 1},
                     {"x-unit", "fraction"},
                     {"description",
                      "Adopters goal as a share of /population/units: the target follows the population's size."}}},
      },
      {}, "The partnership's goal: a target, or with adopters a share of the population.");
  p["agenda"] = object(
      {
          {"dimensions", {{"type", "array"},
                          {"items", {{"type", "string"}, {"minLength", 1}}},
                          {"minItems", 1},
                          {"maxItems", 16},
                          {"default", {"dimension_1", "dimension_2"}},
                          {"description", "Labels of the agenda dimensions (D = their count)."}}},
          {"dynamics", choice({"deffuant", "hegselmann_krause"}, "deffuant", "Bounded-confidence dynamics.")},
          {"epsilon", number(0.3, 0, 1, "distance", "Confidence bound: positions closer than this converge.")},
          {"internalization", number(0.0, 0, 1, "fraction",
                                     "Share of the move a member makes toward a partner in a meeting that becomes "
                                     "its own goal (shared goals emerge from dialogue); 0: meetings move only "
                                     "stated positions.")},
          {"meeting_ties",
           {{"type", "array"},
            {"items", {{"type", "array"},
                       {"items", {{"type", "string"}, {"minLength", 1}}},
                       {"minItems", 2},
                       {"maxItems", 2},
                       {"description", "Two organization names: these two can meet."}}},
            {"maxItems", 100000},
            {"default", json::array()},
            {"description",
             "The meeting network: pairs of organizations that meet in agenda rounds (undirected, each pair "
             "once). Members meet only the partners they are tied to; empty (the default): every pair of "
             "members can meet."}}},
          {"mu", number(0.3, 0, 1, "fraction",
                        "Convergence rate of a meeting: the share of the gap closed in one move (at most 0.5 with deffuant dynamics).")},
          {"meeting_rounds", integer(5, 1, 100, "rounds", "Agenda rounds at the first and second meetings.")},
          {"rounds_per_step", integer(1, 0, 100, "rounds", "Agenda rounds in each later step.")},
          {"disclosure_gain", number(0.1, 0, 1, "fraction per step", "Rise of disclosure per interim step.")},
          {"misunderstanding_rate", number(0.3, 0, 1, "probability", "Base misunderstanding probability m0.")},
          {"bridge_effect", number(0.6, 0, 1, "fraction", "Reduction of misunderstandings by a bridge.")},
          {"misread", number(0.2, 0, 1, "effort", "Subtracted from an observation after a misunderstanding.")},
          {"burst_threshold", integer(3, 1, 100000, "misunderstandings",
                                      "Misunderstandings in one step that make a burst event.")},
      },
      {}, "Agenda dynamics and communication (MODEL.md section 4).");
  p["trust"] = object(
      {
          {"gain", number(0.25, 0, 1, "fraction per step", "Rate at which trust rises toward a better observation.")},
          {"loss", number(0.5, 0, 1, "fraction per step", "Rate at which trust falls toward a worse observation.")},
          {"sigma_obs", number(0.2, 0, 1, "effort", "Observation noise at zero transparency.")},
          {"gossip", number(0.2, 0, 1, "fraction per step", "Weight of reputation for unobserved members.")},
          {"decay", number(0.05, 0, 1, "fraction per step", "Decay of trust involving non-members toward prior.")},
          {"prior_noise", number(0.05, 0, 0.5, "trust", "Standard deviation of noise on initial trust.")},
          {"default_prior", number(0.5, 0, 1, "trust", "Prior for sector pairs not listed in priors.")},
          {"interim_gain", number(0.1, 0, 1, "fraction per step", "Rise of lead-member trust per interim step.")},
          {"priors", map_of(map_of(number(0, 1, "trust", "Prior trust of the outer sector in the inner one."),
                                   "Prior trust toward each sector."),
                            "Prior trust by sector pair: priors[truster][trustee].")},
      },
      {}, "Trust and beliefs (MODEL.md section 3).");
  p["capabilities"] = map_of(
      object(
          {
              {"need", {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 1e9}, {"default", 1.0},
                        {"x-unit", "capability units per step"},
                        {"description", "Delivered amount per step that fully meets the need."}}},
              {"weight", number(1.0, 0, 1e6, "weight", "CES weight (normalized over capabilities).")},
              {"channel", choice({"payments", "training", "buyers", "community_trust", "none"}, "none",
                                 "How this capability reaches the population.")},
          },
          {}, "A capability type."),
      "Capability types the partnership needs.");
  p["capabilities"]["minProperties"] = 1;
  p["production"] = object(
      {
          {"productivity", number(1.0, 0, 1e9, "outcome units per step", "Output at full need, coordination and legitimacy.")},
          {"complementarity", number(-0.5, -20, 1, "CES exponent r",
                                     "r < 0: capabilities complement; r = 1: they substitute.")},
          {"outsider_legitimacy", number(0.4, 0, 1, "fraction", "Legitimacy L without an active local member.")},
      },
      {}, "Production (MODEL.md section 8).");
  p["cooperation_types"] = object(
      {
          {"conditional", cooperation_type_schema(0.25, 1.0, 1.0, "Conditional cooperator.")},
          {"free_rider", cooperation_type_schema(0.0, 0.0, 1.0, "Free rider: gives nothing.")},
          {"unconditional", cooperation_type_schema(0.8, 0.2, 1.0, "Unconditional cooperator.")},
          {"hump_shaped", cooperation_type_schema(0.0, 1.0, 0.5, "Hump-shaped (triangle) contributor: matches "
                                                  "beliefs up to one half, then gives less.")},
      },
      {}, "Contribution rule of each cooperation type.");
  p["effort"] = object(
      {
          {"phi_h", number(0.5, 0, 5, "effort per unit", "Friction per unit of hierarchy above preference.")},
          {"phi_c", number(0.5, 0, 5, "effort per unit", "Friction per unit of visibility-weighted credit gap.")},
          {"sanction_norm", number(0.5, 0, 1, "effort", "Delivered effort below which a member is sanctioned.")},
          {"sanction_decay", number(0.2, 0, 1, "fraction per step", "Decay of sanction pressure.")},
          {"levels", integer(0, 0, 1000, "steps",
                             "Contributions in steps of 1/levels (a laboratory's tokens, e.g. 20); 0: continuous.")},
      },
      {}, "Effort decision (MODEL.md section 6).");
  p["punishment"] = object(
      {
          {"rate", number(0, 0, 10, "points per unit shortfall",
                          "Punishment points a member assigns a partner it sees giving less than itself, per unit "
                          "by which the partner falls short of the mean of the others' contributions; 0: no "
                          "peer punishment.")},
          {"tolerance", number(0, 0, 1, "effort", "Shortfall below the others' mean that nobody punishes.")},
          {"cost", number(1, 0, 10, "effort per point", "Cost of one point to the punisher.")},
          {"impact", number(3, 0, 10, "effort per point", "Loss of one point to the punished.")},
          {"response", number(0.1, 0, 1, "pressure per unit loss",
                              "Sanction pressure a punished member gains per unit of loss (it gives more next "
                              "time; the pressure decays at effort.sanction_decay).")},
          {"anticipation", number(1, 0, 1, "weight",
                                  "How far members who have seen punishment given avoid falling short of what "
                                  "they expect the others to give (0: nobody anticipates punishment).")},
      },
      {}, "Costly peer punishment after contributions are seen (docs/model.md).");
  p["sectors"] = map_of(ref("sector"), "Sector profiles: overrides of built-in sectors and new sectors.");
  p["organizations"] = {{"type", "array"},
                        {"items", ref("organization")},
                        {"minItems", 1},
                        {"maxItems", 2000},
                        {"description", "The organizations (candidates for the partnership)."}};
  p["governance"] = governance_schema();
  p["lifecycle"] = object(
      {
          {"solicit_steps", integer(1, 1, 1000, "steps", "Duration of the solicit phase.")},
          {"interim_steps", integer(3, 0, 1000, "steps", "Duration of the interim phase.")},
          {"skip_interim", boolean(false, "Go straight from solicit to agree (the short-cut pitfall).")},
          {"scale_threshold", number(0.8, 0, 10, "fraction of goal", "Progress at which the partnership scales.")},
          {"scale_goal_factor", number(1.5, 1, 100, "factor", "Factor by which scaling raises the working goal.")},
          {"pledge_min", number(0.2, 0, 1, "fraction", "Pledged fraction at zero alignment and belief.")},
          {"pledge_max", number(0.9, 0, 1, "fraction", "Pledged fraction at full alignment and belief.")},
          {"join_noise", number(0.05, 0, 1, "value", "Noise on the expected value of joining.")},
          {"prospects", object(
                            {
                                {"impact", number(0.8, 0, 10, "value", "Expected impact value of joining.")},
                                {"revenue", number(0.4, 0, 10, "value", "Expected revenue value of joining.")},
                                {"mandate", number(0.6, 0, 10, "value", "Expected mandate value of joining.")},
                                {"visibility", number(0.6, 0, 10, "value", "Expected visibility value of joining.")},
                            },
                            {}, "What candidates expect from each value channel when invited.")},
      },
      {}, "Partnership lifecycle (MODEL.md section 5).");
  p["champions"] = object(
      {
          {"eta", number(0.3, 0, 10, "support per value", "Rate at which net value moves champion support.")},
          {"decay", number(0.005, 0, 1, "support per step", "Steady erosion of champion support.")},
          {"c_min", number(0.1, 0, 1, "support", "Champion support below which a member leaves.")},
          {"exit_threshold", number(0.1, -2, 2, "value", "alpha*B - f below this counts as a low step.")},
          {"value_scale", number(1.0, 0, 1e6, "value per unit of relative output", "Value of output equal to full productivity for one step.")},
          {"cost_scale", number(0.5, 0, 1e6, "value per pledged fraction", "Cost of delivering one's whole pledge.")},
      },
      {}, "Champions, exits and entries (MODEL.md section 10).");
  p["population"] = object(
      {
          {"units", integer(1, 10000000, "units", "Number of population units (households, regions...).")},
          {"unit_label", string("What a unit is (households, regions...).")},
          {"degree", integer(6, 2, 100, "neighbours", "Mean degree of the small-world network (even).")},
          {"rewire", number(0.1, 0, 1, "probability", "Watts-Strogatz rewiring probability.")},
          {"initial_adopters", number(0.0, 0, 1, "fraction", "Share of units adopted at step 0.")},
          {"b_support", number(0.08, 0, 100, "hazard per unit support", "Adoption hazard per unit of support.")},
          {"b_neighbors", number(0.1, 0, 100, "hazard", "Adoption hazard at an all-adopted neighbourhood.")},
          {"b_market", number(0.03, 0, 100, "hazard", "Adoption hazard at full market access.")},
          {"market_base", number(0.2, 0, 1, "fraction", "Market access without partnership buyers.")},
          {"relapse", number(0.03, 0, 1, "probability per step", "Relapse probability r0 without sustained support.")},
          {"relapse_supported", number(0.0, 0, 1, "probability per step",
                                       "Relapse probability of voluntary adopters under full sustained support.")},
          {"readopt", number(0.5, 0, 1, "factor", "Hazard multiplier for relapsed units adopting again.")},
          {"support_memory", number(0.2, 0, 1, "fraction per step", "Weight of the current step in sustained support.")},
          {"forced", object(
                         {
                             {"enabled", boolean(false, "Forced conversion (eradication without support).")},
                             {"start", integer(0, 0, 100000, "step", "First step of forced conversion.")},
                             {"rate", number(0.1, 0, 1, "fraction per step", "Share of baseline units converted per step.")},
                             {"relapse", number(0.25, 0, 1, "probability per step",
                                                "Relapse probability of forced units without sustained support.")},
                             {"relapse_supported",
                              number(0, 1, "probability per step",
                                     "Relapse probability of forced units under full sustained support; default: "
                                     "half of relapse.")},
                         },
                         {}, "The forced path.")},
      },
      {"units"}, "Target population (MODEL.md section 8); omit it to use output Q as the outcome.");
  p["shocks"] = {{"type", "array"}, {"items", ref("shock")}, {"maxItems", 10000}, {"description", "Shocks."}};
  p["pitfalls"] = map_of(ref("pitfall"), "Scenario-specific pitfalls, used like the built-in ones.");
  return s;
}

}  // namespace

const nlohmann::json& scenario_schema() {
  static const nlohmann::json schema = build_schema();
  return schema;
}

namespace {

const json* resolve_ref(const json* node) {
  const json& root = scenario_schema();
  while (node != nullptr && node->is_object() && node->contains("$ref")) {
    const std::string ref = (*node)["$ref"].get<std::string>();
    const std::string prefix = "#/$defs/";
    if (ref.rfind(prefix, 0) != 0 || !root["$defs"].contains(ref.substr(prefix.size()))) return nullptr;
    node = &root["$defs"][ref.substr(prefix.size())];
  }
  return node;
}

const json* child_schema(const json* node, const std::string& key) {
  node = resolve_ref(node);
  if (node == nullptr || !node->is_object()) return nullptr;
  if (node->contains("properties") && (*node)["properties"].contains(key)) return &(*node)["properties"][key];
  if (node->contains("items") && (*node)["items"].is_object()) return &(*node)["items"];
  if (node->contains("additionalProperties") && (*node)["additionalProperties"].is_object())
    return &(*node)["additionalProperties"];
  if (node->contains("oneOf"))
    for (const json& alternative : (*node)["oneOf"])
      if (const json* c = child_schema(&alternative, key)) return c;
  return nullptr;
}

}  // namespace

bool scenario_field_is_integer(const std::vector<std::string>& path) {
  const json* node = &scenario_schema();
  for (const std::string& key : path) {
    node = child_schema(node, key);
    if (node == nullptr) return false;
  }
  node = resolve_ref(node);
  return node != nullptr && node->is_object() && node->value("type", json()) == "integer";
}

}  // namespace p3sim
