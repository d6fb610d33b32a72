// `p3sim calibrate CAL.json -o POST.h5`: ABC-SMC calibration of scenario parameters to observed
// statistics (docs/calibration.md), on the sweep machinery: the runs of a generation go through an
// Ensemble (ordered thread pool) or, under mpirun, to the other ranks, and particles are accepted
// in proposal order, so the posterior file is the same whatever --threads or the rank count.
//
// The file is rewritten whole (atomically) after every generation, so a calibration stopped by
// SIGINT/SIGTERM or killed keeps every generation it completed, and --resume continues from there
// with the numbers an uninterrupted calibration would have had.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "cli/CommandLine.hpp"
#include "cli/Commands.hpp"
#include "cli/StopSignals.hpp"
#include "io/OutputLock.hpp"
#include "io/PosteriorFile.hpp"
#include "io/ResultLayout.hpp"
#include "io/Provenance.hpp"
#include "sweep/Calibration.hpp"
#include "sweep/Ensemble.hpp"
#include "sweep/Progress.hpp"
#include "sweep/SweepFile.hpp"
#if P3SIM_MPI
#include "mpi/CalibrationBroadcast.hpp"
#include "mpi/MpiSession.hpp"
#include "mpi/SweepCoordinator.hpp"
#include "mpi/SweepWorker.hpp"
#endif

namespace p3sim::cli {
namespace {

struct CalibrateOptions {
  std::string file;
  std::string output;
  int threads = 0;
  bool overwrite = false;
  bool resume = false;
  bool dry_run = false;
  bool no_progress = false;
};

int thread_count(const CalibrateOptions& opt) {
  return opt.threads > 0 ? opt.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

std::string counted(std::int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

EnsembleSummary run_here(const std::vector<std::int64_t>& jobs, const std::function<RunResult(std::int64_t)>& job,
                         const EnsembleSink& sink, const EnsembleOptions& options) {
  return run_ensemble(
      static_cast<std::int64_t>(jobs.size()), [&](std::int64_t i) { return job(jobs[static_cast<std::size_t>(i)]); },
      sink, options);
}

// The base scenario as stored in the file: resolved with the calibration's steps and pitfalls.
std::string base_scenario_json(const CalibrationSpec& spec) {
  ScenarioEdits base;
  if (spec.steps) base.sets.push_back(set_text("/steps", *spec.steps));
  base.pitfalls = spec.pitfalls;
  return resolve_scenario_document(spec.scenario, spec.scenario_origin, base).dump();
}

void dry_run(const Calibration& calibration, int threads) {
  const CalibrationSpec& spec = calibration.spec();
  std::printf("%s: %s, %s, %s per generation, at most %s\n", spec.file.c_str(),
              counted(static_cast<std::int64_t>(spec.parameters.size()), "parameter").c_str(),
              counted(static_cast<std::int64_t>(spec.targets.size()), "target value").c_str(),
              counted(spec.abc.particles, "particle").c_str(), counted(spec.abc.generations, "generation").c_str());
  for (const CalibrationParameter& p : spec.parameters) {
    std::printf("  %-40s %s\n", p.pointer.c_str(), p.prior.json().dump().c_str());
  }
  // Time a few prior draws to estimate generation 0, which runs particles x replications runs.
  const Proposal prior = calibration.proposal(0);
  const int samples = 3;
  double seconds = 0;
  for (int i = 0; i < samples; ++i) {
    const auto start = std::chrono::steady_clock::now();
    (void)calibration.run_job(prior, 0, i * spec.abc.replications);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const double per_run = seconds / samples;
  const auto first = static_cast<double>(spec.abc.particles * spec.abc.replications);
  char when[32];
  std::printf("about %.1f ms per run; generation 0 runs %.0f runs, about %s with %s\n", per_run * 1e3, first,
              format_duration(per_run * first / threads, when, sizeof when), counted(threads, "thread").c_str());
  std::printf("each later generation runs particles / acceptance rate proposals: at 20%% acceptance about %s\n",
              format_duration(per_run * first / 0.2 / threads, when, sizeof when));
}

// One line on stderr while a generation runs (at most every half second, on a terminal).
class GenerationMeter {
 public:
  GenerationMeter(bool enabled, std::int64_t particles) : enabled_(enabled && isatty(STDERR_FILENO)), n_(particles) {}
  void update(int generation, std::int64_t accepted, std::int64_t simulated) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    std::fprintf(stderr, "\r  generation %d: %lld of %lld particles accepted, %lld proposals simulated   ", generation,
                 static_cast<long long>(accepted), static_cast<long long>(n_), static_cast<long long>(simulated));
    shown_ = true;
  }
  void clear() {
    if (shown_) std::fprintf(stderr, "\r%80s\r", "");
    shown_ = false;
  }

 private:
  bool enabled_;
  std::int64_t n_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

std::string reason_text(const std::string& reason) {
  if (reason == "generations") return "the last generation allowed by abc.generations";
  if (reason == "tolerance") return "the tolerance reached abc.min_tolerance";
  if (reason == "acceptance") return "acceptance fell below abc.min_acceptance (that generation was not kept)";
  if (reason == "budget") return "the simulation budget abc.max_simulations was spent";
  return reason;
}

// Makes the runner of a calibration: its own threads, or (rank 0 under mpirun) the other ranks.
using RunnerFactory = std::function<CalibrationRunner(const Calibration&)>;

CalibrationRunner threads_runner(const Calibration&) { return run_here; }

void calibrate(const CalibrateOptions& opt, const RunnerFactory& make_runner) {
  StopSignals signals;
  Calibration calibration(load_calibration_file(opt.file));
  const CalibrationRunner runner = make_runner(calibration);
  const CalibrationSpec& spec = calibration.spec();
  const int threads = thread_count(opt);
  if (opt.dry_run) {
    dry_run(calibration, threads);
    return;
  }
  if (opt.output.empty()) throw input_error("required", "p3sim calibrate", "-o POST.h5", "no output file");
  const std::string calibration_json = spec.json_text(), scenario_json = base_scenario_json(spec);
  const OutputLock lock(opt.output);
  Provenance provenance = Provenance::current(command_line(), scenario_json, "", spec.seed);
  const bool resume = opt.resume && std::filesystem::exists(opt.output);
  if (opt.resume && !resume) {
    std::fprintf(stderr, "p3sim: note: %s does not exist yet; starting the calibration\n", opt.output.c_str());
  }
  if (resume) {
    PosteriorData stored;
    try {
      stored = read_posterior_file(opt.output);
    } catch (const OutputError& e) {
      throw input_error("damaged_file", opt.output, "a posterior file of p3sim calibrate that --resume can continue",
                        e.what(), "use --overwrite to start again");
    }
    if (stored.calibration_json != calibration_json || stored.provenance.scenario_json != scenario_json) {
      throw input_error("resume_mismatch", opt.output, "a file written by this calibration and scenario",
                        "a file of another calibration or scenario",
                        "the calibration or its scenario changed since; use --overwrite to start again");
    }
    calibration.restore(stored);
    provenance = stored.provenance;
    if (calibration.finished()) {
      std::fprintf(stderr, "p3sim: %s is complete (%s): nothing to resume\n", opt.output.c_str(),
                   reason_text(calibration.stop_reason()).c_str());
      return;
    }
    std::fprintf(stderr, "p3sim: resuming %s after generation %d\n", opt.output.c_str(), calibration.next_generation() - 1);
  } else {
    check_output_path(opt.output, opt.overwrite);
    write_posterior_file(opt.output, calibration.data(provenance));
  }

  EnsembleOptions options;
  options.threads = threads;
  options.stop = &StopSignals::flag();
  const bool progress = !opt.no_progress;
  GenerationMeter meter(progress, spec.abc.particles);
  const auto started = std::chrono::steady_clock::now();
  while (!calibration.finished()) {
    const int g = calibration.next_generation();
    const auto begin = std::chrono::steady_clock::now();
    const bool ended = calibration.run_generation(
        runner, options, [&](int gen, std::int64_t accepted, std::int64_t simulated) { meter.update(gen, accepted, simulated); });
    meter.clear();
    if (!ended) {
      const std::string message = "calibration stopped in generation " + std::to_string(g) + "; " + opt.output +
                                  " holds the " + counted(g, "generation") + " completed, and `p3sim calibrate " +
                                  opt.file + " -o " + opt.output + " --resume` continues it";
      StopSignals::throw_if_stopped(message);
      throw std::runtime_error(message);
    }
    write_posterior_file(opt.output, calibration.data(provenance));
    if (progress && calibration.next_generation() > g) {
      const AbcGeneration& gen = calibration.generations().back();
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
      std::fprintf(stderr,
                   "generation %d: tolerance %.4g, %lld of %lld proposals accepted (%.1f%%), ESS %.0f, %lld runs in "
                   "%.1f s (%.0f runs/s)\n",
                   g, gen.tolerance, static_cast<long long>(gen.size()), static_cast<long long>(gen.simulated),
                   100.0 * gen.acceptance_rate(), gen.ess(), static_cast<long long>(gen.simulations), seconds,
                   seconds > 0 ? static_cast<double>(gen.simulations) / seconds : 0.0);
    }
  }
  if (progress) {
    char when[32];
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "p3sim: calibration finished after %s: %s; %lld runs in %s. Read it with `p3sim summarize %s`\n",
                 counted(calibration.next_generation(), "generation").c_str(),
                 reason_text(calibration.stop_reason()).c_str(), static_cast<long long>(calibration.simulations()),
                 format_duration(seconds, when, sizeof when), opt.output.c_str());
  }
}

#if P3SIM_MPI
// Rank 0: the calibration with its runs on the other ranks. Before each batch of runs the workers
// get the generation the proposals perturb (mpi/CalibrationBroadcast.hpp); at the end, a release.
void coordinate(const CalibrateOptions& opt) {
  try {
    calibrate(opt, [](const Calibration& calibration) -> CalibrationRunner {
      return [&calibration](const std::vector<std::int64_t>& jobs, const std::function<RunResult(std::int64_t)>&,
                            const EnsembleSink& sink, const EnsembleOptions& options) {
        mpi::broadcast_generation(calibration, calibration.next_generation());
        return mpi::coordinate_sweep(jobs, sink, options);
      };
    });
  } catch (...) {
    mpi::broadcast_done();
    throw;
  }
  mpi::broadcast_done();
}

// A worker rank: loads the calibration itself (from the same file) and runs what rank 0 hands out.
void work(const CalibrateOptions& opt) {
  StopSignals signals;
  std::optional<Calibration> calibration;
  std::string error;
  try {
    calibration.emplace(load_calibration_file(opt.file));
  } catch (const std::exception& e) {
    error = e.what();
  }
  mpi::serve_calibration(calibration ? &*calibration : nullptr, error, thread_count(opt), &StopSignals::flag());
}

void calibrate_command(const CalibrateOptions& opt) {
  if (mpi::run_on_ranks([&] { coordinate(opt); }, [&] { work(opt); })) return;
  calibrate(opt, threads_runner);
}
#else
void calibrate_command(const CalibrateOptions& opt) { calibrate(opt, threads_runner); }
#endif

}  // namespace

void add_calibrate_command(CLI::App& app) {
  auto opt = std::make_shared<CalibrateOptions>();
  CLI::App* cmd = app.add_subcommand("calibrate", "ABC-SMC calibration of scenario parameters to observed targets");
  cmd->add_option("calibration", opt->file, "Calibration file (JSON)")->required();
  cmd->add_option("-o,--output", opt->output, "HDF5 posterior file (required unless --dry-run)");
  cmd->add_option("--threads", opt->threads, "Worker threads (default: hardware concurrency)")->check(CLI::Range(1, 4096));
  cmd->add_flag("--overwrite", opt->overwrite, "Replace an existing output file");
  cmd->add_flag("--resume", opt->resume, "Continue an interrupted calibration from the generations in POST.h5");
  cmd->add_flag("--dry-run", opt->dry_run, "Print the parameters, targets and time estimates; write nothing");
  cmd->add_flag("--no-progress", opt->no_progress, "Do not report progress on stderr");
  cmd->callback([opt]() { calibrate_command(*opt); });
}

}  // namespace p3sim::cli
