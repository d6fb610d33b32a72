// Expanding a sweep into design points and runs (see SweepPlan.hpp).
#include "sweep/SweepPlan.hpp"

#include "io/ScenarioLayout.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

#include "random/RandomStreams.hpp"
#include "scenario/ScenarioLoader.hpp"

namespace p3sim {
namespace {

using ordered_json = nlohmann::ordered_json;

// The /params value of one parameter value (see SweepPlan::param_values).
double param_number(const ParameterSpec& p, const std::vector<ordered_json>& levels, const ordered_json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  const auto it = std::find(levels.begin(), levels.end(), v);
  (void)p;
  return static_cast<double>(it - levels.begin());
}

// How `a` differs in shape from `b`, or "" when they can share a file. Organization lists may
// differ in length (a backbone mode appends its backbone organization) as long as the shorter is a
// prefix of the longer: the file has the longer list and shorter runs are padded.
std::string shape_difference(const Scenario& a, const Scenario& b) {
  if (a.steps != b.steps) return std::to_string(a.steps) + " steps";
  if (a.sectors.size() != b.sectors.size()) return std::to_string(a.sectors.size()) + " sectors";
  for (std::size_t i = 0; i < std::min(a.organizations.size(), b.organizations.size()); ++i) {
    if (a.organizations[i].name != b.organizations[i].name || a.organizations[i].sector != b.organizations[i].sector)
      return "organization " + std::to_string(i) + " \"" + a.organizations[i].name + "\"";
  }
  if (a.agenda.dimensions != b.agenda.dimensions) return "other agenda dimensions";
  return "";
}

}  // namespace

SweepPlan::SweepPlan(SweepSpec spec, const Observer& observer) : spec_(std::move(spec)) {
  ScenarioEdits base;
  if (spec_.steps) base.sets.push_back(set_text("/steps", *spec_.steps));
  base_resolved_ = resolve_scenario_document(spec_.scenario, spec_.scenario_origin, base);

  // Design points come from their own engine, seeded from the master seed only, so the same sweep
  // file always gives the same points.
  Engine rng(derive_run_seed(spec_.seed, 0xD35167ULL));
  const std::vector<DesignPoint> design = design_points(spec_.parameters, spec_.design, rng);

  std::vector<std::vector<ordered_json>> levels;
  for (const ParameterSpec& p : spec_.parameters) {
    param_names_.push_back(p.pointer);
    levels.push_back(p.kind == ParameterSpec::Kind::Categorical ? p.values : std::vector<ordered_json>{});
  }
  std::vector<std::string> pitfalls;
  for (const auto& set : spec_.pitfall_sets) {
    for (const std::string& name : set) {
      if (std::find(pitfalls.begin(), pitfalls.end(), name) == pitfalls.end()) pitfalls.push_back(name);
    }
  }
  for (const std::string& name : pitfalls) param_names_.push_back("pitfall." + name);

  const std::string label = spec_.file.empty() ? std::string("sweep") : spec_.file;
  SweepErrors errors(label);
  const std::size_t all_points = design.size() * spec_.pitfall_sets.size();
  edits_.reserve(all_points);
  param_values_.reserve(all_points);
  // Every point is loaded once here, to check it and its shape; only the first kKeptPoints stay.
  // All points share one file, so each must fit the widest point so far: organization lists may
  // differ only by ones appended at the end, which makes "fits" transitive, and checking against
  // the widest point seen so far checks every pair.
  for (std::size_t d = 0; d < design.size() && !errors.full(); ++d) {
    for (std::size_t s = 0; s < spec_.pitfall_sets.size() && !errors.full(); ++s) {
      const std::size_t point = d * spec_.pitfall_sets.size() + s;
      ScenarioEdits edits = base;
      std::vector<double> values;
      for (std::size_t i = 0; i < spec_.parameters.size(); ++i) {
        edits.sets.push_back(set_text(spec_.parameters[i].pointer, design[d][i]));
        values.push_back(param_number(spec_.parameters[i], levels[i], design[d][i]));
      }
      edits.pitfalls = spec_.pitfall_sets[s];
      for (const std::string& name : pitfalls) {
        const auto& set = spec_.pitfall_sets[s];
        values.push_back(std::find(set.begin(), set.end(), name) != set.end() ? 1.0 : 0.0);
      }
      const std::string where = "design point " + std::to_string(point);
      std::shared_ptr<const Scenario> loaded;
      try {
        loaded = std::make_shared<const Scenario>(load_scenario(spec_.scenario, label + " (" + where + ")", edits));
      } catch (const InputError& e) {
        errors.add(e.errors(), where, {s, &spec_.pitfall_sets[s]});
      }
      bool fits = loaded != nullptr;
      if (loaded && widest_) {
        if (const std::string diff = shape_difference(*loaded, *widest_); !diff.empty()) {
          fits = false;
          ValidationError e;
          e.id = "shape";
          e.file = label;
          e.pointer = "/parameters";
          e.expected = "design points of one shape (steps, sectors, organizations, agenda), as they share one file";
          e.found = where + " with " + diff;
          errors.add({std::move(e)}, "");
        }
      }
      if (fits && (!widest_ || loaded->organizations.size() > widest_->organizations.size())) widest_ = loaded;
      if (point < static_cast<std::size_t>(kKeptPoints)) kept_.push_back(std::move(loaded));
      edits_.push_back(std::move(edits));
      param_values_.push_back(std::move(values));
      if (observer) observer(static_cast<std::int64_t>(point) + 1, static_cast<std::int64_t>(all_points));
    }
  }
  if (!errors.empty()) throw InputError(errors.report(all_points - edits_.size()));
}

std::shared_ptr<const Scenario> SweepPlan::scenario(std::int64_t point) const {
  if (point < 0 || point >= points()) throw std::out_of_range("design point " + std::to_string(point) + " out of range");
  if (point < static_cast<std::int64_t>(kept_.size())) return kept_[static_cast<std::size_t>(point)];
  // Checked when the plan was built: built again without validating (same Scenario).
  return std::make_shared<const Scenario>(reload_scenario(spec_.scenario, edits_[static_cast<std::size_t>(point)]));
}

void SweepPlan::fit_to_layout(RunResult& result) const {
  const int orgs = static_cast<int>(widest_->organizations.size());
  if (result.status != RunStatus::Done || result.orgs == orgs) return;
  // Field-major arrays: rebuild with the absent organizations marked -1 (integer fields) or NaN.
  const int have = result.orgs;
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> fields(static_cast<std::size_t>(kOrgFieldCount) * static_cast<std::size_t>(orgs));
  for (int f = 0; f < kOrgFieldCount; ++f) {
    const double absent = kOrgFieldStorage[f] == OrgFieldStorage::Float64 ? nan : -1.0;
    for (int i = 0; i < orgs; ++i) {
      fields[static_cast<std::size_t>(f * orgs + i)] =
          i < have ? result.org_fields[static_cast<std::size_t>(f * have + i)] : absent;
    }
  }
  const auto dims = static_cast<std::size_t>(result.dims);
  std::vector<double> vectors(static_cast<std::size_t>(kOrgVectorFieldCount * orgs) * dims, nan);
  for (int f = 0; f < kOrgVectorFieldCount; ++f) {
    for (int i = 0; i < have; ++i) {
      for (std::size_t d = 0; d < dims; ++d) {
        vectors[static_cast<std::size_t>(f * orgs + i) * dims + d] =
            result.org_vectors[static_cast<std::size_t>(f * have + i) * dims + d];
      }
    }
  }
  result.org_fields = std::move(fields);
  result.org_vectors = std::move(vectors);
  result.orgs = orgs;
}

RunPlan SweepPlan::run(std::int64_t run) const {
  RunPlan plan;
  plan.run = run;
  plan.point = point_of(run);
  plan.replicate = replicate_of(run);
  plan.seed = seed_of(run);
  plan.scenario = scenario(plan.point);
  return plan;
}

std::uint64_t SweepPlan::seed_of(std::int64_t run) const {
  return derive_run_seed(spec_.seed, static_cast<std::uint64_t>(replicate_of(run)));
}

ResultLayout SweepPlan::layout() const {
  const Scenario& sc = *widest_;
  ResultLayout layout = scenario_layout(sc, runs());
  layout.params = param_names_;
  layout.series = spec_.record.series;
  layout.every = spec_.record.every;
  layout.events = spec_.record.events;
  return layout;
}

std::vector<ValidationError> validate_sweep(const std::string& path, const SweepPlan::Observer& observer) {
  std::vector<ValidationError> errors = validate_sweep_file(path);
  if (!errors.empty()) return errors;
  try {
    (void)SweepPlan(load_sweep_file(path), observer);
  } catch (const InputError& e) {
    return e.errors();
  }
  return errors;
}

}  // namespace p3sim
