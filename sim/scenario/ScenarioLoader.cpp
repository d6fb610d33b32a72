#include "scenario/ScenarioLoader.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

#include "scenario/GovernancePresets.hpp"
#include "scenario/JsonPatch.hpp"
#include "scenario/JsonReader.hpp"
#include "scenario/Pitfalls.hpp"
#include "scenario/ScenarioResolver.hpp"
#include "scenario/ScenarioValidator.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;

bool under(const std::string& pointer, const std::string& prefix) {
  return pointer == prefix || (pointer.size() > prefix.size() && pointer.compare(0, prefix.size(), prefix) == 0 &&
                               pointer[prefix.size()] == '/');
}

// An error about a value that came from the command line names the override, not the file.
void relabel_overridden(std::vector<ValidationError>& errors,
                        const std::vector<std::pair<std::string, std::vector<std::string>>>& written) {
  for (ValidationError& e : errors) {
    for (const auto& [text, pointers] : written) {
      for (const std::string& p : pointers) {
        if (under(e.pointer, p)) e.file = "--set " + text;
      }
    }
  }
}

// The stages after parsing. `origin` labels errors about the document itself. Without `validate`,
// for documents and edits accepted before, the validation passes are skipped: the result is the
// same, since validation changes nothing.
ojson run_pipeline(ojson doc, const std::string& origin, const ScenarioEdits& edits, bool validate = true) {
  std::vector<std::pair<std::string, std::vector<std::string>>> written;
  std::vector<ValidationError> override_errors;
  for (const std::string& text : edits.sets) {
    // Every bad override is reported, not only the first.
    try {
      const SetOverride o = parse_set_override(text);
      written.emplace_back(text, apply_set_override(doc, o));
    } catch (const InputError& e) {
      override_errors.insert(override_errors.end(), e.errors().begin(), e.errors().end());
    }
  }
  if (!override_errors.empty()) throw InputError(std::move(override_errors));
  // Throws the errors of `document` (labelled `label`), if any and if validating.
  auto check = [&](const ojson& document, const std::string& label, bool overridden) {
    if (!validate) return;
    std::vector<ValidationError> errors = validate_scenario(document, label);
    if (overridden) relabel_overridden(errors, written);
    if (!errors.empty()) throw InputError(std::move(errors));
  };

  check(doc, origin, true);
  // A pitfall is switched on, not counted: naming it twice is a mistake (and would give the result
  // file two columns of one name), refused before anything runs.
  std::vector<ValidationError> repeated;
  std::map<std::string, std::size_t> times;
  for (const std::string& name : edits.pitfalls) ++times[name];
  for (const std::string& name : edits.pitfalls) {
    const auto it = times.find(name);
    if (it == times.end() || it->second < 2) continue;
    ValidationError e;
    e.id = "duplicate_pitfall";
    e.file = "--pitfall";
    e.expected = "each pitfall named once (a pitfall is switched on, not applied several times)";
    e.found = "\"" + name + "\"";
    e.hint = "named " + std::to_string(it->second) + " times";
    repeated.push_back(std::move(e));
    times.erase(it);  // reported once, where it is first named
  }
  if (!repeated.empty()) throw InputError(std::move(repeated));
  ojson resolved = resolve_scenario_defaults(doc);
  for (const std::string& name : edits.pitfalls) {
    apply_pitfall(resolved, name);
    complete_defaults(resolved);
    check(resolved, "after --pitfall " + name, false);
  }
  // Catches a resolution that produced an invalid document (a bug, but better reported than run).
  check(resolved, "resolved " + origin, false);
  return resolved;
}

std::array<double, kChannels> incentives(const ojson& j) {
  std::array<double, kChannels> w{};
  for (int c = 0; c < kChannels; ++c) w[static_cast<std::size_t>(c)] = j.at(kChannelNames[c]).get<double>();
  const double sum = std::accumulate(w.begin(), w.end(), 0.0);
  for (double& x : w) x /= sum;  // validation guarantees sum > 0
  return w;
}

template <std::size_t N>
std::array<double, N> fixed(const ojson& j) {
  std::array<double, N> a{};
  for (std::size_t i = 0; i < N; ++i) a[i] = j.at(i).get<double>();
  return a;
}

CooperationRule rule(const ojson& j) {
  return {j.at("intercept").get<double>(), j.at("slope").get<double>(), j.at("peak").get<double>()};
}

CooperationType cooperation_type(const std::string& name) {
  if (name == "conditional") return CooperationType::Conditional;
  if (name == "free_rider") return CooperationType::FreeRider;
  if (name == "unconditional") return CooperationType::Unconditional;
  if (name == "hump_shaped") return CooperationType::HumpShaped;
  throw std::logic_error("unknown cooperation type " + name);
}

SupportChannel support_channel(const std::string& name) {
  if (name == "payments") return SupportChannel::Payments;
  if (name == "training") return SupportChannel::Training;
  if (name == "buyers") return SupportChannel::Buyers;
  if (name == "community_trust") return SupportChannel::CommunityTrust;
  return SupportChannel::None;
}

ShockKind shock_kind(const std::string& name) {
  constexpr ShockKind kinds[] = {ShockKind::FundingCut,       ShockKind::LeadershipTurnover, ShockKind::PolicyReversal,
                                 ShockKind::SecurityIncident, ShockKind::MarketShock,        ShockKind::MemberEntry};
  for (ShockKind k : kinds) {
    if (name == to_string(k)) return k;
  }
  throw std::logic_error("unknown shock kind " + name);
}

GovernanceMode mode(const ojson& j) {
  const auto m = governance_mode_from_string(j.get<std::string>());
  if (!m) throw std::logic_error("unknown governance mode " + j.get<std::string>());
  return *m;
}

int index_of(const std::map<std::string, int>& names, const ojson& name) {
  return names.at(name.get<std::string>());
}

Sector build_sector(const std::string& name, const ojson& p) {
  Sector s;
  s.name = name;
  s.incentives = incentives(p.at("incentives"));
  s.mandate = p.at("mandate").get<std::vector<double>>();
  s.disclosure = p.at("disclosure").get<double>();
  s.hierarchy_preference = p.at("hierarchy_preference").get<double>();
  s.reliability = p.at("reliability").get<double>();
  const ojson& mix = p.at("cooperation");
  s.cooperation_mix = {mix.at("conditional").get<double>(), mix.at("free_rider").get<double>(),
                       mix.at("unconditional").get<double>(), mix.at("hump_shaped").get<double>()};
  double total = 0;
  for (double x : s.cooperation_mix) total += x;
  for (double& x : s.cooperation_mix) x /= total;  // validation guarantees total > 0
  s.champion = p.at("champion").get<double>();
  s.culture = fixed<2>(p.at("culture"));
  s.local = p.at("local").get<bool>();
  s.patience = p.at("patience").get<int>();
  s.participation_cost = p.at("participation_cost").get<double>();
  return s;
}

Organization build_organization(const ojson& o, const std::map<std::string, int>& sectors,
                                const std::map<std::string, int>& orgs, const std::vector<Capability>& caps) {
  Organization org;
  org.name = o.at("name").get<std::string>();
  org.sector = index_of(sectors, o.at("sector"));
  org.incentives = incentives(o.at("incentives"));
  org.goal = o.at("goal").get<std::vector<double>>();
  org.disclosure = o.at("disclosure").get<double>();
  org.hierarchy_preference = o.at("hierarchy_preference").get<double>();
  for (const Capability& c : caps) org.capabilities.push_back(o.at("capabilities").at(c.name).get<double>());
  org.reliability = o.at("reliability").get<double>();
  if (o.contains("cooperation")) {
    const ojson& c = o["cooperation"];
    if (c.is_string()) {
      org.cooperation = cooperation_type(c.get<std::string>());
    } else {
      org.cooperation = CooperationType::Explicit;
      org.cooperation_rule = rule(c);
    }
  }
  org.champion = o.at("champion").get<double>();
  org.culture = fixed<2>(o.at("culture"));
  org.bridge = o.at("bridge").get<bool>();
  org.local = o.at("local").get<bool>();
  org.patience = o.at("patience").get<int>();
  org.participation_cost = o.at("participation_cost").get<double>();
  for (const auto& [other, delta] : o.at("prehistory").items()) {
    org.prehistory.emplace_back(orgs.at(other), delta.get<double>());
  }
  org.candidate = o.at("candidate").get<bool>();
  org.available_from = o.at("available_from").get<int>();
  return org;
}

void build_parameters(const ojson& r, Scenario& s) {
  const ojson& a = r.at("agenda");
  s.agenda.dimensions = a.at("dimensions").get<std::vector<std::string>>();
  s.agenda.dynamics = a.at("dynamics") == "hegselmann_krause" ? AgendaDynamics::HegselmannKrause : AgendaDynamics::Deffuant;
  s.agenda.epsilon = a.at("epsilon");
  s.agenda.mu = a.at("mu");
  s.agenda.internalization = a.at("internalization");
  s.agenda.meeting_rounds = a.at("meeting_rounds");
  s.agenda.rounds_per_step = a.at("rounds_per_step");
  s.agenda.disclosure_gain = a.at("disclosure_gain");
  s.agenda.misunderstanding_rate = a.at("misunderstanding_rate");
  s.agenda.bridge_effect = a.at("bridge_effect");
  s.agenda.misread = a.at("misread");
  s.agenda.burst_threshold = a.at("burst_threshold");

  const ojson& t = r.at("trust");
  s.trust.gain = t.at("gain");
  s.trust.loss = t.at("loss");
  s.trust.sigma_obs = t.at("sigma_obs");
  s.trust.gossip = t.at("gossip");
  s.trust.decay = t.at("decay");
  s.trust.prior_noise = t.at("prior_noise");
  s.trust.interim_gain = t.at("interim_gain");
  for (const Sector& truster : s.sectors) {
    std::vector<double> row;
    for (const Sector& trustee : s.sectors) row.push_back(t.at("priors").at(truster.name).at(trustee.name).get<double>());
    s.trust.priors.push_back(std::move(row));
  }

  const ojson& p = r.at("production");
  s.production.productivity = p.at("productivity");
  s.production.complementarity = p.at("complementarity");
  s.production.outsider_legitimacy = p.at("outsider_legitimacy");

  const ojson& e = r.at("effort");
  s.effort.phi_h = e.at("phi_h");
  s.effort.phi_c = e.at("phi_c");
  s.effort.sanction_norm = e.at("sanction_norm");
  s.effort.sanction_decay = e.at("sanction_decay");
  const ojson& types = r.at("cooperation_types");
  s.effort.levels = e.at("levels");
  s.effort.types = {rule(types.at("conditional")), rule(types.at("free_rider")), rule(types.at("unconditional")),
                    rule(types.at("hump_shaped"))};

  const ojson& pun = r.at("punishment");
  s.punishment.rate = pun.at("rate");
  s.punishment.tolerance = pun.at("tolerance");
  s.punishment.cost = pun.at("cost");
  s.punishment.impact = pun.at("impact");
  s.punishment.response = pun.at("response");
  s.punishment.anticipation = pun.at("anticipation");

  const ojson& l = r.at("lifecycle");
  s.lifecycle.solicit_steps = l.at("solicit_steps");
  s.lifecycle.interim_steps = l.at("interim_steps");
  s.lifecycle.skip_interim = l.at("skip_interim");
  s.lifecycle.scale_threshold = l.at("scale_threshold");
  s.lifecycle.scale_goal_factor = l.at("scale_goal_factor");
  s.lifecycle.pledge_min = l.at("pledge_min");
  s.lifecycle.pledge_max = l.at("pledge_max");
  s.lifecycle.join_noise = l.at("join_noise");
  for (int c = 0; c < kChannels; ++c) {
    s.lifecycle.prospects[static_cast<std::size_t>(c)] = l.at("prospects").at(kChannelNames[c]).get<double>();
  }

  const ojson& c = r.at("champions");
  s.champions.eta = c.at("eta");
  s.champions.decay = c.at("decay");
  s.champions.c_min = c.at("c_min");
  s.champions.exit_threshold = c.at("exit_threshold");
  s.champions.value_scale = c.at("value_scale");
  s.champions.cost_scale = c.at("cost_scale");

  if (r.contains("population")) {
    const ojson& q = r["population"];
    s.population.enabled = true;
    s.population.units = q.at("units").get<std::int64_t>();
    if (q.contains("unit_label")) s.population.unit_label = q["unit_label"];
    s.population.degree = q.at("degree");
    s.population.rewire = q.at("rewire");
    s.population.initial_adopters = q.at("initial_adopters");
    s.population.b_support = q.at("b_support");
    s.population.b_neighbors = q.at("b_neighbors");
    s.population.b_market = q.at("b_market");
    s.population.market_base = q.at("market_base");
    s.population.relapse = q.at("relapse");
    s.population.relapse_supported = q.at("relapse_supported");
    s.population.readopt = q.at("readopt");
    s.population.support_memory = q.at("support_memory");
    const ojson& f = q.at("forced");
    s.population.forced = f.at("enabled");
    s.population.forced_start = f.at("start");
    s.population.forced_rate = f.at("rate");
    s.population.forced_relapse = f.at("relapse");
    s.population.forced_relapse_supported = f.at("relapse_supported");
  }
  s.goal.metric = r.at("goal").at("metric") == "adopters" ? GoalMetric::Adopters : GoalMetric::Outcome;
  s.goal.target = r.at("goal").at("target");
}

void build_governance(const ojson& g, const std::map<std::string, int>& orgs, GovernanceParams& p) {
  p.mode = mode(g.at("mode"));
  p.lead = index_of(orgs, g.at("lead"));
  p.backbone = p.mode == GovernanceMode::Backbone ? index_of(orgs, g.at("backbone")) : -1;
  p.backbone_capacity = g.at("backbone_capacity");
  p.bottleneck = g.at("bottleneck");
  p.hierarchy = g.at("hierarchy");
  p.coordination = g.at("coordination");
  p.transparency = g.at("transparency");
  p.communication = g.at("communication");
  p.overhead = g.at("overhead");
  p.sanctions = g.at("sanctions");
  p.credit_share = g.at("credit_share");
  p.lead_agenda_weight = g.at("lead_agenda_weight");
  p.facilitation = g.at("facilitation");
  p.group_size = g.at("group_size");
  p.group_threshold = g.at("group_threshold");
  p.rotation = g.at("rotation");
}

Shock build_shock(const ojson& j, const std::map<std::string, int>& sectors, const std::map<std::string, int>& orgs,
                  const std::map<std::string, int>& caps) {
  Shock k;
  k.kind = shock_kind(j.at("kind").get<std::string>());
  if (j.contains("step")) k.step = j["step"].get<int>();
  if (j.contains("rate")) k.rate = j["rate"].get<double>();
  if (j.contains("sector")) k.sector = index_of(sectors, j["sector"]);
  if (j.contains("organization")) k.organization = index_of(orgs, j["organization"]);
  k.fraction = j.at("fraction");
  if (j.contains("capability")) k.capability = index_of(caps, j["capability"]);
  if (j.contains("mode")) k.mode = mode(j["mode"]);
  if (j.contains("hierarchy")) k.hierarchy = j["hierarchy"].get<double>();
  k.recovery = j.at("recovery");
  return k;
}

}  // namespace

Scenario build_scenario(const ojson& r) {
  Scenario s;
  s.name = r.at("name").get<std::string>();
  s.steps = r.at("steps").get<int>();
  std::map<std::string, int> sector_index, org_index, cap_index;
  for (const auto& [name, profile] : r.at("sectors").items()) {
    sector_index[name] = static_cast<int>(s.sectors.size());
    s.sectors.push_back(build_sector(name, profile));
  }
  double weight_total = 0;
  for (const auto& [name, c] : r.at("capabilities").items()) {
    cap_index[name] = static_cast<int>(s.capabilities.size());
    Capability cap;
    cap.name = name;
    cap.need = c.at("need");
    cap.weight = c.at("weight");
    cap.channel = support_channel(c.at("channel").get<std::string>());
    weight_total += cap.weight;
    s.capabilities.push_back(std::move(cap));
  }
  for (Capability& cap : s.capabilities) cap.weight /= weight_total;  // validation guarantees > 0
  const ojson& orgs = r.at("organizations");
  for (std::size_t i = 0; i < orgs.size(); ++i) org_index[orgs[i].at("name").get<std::string>()] = static_cast<int>(i);
  for (const ojson& o : orgs) s.organizations.push_back(build_organization(o, sector_index, org_index, s.capabilities));
  build_parameters(r, s);
  for (const ojson& tie : r.at("agenda").at("meeting_ties")) {
    const int a = index_of(org_index, tie.at(0)), b = index_of(org_index, tie.at(1));
    s.agenda.meeting_ties.emplace_back(std::min(a, b), std::max(a, b));
  }
  build_governance(r.at("governance"), org_index, s.governance);
  for (const ojson& j : r.at("shocks")) s.shocks.push_back(build_shock(j, sector_index, org_index, cap_index));
  s.resolved = r;
  return s;
}

ojson resolve_scenario_document(const ojson& doc, const std::string& origin, const ScenarioEdits& edits) {
  return run_pipeline(doc, origin, edits);
}

Scenario load_scenario(const ojson& doc, const std::string& origin, const ScenarioEdits& edits) {
  return build_scenario(run_pipeline(doc, origin, edits));
}

Scenario reload_scenario(const ojson& doc, const ScenarioEdits& edits) {
  return build_scenario(run_pipeline(doc, "", edits, false));
}

Scenario load_scenario(const nlohmann::json& doc, const std::string& origin, const ScenarioEdits& edits) {
  return load_scenario(ojson(doc), origin, edits);
}

Scenario load_scenario_file(const std::string& path, const ScenarioEdits& edits) {
  JsonReadResult read = read_json_file(path);
  if (!read.errors.empty()) {
    // Duplicate keys do not stop the reader: report them with everything else that is wrong.
    if (read.parsed) {
      std::vector<ValidationError> more = validate_scenario(read.value, path);
      read.errors.insert(read.errors.end(), more.begin(), more.end());
    }
    throw InputError(std::move(read.errors));
  }
  return load_scenario(read.value, path, edits);
}

std::vector<ValidationError> validate_scenario_file(const std::string& path) {
  JsonReadResult read = read_json_file(path);
  if (!read.parsed) return std::move(read.errors);
  std::vector<ValidationError> errors = std::move(read.errors);  // duplicate keys, if any
  std::vector<ValidationError> more = validate_scenario(read.value, path);
  errors.insert(errors.end(), more.begin(), more.end());
  if (!errors.empty()) return errors;
  ojson resolved;
  try {
    resolved = run_pipeline(read.value, path, {});
    build_scenario(resolved);
  } catch (const InputError& e) {
    return e.errors();
  }
  // The scenario's own pitfalls, each switched on: one that cannot be applied, selects nothing (a
  // "where" naming a renamed organization) or leaves the scenario invalid is an error of this file.
  if (resolved.contains("pitfalls") && resolved["pitfalls"].is_object()) {
    for (const auto& [name, definition] : resolved["pitfalls"].items()) {
      try {
        build_scenario(run_pipeline(read.value, path, ScenarioEdits{{}, {name}}));
      } catch (const InputError& e) {
        for (ValidationError v : e.errors()) {
          v.file = v.pointer.rfind("/pitfalls/", 0) == 0 ? path : path + " (with pitfall " + name + ")";
          errors.push_back(std::move(v));
        }
      }
    }
  }
  return errors;
}

}  // namespace p3sim
