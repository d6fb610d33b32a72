// Benchmarks of whole runs: the speed goals of the model are stated for one core at -O2:
// 20 organizations with 10,000 population units for 120 steps under 20 ms, and 10^6 units for
// 120 steps under 5 s.
#include <benchmark/benchmark.h>

#include <string>

#include <nlohmann/json.hpp>

#include "random/RandomStreams.hpp"
#include "run/Simulation.hpp"
#include "scenario/ScenarioLoader.hpp"

namespace {

using nlohmann::json;

// A synthetic partnership of `orgs` organizations cycling through the built-in sectors and four
// capabilities, with a population of `units`.
json synthetic(int orgs, long long units, const std::string& mode) {
  const char* sectors[] = {"government", "business", "civil_society"};
  const char* caps[] = {"funding", "technical", "market_access", "local_knowledge"};
  json doc = {{"name", "bench"},
              {"steps", 120},
              {"capabilities", {{"funding", {{"channel", "payments"}}},
                                {"technical", {{"channel", "training"}}},
                                {"market_access", {{"channel", "buyers"}}},
                                {"local_knowledge", {{"channel", "community_trust"}}}}},
              {"governance", {{"mode", mode}}},
              {"population", {{"units", units}, {"degree", 6}}},
              {"goal", {{"metric", "adopters"}, {"target", static_cast<double>(units) * 0.6}}}};
  doc["organizations"] = json::array();
  for (int i = 0; i < orgs; ++i) {
    json o = {{"name", "org" + std::to_string(i)}, {"sector", sectors[i % 3]}};
    o["capabilities"][caps[i % 4]] = 4.0 / orgs * 1.5;
    o["capabilities"][caps[(i + 1) % 4]] = 4.0 / orgs * 0.5;
    o["goal"] = {0.3 + 0.4 * ((i * 37) % 10) / 10.0, 0.3 + 0.4 * ((i * 53) % 10) / 10.0};
    doc["organizations"].push_back(o);
  }
  return doc;
}

void run_benchmark(benchmark::State& state, int orgs, long long units, const std::string& mode) {
  const p3sim::Scenario scenario = p3sim::load_scenario(synthetic(orgs, units, mode), "bench");
  std::uint64_t replicate = 0;
  double adopters = 0;
  for (auto _ : state) {
    p3sim::RunResult r = p3sim::run_once(scenario, p3sim::derive_run_seed(1, replicate++));
    adopters += r.final_metrics[p3sim::kFAdopters];
    benchmark::DoNotOptimize(r.final_metrics.data());
  }
  state.counters["adopters"] = benchmark::Counter(adopters, benchmark::Counter::kAvgIterations);
}

void BM_Run_20orgs_10k(benchmark::State& s) { run_benchmark(s, 20, 10000, s.range(0) == 0 ? "backbone" : "constellation"); }
BENCHMARK(BM_Run_20orgs_10k)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_Run_20orgs_1M(benchmark::State& s) { run_benchmark(s, 20, 1000000, "backbone"); }
BENCHMARK(BM_Run_20orgs_1M)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_Run_200orgs_10k(benchmark::State& s) { run_benchmark(s, 200, 10000, s.range(0) == 0 ? "backbone" : "constellation"); }
BENCHMARK(BM_Run_200orgs_10k)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
