#pragma once
// Test support: a small, complete partnership scenario built in code, and helpers to run
// replicates of it. Mechanism tests change one thing in this base and compare.
#include <cstdint>
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "result/RunResult.hpp"
#include "run/Simulation.hpp"
#include "scenario/ScenarioLoader.hpp"

namespace p3sim::test {

/// Six organizations (two per built-in sector), four capabilities, two agenda dimensions,
/// a 2,000-unit population, goal in adopters, backbone governance with a neutral backbone.
inline nlohmann::ordered_json base_scenario() {
  using json = nlohmann::ordered_json;
  json s = {
      {"name", "fixture"},
      {"steps", 36},
      {"agenda", {{"dimensions", {"security", "livelihoods"}}}},
      {"capabilities",
       {{"funding", {{"need", 1.0}, {"channel", "payments"}}},
        {"technical", {{"need", 1.0}, {"channel", "training"}}},
        {"market_access", {{"need", 1.0}, {"channel", "buyers"}}},
        {"local_knowledge", {{"need", 1.0}, {"channel", "community_trust"}}}}},
      {"organizations",
       json::array({
           {{"name", "ministry"}, {"sector", "government"}, {"goal", {0.7, 0.4}}, {"capabilities", {{"funding", 1.5}}}},
           {{"name", "un_fund"}, {"sector", "government"}, {"goal", {0.5, 0.6}}, {"capabilities", {{"funding", 0.8}, {"technical", 0.3}}}},
           {{"name", "agri_company"}, {"sector", "business"}, {"goal", {0.3, 0.7}}, {"capabilities", {{"market_access", 1.2}, {"technical", 0.3}}}},
           {{"name", "exporter"}, {"sector", "business"}, {"goal", {0.4, 0.8}}, {"capabilities", {{"market_access", 0.6}, {"funding", 0.3}}}},
           {{"name", "ngo"}, {"sector", "civil_society"}, {"goal", {0.2, 0.9}}, {"capabilities", {{"technical", 1.0}, {"local_knowledge", 0.5}}}},
           {{"name", "farmers"}, {"sector", "civil_society"}, {"goal", {0.3, 0.8}}, {"capabilities", {{"local_knowledge", 1.2}}}},
       })},
      {"governance", {{"mode", "backbone"}, {"lead", "ministry"}}},
      {"population", {{"units", 2000}, {"degree", 6}}},
      {"goal", {{"metric", "adopters"}, {"target", 800}}},
  };
  return s;
}

inline Scenario load(const nlohmann::ordered_json& doc, const std::vector<std::string>& sets = {},
                     const std::vector<std::string>& pitfalls = {}) {
  ScenarioEdits edits;
  edits.sets = sets;
  edits.pitfalls = pitfalls;
  return load_scenario(doc, "fixture", edits);
}

/// Runs `replicates` seeds (1..replicates) and returns the mean of `metric(result)`.
inline double mean_over_seeds(const Scenario& scenario, int replicates,
                              const std::function<double(const RunResult&)>& metric) {
  double sum = 0;
  for (int r = 1; r <= replicates; ++r) sum += metric(run_once(scenario, derive_run_seed(7, static_cast<std::uint64_t>(r))));
  return sum / replicates;
}

inline double final_metric(const RunResult& r, FinalIndex m) { return r.final_metrics[static_cast<std::size_t>(m)]; }

}  // namespace p3sim::test
