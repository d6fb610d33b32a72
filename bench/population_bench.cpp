// Population benchmarks: network construction and a 120-step run (ten years of months) at 10^4 units
// (a district) and 10^6 units (a country), the sizes MODEL.md section 8 asks the population to handle.
// Support is fixed at a moderate level so adoption, relapse and re-adoption all stay active.
#include <cstdint>

#include <benchmark/benchmark.h>

#include "model/Population.hpp"
#include "model/SmallWorldNetwork.hpp"
#include "random/RandomStreams.hpp"
#include "scenario/Scenario.hpp"

namespace {

using p3sim::Engine;
using p3sim::Population;
using p3sim::PopulationParams;
using p3sim::SmallWorldNetwork;

constexpr int kSteps = 120;

PopulationParams bench_params(std::int64_t units) {
  PopulationParams p;  // scenario defaults (degree 6, rewire 0.1, ...)
  p.enabled = true;
  p.units = units;
  p.initial_adopters = 0.01;
  return p;
}

void BM_NetworkBuild(benchmark::State& state) {
  const std::int64_t units = state.range(0);
  for (auto _ : state) {
    Engine rng(20261124);
    SmallWorldNetwork g(units, 6, 0.1, rng);
    benchmark::DoNotOptimize(g.adjacency().data());
    state.counters["bytes"] = static_cast<double>(g.memory_bytes());
  }
  state.SetItemsProcessed(state.iterations() * units);
}
BENCHMARK(BM_NetworkBuild)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Steps only: the population is rebuilt outside the timed region for every iteration so each one
// starts from the same state.
void BM_Population120Steps(benchmark::State& state) {
  const std::int64_t units = state.range(0);
  const PopulationParams params = bench_params(units);
  const Population::Drivers drivers{0.5, params.market_base + 0.2, false};
  double adopters = 0, bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Engine setup(1), rng(2);
    Population pop(params, setup);
    state.ResumeTiming();
    for (int t = 0; t < kSteps; ++t) pop.step(drivers, rng);
    adopters = static_cast<double>(pop.adopters());
    bytes = static_cast<double>(pop.memory_bytes());
  }
  state.counters["adopters"] = adopters;
  state.counters["bytes"] = bytes;
  // Seconds per unit-step (printed with an SI prefix, e.g. 5n = 5 ns).
  state.counters["s_per_unit_step"] = benchmark::Counter(
      static_cast<double>(units) * kSteps,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(state.iterations() * units * kSteps);
}
BENCHMARK(BM_Population120Steps)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// The population's whole share of a run: build, seed, 120 steps with forced conversion from step 12.
void BM_PopulationWholeRun(benchmark::State& state) {
  const std::int64_t units = state.range(0);
  PopulationParams params = bench_params(units);
  params.forced = true;
  for (auto _ : state) {
    Engine setup(1), rng(2);
    Population pop(params, setup);
    for (int t = 0; t < kSteps; ++t) pop.step({0.5, params.market_base + 0.2, t >= 12}, rng);
    benchmark::DoNotOptimize(pop.adopters());
  }
  state.SetItemsProcessed(state.iterations() * units * kSteps);
}
BENCHMARK(BM_PopulationWholeRun)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
