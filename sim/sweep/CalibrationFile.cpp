// Loading and checking calibration files (see CalibrationFile.hpp).
#include "sweep/CalibrationFile.hpp"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <set>
#include <stdexcept>

#include "result/RunResult.hpp"
#include "scenario/JsonPatch.hpp"
#include "scenario/JsonReader.hpp"
#include "scenario/ScenarioSchema.hpp"
#include "scenario/SchemaValidator.hpp"
#include "sweep/CalibrationSchema.hpp"
#include "sweep/SweepFile.hpp"

namespace p3sim {
namespace {

using ordered_json = nlohmann::ordered_json;

ValidationError error(std::string id, const std::string& file, std::string pointer, std::string expected,
                      std::string found, std::string hint = "") {
  return {std::move(id), file, std::move(pointer), std::move(expected), std::move(found), std::move(hint)};
}

int index_of(const char* const* begin, const char* const* end, const std::string& name) {
  const auto it = std::find_if(begin, end, [&](const char* m) { return name == m; });
  return it == end ? -1 : static_cast<int>(it - begin);
}

// Final metrics that hold -1 when the event never happened or the metric is undefined (MetricKind
// Censored and Conditional in stats/): a mean over replications would average the sentinel.
bool has_sentinel(const std::string& metric) {
  return metric == "time_to_goal" || metric == "cost_per_outcome" || metric == "acceptability" ||
         metric == "acceptability_sd";
}

// The keys each distribution takes (besides "distribution"), required and optional.
struct PriorKeys {
  std::vector<const char*> required, optional;
};
PriorKeys prior_keys(const std::string& distribution) {
  if (distribution == "normal") return {{"mean", "sd", "low", "high"}, {}};
  if (distribution == "categorical") return {{"levels"}, {"probabilities"}};
  return {{"low", "high"}, {}};
}

void read_parameters(const ordered_json& doc, const std::string& file, CalibrationSpec& spec,
                     std::vector<ValidationError>& errors) {
  for (const auto& [pointer, value] : doc["parameters"].items()) {
    const std::string where = "/parameters/" + pointer_token(pointer);
    std::vector<std::string> tokens;
    try {
      tokens = split_pointer(pointer);
      if (pointer.empty()) throw std::invalid_argument("empty");
    } catch (const std::invalid_argument&) {
      errors.push_back(error("bad_pointer", file, where, "a JSON Pointer such as \"/population/relapse\"",
                             "\"" + pointer + "\""));
      continue;
    }
    const std::string distribution = value["distribution"].get<std::string>();
    const PriorKeys keys = prior_keys(distribution);
    bool complete = true;
    for (const char* key : keys.required) {
      if (!value.contains(key)) {
        errors.push_back(error("required", file, where + "/" + key,
                               std::string("a value for \"") + key + "\" (a " + distribution + " prior needs it)",
                               "no such key"));
        complete = false;
      }
    }
    for (const auto& [key, unused] : value.items()) {
      if (key == "distribution") continue;
      const auto named = [&](const std::vector<const char*>& list) {
        return std::any_of(list.begin(), list.end(), [&](const char* k) { return key == k; });
      };
      if (!named(keys.required) && !named(keys.optional)) {
        std::string allowed;
        for (const char* k : keys.required) allowed += std::string(allowed.empty() ? "" : ", ") + k;
        for (const char* k : keys.optional) allowed += std::string(", ") + k;
        errors.push_back(error("unknown_key", file, where + "/" + pointer_token(key),
                               "only " + allowed + " for a " + distribution + " prior", "\"" + key + "\""));
        complete = false;
      }
    }
    if (!complete) continue;
    CalibrationParameter p;
    p.pointer = pointer;
    try {
      p.prior = prior_from_json(value);
    } catch (const std::invalid_argument& e) {
      errors.push_back(error("range", file, where, e.what(), value.dump()));
      continue;
    }
    if (!p.prior.categorical()) {
      std::vector<std::string> path = tokens;
      for (std::string& t : path) {
        if (t == "*") t = "0";
      }
      if (scenario_field_is_integer(path)) {
        errors.push_back(error("integer_parameter", file, where,
                               "a categorical prior listing the values (\"" + pointer + "\" is a whole number)",
                               "a " + distribution + " prior",
                               "e.g. {\"distribution\": \"categorical\", \"levels\": [2, 3, 4]}"));
        continue;
      }
    }
    spec.parameters.push_back(std::move(p));
  }
}

void read_targets(const ordered_json& doc, const std::string& file, CalibrationSpec& spec,
                  std::vector<ValidationError>& errors) {
  std::set<std::string> names;
  const ordered_json& targets = doc["targets"];
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const ordered_json& target = targets[t];
    const std::string where = "/targets/" + std::to_string(t);
    const bool series = target.contains("series"), final = target.contains("final");
    if (series == final) {
      errors.push_back(error("target_kind", file, where, "exactly one of \"series\" (a per-step metric) and \"final\"",
                             series ? "both" : "neither"));
      continue;
    }
    const auto refuse = [&](const char* key, const std::string& why) {
      if (target.contains(key)) {
        errors.push_back(error("target_kind", file, where + "/" + key, why, "\"" + std::string(key) + "\""));
        return true;
      }
      return false;
    };
    const std::string metric = target[series ? "series" : "final"].get<std::string>();
    const std::string name = target.value("name", metric);
    const double weight = target.value("weight", 1.0);
    std::vector<int> steps;
    std::vector<double> values, sds;
    bool bad = false;
    if (final) {
      bad |= refuse("step", "no \"step\" for a final metric");
      bad |= refuse("steps", "no \"steps\" for a final metric");
      bad |= refuse("values", "\"value\", one number, for a final metric");
      if (!target.contains("value")) {
        errors.push_back(error("required", file, where + "/value", "a value for the required key \"value\"", "no such key"));
        bad = true;
      }
      if (has_sentinel(metric)) {
        errors.push_back(error("sentinel_metric", file, where + "/final",
                               "a final metric defined in every run", "\"" + metric + "\", -1 when it never happened",
                               metric == "time_to_goal" ? "calibrate goal_reached (a share) or the outcome series"
                                                        : "calibrate a metric defined in every run"));
        bad = true;
      }
      if (target.contains("sd") && !target["sd"].is_number()) {
        errors.push_back(error("type", file, where + "/sd", "a number", describe_value(target["sd"])));
        bad = true;
      }
      if (bad) continue;
      steps = {-1};
      values = {target["value"].get<double>()};
      if (target.contains("sd")) sds = {target["sd"].get<double>()};
    } else {
      const bool one = target.contains("step"), many = target.contains("steps");
      if (one == many) {
        errors.push_back(error("target_kind", file, where, "exactly one of \"step\" (with \"value\") and \"steps\" (with \"values\")",
                               one ? "both" : "neither"));
        continue;
      }
      if (one) {
        bad |= refuse("values", "\"value\" with \"step\"");
        if (!target.contains("value")) {
          errors.push_back(error("required", file, where + "/value", "a value for the required key \"value\"", "no such key"));
          bad = true;
        }
        if (target.contains("sd") && !target["sd"].is_number()) {
          errors.push_back(error("type", file, where + "/sd", "a number", describe_value(target["sd"])));
          bad = true;
        }
        if (bad) continue;
        steps = {target["step"].get<int>()};
        values = {target["value"].get<double>()};
        if (target.contains("sd")) sds = {target["sd"].get<double>()};
      } else {
        bad |= refuse("value", "\"values\" with \"steps\"");
        if (!target.contains("values")) {
          errors.push_back(error("required", file, where + "/values", "a value for the required key \"values\"", "no such key"));
          bad = true;
        }
        if (bad) continue;
        steps = target["steps"].get<std::vector<int>>();
        values = target["values"].get<std::vector<double>>();
        if (values.size() != steps.size()) {
          errors.push_back(error("size", file, where + "/values", std::to_string(steps.size()) + " values, one per step",
                                 std::to_string(values.size()) + " values"));
          continue;
        }
        if (target.contains("sd")) {
          if (target["sd"].is_number()) {
            sds.assign(steps.size(), target["sd"].get<double>());
          } else {
            sds = target["sd"].get<std::vector<double>>();
            if (sds.size() != steps.size()) {
              errors.push_back(error("size", file, where + "/sd", "one sd per step (" + std::to_string(steps.size()) + ")",
                                     std::to_string(sds.size()) + " values"));
              continue;
            }
          }
        }
      }
    }
    for (std::size_t k = 0; k < steps.size(); ++k) {
      TargetComponent c;
      c.metric = metric;
      c.final = final;
      c.metric_index = final ? index_of(std::begin(kFinalMetrics), std::end(kFinalMetrics), metric)
                             : index_of(std::begin(kSeriesMetrics), std::end(kSeriesMetrics), metric);
      c.step = steps[k];
      c.observed = values[k];
      c.sd = sds.empty() ? 0.0 : sds[k];
      c.weight = weight / static_cast<double>(steps.size());
      c.target = t;
      c.name = steps.size() > 1 ? name + "@" + std::to_string(steps[k]) : name;
      if (!names.insert(c.name).second) {
        errors.push_back(error("duplicate_name", file, where, "targets with distinct names (add \"name\")",
                               "a second \"" + c.name + "\""));
        break;
      }
      spec.targets.push_back(std::move(c));
    }
  }
}

// The values that stand for a prior's support when the scenario is checked: both ends of a
// range (and a normal's mean), every level.
std::vector<double> support_checks(const Prior& prior) {
  if (prior.categorical()) {
    std::vector<double> levels;
    for (std::size_t i = 0; i < prior.levels.size(); ++i) levels.push_back(static_cast<double>(i));
    return levels;
  }
  std::vector<double> values{prior.low, prior.high};
  if (prior.kind == Prior::Kind::Normal && prior.mean > prior.low && prior.mean < prior.high) {
    values.push_back(prior.mean);
  }
  return values;
}

// The scenario checks: the base; then every corner of the priors' box (all combinations of the
// parameters' support values), or, when there are more than kMaxCornerChecks corners, each
// parameter's support values alone; then the horizon of every series target.
void check_against_scenario(CalibrationSpec& spec, const std::string& file, std::vector<ValidationError>& errors) {
  ScenarioEdits base;
  if (spec.steps) base.sets.push_back(set_text("/steps", *spec.steps));
  base.pitfalls = spec.pitfalls;
  int steps = 0;
  try {
    steps = load_scenario(spec.scenario, spec.scenario_origin, base).steps;
  } catch (const InputError& e) {
    std::vector<ValidationError> found = e.errors();
    label_sweep_errors(found, file, "");
    errors.insert(errors.end(), found.begin(), found.end());
    return;
  }
  SweepErrors failures(file, "checks");
  std::vector<std::vector<double>> supports;
  std::int64_t corners = 1;
  for (const CalibrationParameter& p : spec.parameters) {
    supports.push_back(support_checks(p.prior));
    corners = std::min(corners * static_cast<std::int64_t>(supports.back().size()), kMaxCornerChecks + 1);
  }
  const auto check = [&](const std::vector<std::size_t>& which, const std::vector<double>& values) {
    ScenarioEdits edits;
    if (spec.steps) edits.sets.push_back(set_text("/steps", *spec.steps));
    std::string label;
    for (std::size_t i : which) {
      const CalibrationParameter& p = spec.parameters[i];
      const ordered_json value = p.prior.scenario_value(values[i]);
      edits.sets.push_back(set_text(p.pointer, value));
      label += (label.empty() ? "" : ", ") + p.pointer + " = " + value.dump();
    }
    edits.pitfalls = spec.pitfalls;
    try {
      (void)load_scenario(spec.scenario, file + " (" + label + ")", edits);
    } catch (const InputError& e) {
      failures.add(e.errors(), "");
    }
  };
  if (corners <= kMaxCornerChecks) {
    std::vector<std::size_t> all(spec.parameters.size()), digit(spec.parameters.size(), 0);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    for (std::int64_t c = 0; c < corners && !failures.full(); ++c) {
      std::vector<double> values(all.size());
      for (std::size_t i = 0; i < all.size(); ++i) values[i] = supports[i][digit[i]];
      check(all, values);
      for (std::size_t i = 0; i < digit.size(); ++i) {  // the next corner, as an odometer
        if (++digit[i] < supports[i].size()) break;
        digit[i] = 0;
      }
    }
    spec.corners_checked = failures.empty();
  } else {
    for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
      for (double v : supports[i]) {
        if (failures.full()) break;
        std::vector<double> values(spec.parameters.size(), 0.0);
        values[i] = v;
        check({i}, values);
      }
    }
  }
  const std::vector<ValidationError> found = failures.report();
  errors.insert(errors.end(), found.begin(), found.end());
  for (const TargetComponent& c : spec.targets) {
    if (!c.final && c.step > steps) {
      errors.push_back(error("range", file, "/targets/" + std::to_string(c.target),
                             "steps within the runs' horizon (0.." + std::to_string(steps) + ")",
                             "step " + std::to_string(c.step)));
    }
  }
}

}  // namespace

ScenarioEdits CalibrationSpec::edits(const std::vector<double>& values) const {
  ScenarioEdits e;
  if (steps) e.sets.push_back(set_text("/steps", *steps));
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    e.sets.push_back(set_text(parameters[i].pointer, parameters[i].prior.scenario_value(values.at(i))));
  }
  e.pitfalls = pitfalls;
  return e;
}

std::string CalibrationSpec::json_text() const {
  ordered_json out = document;
  out["seed"] = seed;
  out["pitfalls"] = pitfalls;
  ordered_json priors = ordered_json::object();
  for (const CalibrationParameter& p : parameters) priors[p.pointer] = p.prior.json();
  out["parameters"] = priors;
  out["distance"] = distance == DistanceKind::Euclidean ? "euclidean" : "manhattan";
  out["abc"] = {{"particles", abc.particles},
                {"generations", abc.generations},
                {"quantile", abc.quantile},
                {"min_tolerance", abc.min_tolerance},
                {"min_acceptance", abc.min_acceptance},
                {"max_simulations", abc.max_simulations},
                {"replications", abc.replications},
                {"common_random_numbers", abc.common_random_numbers},
                {"stay_probability", abc.stay_probability}};
  return out.dump();
}

bool is_calibration_document(const ordered_json& doc) { return doc.is_object() && doc.contains("targets"); }

CalibrationSpec load_calibration(const ordered_json& doc, const std::string& file, const std::string& base_dir) {
  std::vector<ValidationError> errors;
  validate_against_schema(doc, calibration_schema(), file, errors);
  if (!errors.empty()) throw InputError(std::move(errors));
  CalibrationSpec spec;
  spec.file = file;
  spec.document = doc;
  spec.seed = doc.value("seed", std::uint64_t{0});
  if (doc.contains("steps")) spec.steps = doc["steps"].get<int>();
  if (doc.contains("pitfalls")) spec.pitfalls = doc["pitfalls"].get<std::vector<std::string>>();
  spec.distance = doc.value("distance", std::string("euclidean")) == "manhattan" ? DistanceKind::Manhattan
                                                                                  : DistanceKind::Euclidean;
  const ordered_json abc = doc.value("abc", ordered_json::object());
  spec.abc.particles = abc.value("particles", spec.abc.particles);
  spec.abc.generations = abc.value("generations", spec.abc.generations);
  spec.abc.quantile = abc.value("quantile", spec.abc.quantile);
  spec.abc.min_tolerance = abc.value("min_tolerance", spec.abc.min_tolerance);
  spec.abc.min_acceptance = abc.value("min_acceptance", spec.abc.min_acceptance);
  spec.abc.max_simulations = abc.value("max_simulations", spec.abc.max_simulations);
  spec.abc.replications = abc.value("replications", spec.abc.replications);
  spec.abc.common_random_numbers = abc.value("common_random_numbers", spec.abc.common_random_numbers);
  spec.abc.stay_probability = abc.value("stay_probability", spec.abc.stay_probability);
  read_parameters(doc, file, spec, errors);
  read_targets(doc, file, spec, errors);
  read_base_scenario(doc["scenario"], file.empty() ? "<calibration>" : file, base_dir, spec.scenario,
                     spec.scenario_origin, errors);
  if (errors.empty()) check_against_scenario(spec, file, errors);
  if (!errors.empty()) throw InputError(std::move(errors));
  return spec;
}

CalibrationSpec load_calibration_file(const std::string& path) {
  JsonReadResult read = read_json_file(path);
  if (!read.parsed || !read.errors.empty()) throw InputError(std::move(read.errors));
  return load_calibration(read.value, path, std::filesystem::path(path).parent_path().string());
}

std::vector<ValidationError> validate_calibration_file(const std::string& path) {
  try {
    (void)load_calibration_file(path);
  } catch (const InputError& e) {
    return e.errors();
  }
  return {};
}

}  // namespace p3sim
