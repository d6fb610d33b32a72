// libFuzzer target: a sweep file through the sweep command end to end (cli::run_main):
//   p3sim sweep IN.json --dry-run
//   p3sim sweep IN.json -o OUT.h5 --overwrite --threads 1 --no-progress   (small sweeps only)
//   p3sim summarize OUT.h5 --json, and --by the first parameter          (when the sweep wrote it)
// IN.json is written into a temporary folder where the scenario paths of the seeds resolve
// (FuzzCommon.hpp, input_dir()). Allowed: the sweep exits 0 or 2 (bad input with pointered
// errors); a run of a sweep that planned without error must not fail (status 2 in /runs/status);
// summarize of the file the sweep just wrote must exit 0.
//
// Bounded work per input, as in fuzz_sweep_file.cpp: sweeps of more than kMaxPoints (64) design points or 1000
// replications are skipped (the plan loads one scenario per point, slow by design); the dry run
// (three timed runs) only when those runs are small (steps x population/organizations); the real
// sweep only when it has at most kSweepRuns runs and the dry run's estimate is below kSweepBudgetMs.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "FuzzCommon.hpp"
#include "io/ResultReader.hpp"
#include "scenario/JsonReader.hpp"
#include "sweep/Design.hpp"
#include "sweep/SweepFile.hpp"
#include "sweep/SweepPlan.hpp"

namespace fz = p3sim::fuzz;

namespace {

constexpr std::int64_t kMaxPoints = 64;  // design points x pitfall sets (fuzz_sweep_file plans up to 256)
constexpr double kRunCostLimit = 2e6;    // steps x (population units + 50 x organizations) per timed run
constexpr double kSweepBudgetMs = 1000;  // estimated whole sweep (runs x ms per run of the dry run)
constexpr std::int64_t kSweepRuns = 64;  // runs of a sweep that is run for real

/// What the sweep will run, or nullopt when it is too large to try; `planned` says whether the
/// plan built without error (else the commands must fail with exit 2, quickly).
struct Bound {
  bool skip = false;
  bool planned = false;
  double run_cost = 0;  // the largest of the first three runs
  std::int64_t runs = 0;
};

Bound bound(const std::string& text, const std::string& path) {
  Bound b;
  const p3sim::JsonReadResult read = p3sim::parse_json_text(text, path);
  if (!read.parsed || !read.errors.empty()) return b;
  try {
    p3sim::SweepSpec spec = p3sim::load_sweep(read.value, path, fz::input_dir().string());
    if (spec.replications > 1000) return {true};
    if (p3sim::design_point_count(spec.parameters, spec.design) * static_cast<std::int64_t>(spec.pitfall_sets.size()) >
        kMaxPoints) {
      return {true};
    }
    const p3sim::SweepPlan plan(std::move(spec));
    b.planned = true;
    b.runs = plan.runs();
    for (std::int64_t i = 0; i < std::min<std::int64_t>(3, plan.runs()); ++i) {
      const p3sim::RunPlan p = plan.run(i);
      const p3sim::Scenario& s = *p.scenario;
      const double units = s.population.enabled ? static_cast<double>(s.population.units) : 0.0;
      b.run_cost = std::max(b.run_cost, (s.steps + 1.0) * (units + 50.0 * s.organization_count()));
    }
  } catch (const std::exception&) {
    // Bad input: the commands report it (fuzz_sweep_file checks that only InputError comes out).
  }
  return b;
}

/// "about 1.2 ms per run" of the dry run's report, or -1.
double ms_per_run(const std::string& out) {
  const std::size_t at = out.find("about ", out.find("expected file size"));
  const std::size_t ms = out.find(" ms per run", at);
  if (at == std::string::npos || ms == std::string::npos) return -1;
  return std::strtod(out.c_str() + at + 6, nullptr);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fz::input_dir();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const char* const target = "fuzz_command_sweep";
  const std::string text = fz::as_text(data, size);
  const std::string in = (fz::input_dir() / "fuzz_input.json").string();
  const std::string out = (fz::work_dir() / "sweep.h5").string();
  fz::write_file(in, text);
  const Bound b = bound(text, in);
  if (b.skip || b.run_cost > kRunCostLimit) return 0;

  const fz::CommandOutput dry = fz::run_command(target, {"sweep", in, "--dry-run"});
  fz::expect_clean_exit(target, dry, {0, 2}, {text, ""});
  if (dry.code != (b.planned ? 0 : 2)) {
    fz::report_finding(target, dry, b.planned ? "the plan builds, yet the dry run fails" : "the plan fails, yet the dry run succeeds");
  }
  if (dry.code != 0) return 0;
  const double per_run = ms_per_run(dry.out);
  if (per_run < 0) fz::report_finding(target, dry, "the dry run printed no time per run");
  if (b.runs > kSweepRuns || per_run * static_cast<double>(b.runs) > kSweepBudgetMs) return 0;

  const fz::CommandOutput sweep =
      fz::run_command(target, {"sweep", in, "-o", out, "--overwrite", "--threads", "1", "--no-progress"});
  fz::expect_clean_exit(target, sweep, {0}, {text, ""});

  std::vector<std::string> params;
  try {
    const p3sim::ResultReader reader(out);
    const p3sim::RunsTable runs = reader.runs();
    for (std::size_t r = 0; r < runs.status.size(); ++r) {
      if (runs.status[r] != p3sim::RunStatus::Done) {
        fz::report_finding(target, sweep, "run " + std::to_string(r) + " of a planned sweep is not done: " +
                                              runs.message[r]);
      }
    }
    params = reader.layout().params;
  } catch (const std::exception& e) {
    fz::report_finding(target, sweep, std::string("cannot read the file the sweep wrote: ") + e.what());
  }
  const fz::CommandOutput sum = fz::run_command(target, {"summarize", out, "--json"});
  fz::expect_clean_exit(target, sum, {0}, {text, out});
  if (!params.empty()) {
    const fz::CommandOutput by = fz::run_command(target, {"summarize", out, "--by", params.front()});
    fz::expect_clean_exit(target, by, {0}, {text, out});
  }
  return 0;
}
