// Summary: grouped descriptive statistics of a result file.
#include "stats/Summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "scenario/ValidationError.hpp"

namespace p3sim {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "(none)" : out;
}

std::string number_label(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

/// Level names of a sweep's categorical parameter `param` whose levels are all non-numeric (stored
/// in /params as their index), or empty.
std::vector<std::string> sweep_level_labels(const nlohmann::json& sweep, const std::string& param) {
  if (!sweep.contains("parameters") || !sweep["parameters"].is_object()) return {};
  for (const auto& [pointer, spec] : sweep["parameters"].items()) {
    if (param_dataset_name(pointer) != param_dataset_name(param) || !spec.is_array()) continue;
    std::vector<std::string> out;
    for (const auto& v : spec) {
      if (v.is_number() || v.is_boolean()) return {};
      out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    }
    return out;
  }
  return {};
}

/// Names for the coded values of parameter `param`: the variants of a `p3sim compare` file or the
/// string levels of a sweep; empty when its values are plain numbers.
std::vector<std::string> variant_labels(const Provenance& prov, const std::string& param) {
  if (prov.sweep_json.empty()) return {};
  const nlohmann::json j = nlohmann::json::parse(prov.sweep_json, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && !j.contains("compare")) return sweep_level_labels(j, param);
  if (!j.is_object()) return {};
  const nlohmann::json& c = j["compare"];
  if (!c.is_object() || !c.contains("parameter") || !c["parameter"].is_string() || !c.contains("values") ||
      !c["values"].is_array())
    return {};
  if (param_dataset_name(c["parameter"].get<std::string>()) != param_dataset_name(param)) return {};
  std::vector<std::string> out;
  for (const auto& v : c["values"]) out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

}  // namespace

std::string compare_variants_json(const std::string& pointer, const std::vector<std::string>& values,
                                  int replications, std::uint64_t master_seed) {
  nlohmann::json j;
  j["compare"] = {{"parameter", pointer},
                  {"values", values},
                  {"coding", "params value i is values[i]; values[0] is the baseline"},
                  {"replications", replications},
                  {"seed", master_seed}};
  return j.dump();
}

Summary summarize(const ResultReader& reader, const std::string& by, const std::vector<std::string>& metrics) {
  Summary s;
  const std::string& file = reader.path();
  for (const std::string& m : metrics) {
    if (std::find(std::begin(kFinalMetrics), std::end(kFinalMetrics), m) == std::end(kFinalMetrics)) {
      throw InputError({ValidationError{"unknown_metric", file, "", "a final metric (" +
                                            join({std::begin(kFinalMetrics), std::end(kFinalMetrics)}) + ")",
                                        "\"" + m + "\"", ""}});
    }
  }
  s.metrics = metrics.empty() ? std::vector<std::string>(std::begin(kFinalMetrics), std::end(kFinalMetrics)) : metrics;

  const std::vector<std::string>& params = reader.layout().params;
  if (!by.empty()) {
    // Accept the pointer and the dataset name alike: users see both (the sweep file and h5ls).
    std::string wanted;
    try {
      wanted = param_dataset_name(by);
    } catch (const std::invalid_argument&) {
    }
    const auto it = std::find_if(params.begin(), params.end(), [&](const std::string& p) {
      return p == by || param_dataset_name(p) == wanted;
    });
    if (it == params.end()) {
      std::vector<std::string> names;
      for (const std::string& p : params) names.push_back(param_dataset_name(p) + " (" + p + ")");
      throw InputError({ValidationError{"unknown_parameter", file, "", "a recorded parameter: " + join(names),
                                        "\"" + by + "\"", ""}});
    }
    s.by = *it;
  }

  const RunsTable runs = reader.runs();
  s.runs_total = runs.status.size();
  std::vector<double> group_of(s.runs_total, 0.0);
  if (!s.by.empty()) group_of = reader.param(s.by);

  std::map<double, std::vector<std::size_t>> members;  // ordered by value
  for (std::size_t r = 0; r < s.runs_total; ++r) {
    if (runs.status[r] != RunStatus::Done) continue;
    ++s.runs_done;
    members[group_of[r]].push_back(r);
  }

  const std::vector<std::string> labels = s.by.empty() ? std::vector<std::string>{} : variant_labels(reader.provenance(), s.by);
  for (const auto& [value, rows] : members) {
    SummaryGroup g;
    g.value = value;
    const double index = std::round(value);
    if (index == value && index >= 0 && index < static_cast<double>(labels.size())) {
      g.label = labels[static_cast<std::size_t>(index)];
    } else {
      g.label = s.by.empty() ? "all" : number_label(value);
    }
    s.groups.push_back(std::move(g));
  }
  s.horizon = static_cast<double>(reader.layout().steps);
  for (const std::string& m : s.metrics) {
    const int index = static_cast<int>(std::find(std::begin(kFinalMetrics), std::end(kFinalMetrics), m) -
                                       std::begin(kFinalMetrics));
    const std::vector<double> all = reader.final_metric(m);
    std::size_t gi = 0;
    for (const auto& [value, rows] : members) {
      std::vector<double> xs;
      xs.reserve(rows.size());
      for (std::size_t r : rows) xs.push_back(all[r]);
      s.groups[gi++].estimates.push_back(summarize_metric(xs, index, s.horizon));
    }
  }
  return s;
}

}  // namespace p3sim
