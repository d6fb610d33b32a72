// Calibration against a plain sweep of the same runs (issue 14: the overhead of ABC-SMC should be
// a few percent). Both use the bundled Colombia calibration's four parameters and the same thread
// pool (run_ensemble); neither writes a file (the posterior file is rewritten once a generation,
// microseconds against seconds of runs; the sweep's HDF5 writer is benchmarked in
// result_writer_bench.cpp).
//   BM_CalibrationGenerations/T/C  generations 0-4 of the Colombia calibration (200 particles, about 2,700 runs) on
//                                T threads, with common random numbers (C = 1) or not; items = runs
//   BM_SweepSameRuns/T           a plain sweep of the same runs: an explicit points design of the
//                                values of every proposal the calibration simulated, one run each
//                                (the sweep's own plan, which keeps its first 256 points' scenarios
//                                built: they cost it nothing); items = runs. Run costs differ across
//                                the parameter space and the seeds, so only the same points compare.
// Compare the items_per_second of the two.
#include <benchmark/benchmark.h>

#include <string>

#include "run/Simulation.hpp"
#include "sweep/Calibration.hpp"
#include "sweep/Ensemble.hpp"
#include "sweep/SweepPlan.hpp"

namespace p3sim {
namespace {

const std::string kCalibration = std::string(P3SIM_SOURCE_DIR) + "/scenarios/calibration/colombia_crop_substitution.json";

// With common random numbers every particle runs with the seed of replicate 0 of master seed
// `seed`, the seed a plain sweep gives all its points: run costs vary with the seed too, so that
// is the comparison with BM_SweepSameRuns that measures only the calibration's own work.
CalibrationSpec small_calibration(bool common_random_numbers = true) {
  CalibrationSpec spec = load_calibration_file(kCalibration);
  spec.abc.particles = 200;
  spec.abc.generations = 5;
  spec.abc.common_random_numbers = common_random_numbers;
  return spec;
}

EnsembleSummary on_threads(const std::vector<std::int64_t>& jobs, const std::function<RunResult(std::int64_t)>& job,
                           const EnsembleSink& sink, const EnsembleOptions& options) {
  return run_ensemble(
      static_cast<std::int64_t>(jobs.size()), [&](std::int64_t i) { return job(jobs[static_cast<std::size_t>(i)]); },
      sink, options);
}

// The parameter values of every proposal the calibration simulated, in order: each generation's
// proposals drawn again from their seeds, those inside the prior, up to the last one decided.
std::vector<std::vector<double>> simulated_proposals() {
  Calibration c(small_calibration());
  EnsembleOptions options;
  while (!c.finished()) c.run_generation(on_threads, options);
  std::vector<std::vector<double>> out;
  for (int g = 0; g < c.next_generation(); ++g) {
    const Proposal proposal = c.proposal(g);
    const AbcGeneration& gen = c.generations()[static_cast<std::size_t>(g)];
    for (std::int64_t a = 0; a < gen.attempts; ++a) {
      const Proposal::Draw d = proposal.draw(proposal_seed(c.spec().seed, g, a));
      if (d.in_support) out.push_back(d.natural);
    }
  }
  return out;
}

void BM_CalibrationGenerations(benchmark::State& state) {
  EnsembleOptions options;
  options.threads = static_cast<int>(state.range(0));
  std::int64_t runs = 0;
  for (auto _ : state) {
    Calibration c(small_calibration(state.range(1) != 0));
    while (!c.finished()) c.run_generation(on_threads, options);
    runs += c.simulations();
  }
  state.SetItemsProcessed(runs);
}
BENCHMARK(BM_CalibrationGenerations)
    ->Args({1, 1})->Args({2, 1})->Args({1, 0})->Args({2, 0})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SweepSameRuns(benchmark::State& state) {
  const CalibrationSpec cal = small_calibration();
  const std::vector<std::vector<double>> points = simulated_proposals();
  SweepSpec spec;
  spec.scenario = cal.scenario;
  spec.scenario_origin = cal.scenario_origin;
  spec.seed = cal.seed;
  spec.design.type = DesignType::Points;
  for (std::size_t i = 0; i < cal.parameters.size(); ++i) {
    ParameterSpec s;
    s.pointer = cal.parameters[i].pointer;
    for (const auto& point : points) s.values.emplace_back(point[i]);
    spec.parameters.push_back(s);
  }
  const SweepPlan plan(spec);
  EnsembleOptions options;
  options.threads = static_cast<int>(state.range(0));
  std::int64_t runs = 0;
  for (auto _ : state) {
    run_ensemble(
        plan.runs(),
        [&](std::int64_t run) {
          const RunPlan p = plan.run(run);
          return run_once(*p.scenario, p.seed);
        },
        [&](std::int64_t, RunResult& r) { benchmark::DoNotOptimize(r.final_metrics.data()); }, options);
    runs += plan.runs();
  }
  state.SetItemsProcessed(runs);
}
BENCHMARK(BM_SweepSameRuns)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Where a calibration run's extra cost goes: loading (validating) the particle's scenario, against
// rebuilding it unvalidated (what a sweep does past its first 256 points) and the run itself.
void BM_ParticleScenarioLoad(benchmark::State& state) {
  const CalibrationSpec cal = small_calibration();
  const ScenarioEdits edits = cal.edits({0.001, 0.001, 0.1, 0.05});
  for (auto _ : state) {
    if (state.range(0) == 0) {
      benchmark::DoNotOptimize(load_scenario(cal.scenario, cal.scenario_origin, edits));
    } else {
      benchmark::DoNotOptimize(reload_scenario(cal.scenario, edits));
    }
  }
}
BENCHMARK(BM_ParticleScenarioLoad)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_ParticleRun(benchmark::State& state) {
  const CalibrationSpec cal = small_calibration();
  const Scenario scenario = load_scenario(cal.scenario, cal.scenario_origin, cal.edits({0.001, 0.001, 0.1, 0.05}));
  std::uint64_t seed = 0;
  for (auto _ : state) benchmark::DoNotOptimize(run_once(scenario, ++seed));
}
BENCHMARK(BM_ParticleRun)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace p3sim
