// Calibration against a plain sweep of the same runs (issue 14: the overhead of ABC-SMC should be
// a few percent). Both use the bundled Colombia calibration's four parameters and the same thread
// pool (run_ensemble); neither writes a file (the posterior file is rewritten once a generation,
// microseconds against seconds of runs; the sweep's HDF5 writer is benchmarked in
// result_writer_bench.cpp).
//   BM_CalibrationGenerations/T  generations 0-2 of the Colombia calibration (100 particles) on T
//                                threads; items = runs
//   BM_SweepSameRuns/T           the same number of runs as a random design over the same four
//                                parameters (one run per point, the sweep's own plan); items = runs
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

CalibrationSpec small_calibration() {
  CalibrationSpec spec = load_calibration_file(kCalibration);
  spec.abc.particles = 100;
  spec.abc.generations = 3;
  return spec;
}

EnsembleSummary on_threads(const std::vector<std::int64_t>& jobs, const std::function<RunResult(std::int64_t)>& job,
                           const EnsembleSink& sink, const EnsembleOptions& options) {
  return run_ensemble(
      static_cast<std::int64_t>(jobs.size()), [&](std::int64_t i) { return job(jobs[static_cast<std::size_t>(i)]); },
      sink, options);
}

std::int64_t calibration_runs() {
  Calibration c(small_calibration());
  EnsembleOptions options;
  while (!c.finished()) c.run_generation(on_threads, options);
  return c.simulations();
}

void BM_CalibrationGenerations(benchmark::State& state) {
  EnsembleOptions options;
  options.threads = static_cast<int>(state.range(0));
  std::int64_t runs = 0;
  for (auto _ : state) {
    Calibration c(small_calibration());
    while (!c.finished()) c.run_generation(on_threads, options);
    runs += c.simulations();
  }
  state.SetItemsProcessed(runs);
}
BENCHMARK(BM_CalibrationGenerations)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SweepSameRuns(benchmark::State& state) {
  const CalibrationSpec cal = small_calibration();
  SweepSpec spec;
  spec.scenario = cal.scenario;
  spec.scenario_origin = cal.scenario_origin;
  spec.design.type = DesignType::Random;
  spec.design.samples = calibration_runs();
  for (const CalibrationParameter& p : cal.parameters) {
    ParameterSpec s;
    s.pointer = p.pointer;
    s.kind = ParameterSpec::Kind::Continuous;
    s.min = p.prior.low;
    s.max = p.prior.high;
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
