// `p3sim sweep SWEEP.json -o OUT.h5`: every run of a sweep, in parallel, into one HDF5 file.
//
// Runs are executed by an Ensemble (ordered thread pool) and written in run order by a single
// writer, so the file is the same whatever --threads is. The file is written in place and flushed
// regularly: a sweep stopped by SIGINT/SIGTERM or a failure leaves a valid file in which unfinished
// runs are pending, and --resume completes it.
//
// Under mpirun (builds with P3SIM_MPI), rank 0 does all of the above but hands the runs to the other
// ranks (mpi/SweepCoordinator.hpp) instead of running them on its own threads; the file is the same.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "cli/CommandLine.hpp"
#include "cli/Commands.hpp"
#include "cli/PlanningProgress.hpp"
#include "cli/StopSignals.hpp"
#include "io/Provenance.hpp"
#include "io/ResultReader.hpp"
#include "io/OutputLock.hpp"
#include "io/ResultWriter.hpp"
#include "sweep/Ensemble.hpp"
#include "sweep/Progress.hpp"
#include "run/Simulation.hpp"
#include "sweep/SweepFile.hpp"
#include "sweep/SweepPlan.hpp"
#include "scenario/ValidationError.hpp"
#if P3SIM_MPI
#include "mpi/MpiSession.hpp"
#include "mpi/SweepCoordinator.hpp"
#include "mpi/SweepWorker.hpp"
#endif

namespace p3sim::cli {
namespace {

struct SweepOptions {
  std::string sweep;
  std::string output;
  int threads = 0;
  bool overwrite = false;
  bool no_progress = false;
  bool dry_run = false;
  bool resume = false;
  std::string on_error = "continue";
};

// Run `run` of the plan; a failure (building a design point's scenario again included) becomes a
// Failed result carrying the run's seed and the message.
RunResult execute(const SweepPlan& plan, std::int64_t run) {
  try {
    const RunPlan p = plan.run(run);
    return run_once(*p.scenario, p.seed);
  } catch (const std::exception& e) {
    RunResult failed;
    failed.seed = plan.seed_of(run);
    failed.status = RunStatus::Failed;
    failed.message = e.what();
    return failed;
  }
}

// Bytes one done run adds to the file, roughly (uncompressed).
double bytes_per_run(const ResultLayout& layout, double events_per_run) {
  const double states = static_cast<double>(layout.recorded_steps().size());
  double bytes = 8.0 * 4 + 8.0 * static_cast<double>(layout.params.size()) + 8.0 * kFinalCount;
  for (const char* m : kSeriesMetrics) {
    if (layout.records(m)) bytes += 8.0 * states;
  }
  for (const char* m : kSectorSeriesMetrics) {
    if (layout.records(m)) bytes += 8.0 * states * static_cast<double>(layout.sectors.size());
  }
  const double orgs = static_cast<double>(layout.orgs.size());
  bytes += orgs * (8.0 * kOrgFieldCount + 16.0 * static_cast<double>(layout.dims.size()));
  if (layout.events) bytes += 26.0 * events_per_run;
  return bytes;
}

// "1 run", "2 runs".
std::string counted(std::int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

void dry_run(const SweepPlan& plan, int threads) {
  const ResultLayout layout = plan.layout();
  // Time a few runs of different points to estimate the whole sweep.
  const std::int64_t samples = std::min<std::int64_t>(3, plan.runs());
  double seconds = 0, events = 0;
  for (std::int64_t i = 0; i < samples; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const RunResult r = execute(plan, i);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    events += static_cast<double>(r.events.size());
  }
  const double per_run = seconds / static_cast<double>(samples);
  const double total = per_run * static_cast<double>(plan.runs()) / threads;
  const double size = bytes_per_run(layout, events / static_cast<double>(samples)) * static_cast<double>(plan.runs());
  char when[32];
  std::printf("%s (%s x %s)\n", counted(plan.runs(), "run").c_str(), counted(plan.points(), "design point").c_str(),
              counted(plan.spec().replications, "replication").c_str());
  if (size < 1e6) {
    std::printf("expected file size about %.0f kB\n", size / 1e3);
  } else {
    std::printf("expected file size about %.1f MB\n", size / 1e6);
  }
  std::printf("about %.1f ms per run; about %s with %s (from %s)\n", per_run * 1e3,
              format_duration(total, when, sizeof when), counted(threads, "thread").c_str(),
              counted(samples, "timed run").c_str());
}

// Refuses to resume a file written for another sweep or scenario.
void check_resumable(const std::string& path, const std::string& sweep_json, const std::string& scenario_json) {
  const Provenance stored = ResultReader(path).provenance();
  if (stored.sweep_json != sweep_json) {
    throw input_error("resume_mismatch", path, "a file written by this sweep", "a file of another sweep",
                      "the sweep file changed since; use --overwrite to start again");
  }
  if (stored.scenario_json != scenario_json) {
    throw input_error("resume_mismatch", path, "a file written from this scenario",
                      "a file of another scenario", "the scenario changed since; use --overwrite to start again");
  }
}

int thread_count(const SweepOptions& opt) {
  return opt.threads > 0 ? opt.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// Runs `todo` (run indices, in run order) and hands result i to the sink in order of i: on this
// process's threads, or on other MPI ranks.
using Runner = std::function<EnsembleSummary(const SweepPlan& plan, const std::vector<std::int64_t>& todo,
                                             const EnsembleSink& sink, const EnsembleOptions& options)>;

RunResult execute_fitted(const SweepPlan& plan, std::int64_t run) {
  RunResult result = execute(plan, run);
  plan.fit_to_layout(result);
  return result;
}

EnsembleSummary run_here(const SweepPlan& plan, const std::vector<std::int64_t>& todo, const EnsembleSink& sink,
                         const EnsembleOptions& options) {
  return run_ensemble(
      static_cast<std::int64_t>(todo.size()),
      [&](std::int64_t i) { return execute_fitted(plan, todo[static_cast<std::size_t>(i)]); }, sink, options);
}

// Loads and plans the sweep, with progress when planning takes a while (every design point is
// loaded and checked: about a millisecond each) and a stop on SIGINT/SIGTERM.
SweepPlan plan_sweep(const SweepOptions& opt) {
  PlanningProgress progress(!opt.no_progress, [] {
    StopSignals::throw_if_stopped("sweep stopped while its design points were checked; nothing was written");
  });
  SweepPlan plan(load_sweep_file(opt.sweep), progress.observer());
  progress.finish();
  return plan;
}

void sweep(const SweepOptions& opt, const Runner& runner) {
  if (opt.on_error != "continue" && opt.on_error != "stop") {
    throw input_error("enum", "--on-error", "\"continue\" or \"stop\"", "\"" + opt.on_error + "\"");
  }
  // From the first moment: a signal while the sweep is read and planned stops it there, and one
  // while the file is created leaves a complete file, never the default action's half-made one.
  StopSignals signals;
  const SweepPlan plan = plan_sweep(opt);
  const int threads = thread_count(opt);
  if (opt.dry_run) {
    dry_run(plan, threads);
    return;
  }
  if (opt.output.empty()) throw input_error("required", "p3sim sweep", "-o OUT.h5", "no output file");

  const ResultLayout layout = plan.layout();
  const std::string sweep_json = plan.spec().json_text();
  const std::string scenario_json = plan.base_resolved().dump();
  // One writer per file, even where HDF5's own locking is off (io/OutputLock.hpp): a second sweep,
  // --resume or --overwrite of a file being written is refused before it touches the file.
  const OutputLock lock(opt.output);
  StopSignals::throw_if_stopped("sweep stopped before it started; nothing was written");
  std::optional<ResultWriter> writer;
  // --resume without a file starts the sweep: a job killed before its file was created (or a
  // cluster job requeued with the same command line) then simply begins.
  const bool resume = opt.resume && std::filesystem::exists(opt.output);
  if (opt.resume && !resume) {
    std::fprintf(stderr, "p3sim: note: %s does not exist yet; starting the sweep from its first run\n",
                 opt.output.c_str());
  }
  if (resume) {
    try {
      check_resumable(opt.output, sweep_json, scenario_json);
      writer.emplace(ResultWriter::open_existing(opt.output, layout));
    } catch (const OutputError& e) {
      // HDF5's messages name a dataset, not the file; a file that cannot be resumed is named.
      const std::string text = e.what();
      if (text.find(opt.output) != std::string::npos) throw;
      throw input_error("damaged_file", opt.output, "a p3sim sweep file that --resume can complete", text,
                        "use --overwrite to start the sweep again");
    }
  } else {
    check_output_path(opt.output, opt.overwrite);
    writer.emplace(opt.output, layout, Provenance::current(command_line(), scenario_json, sweep_json, plan.spec().seed),
                   opt.overwrite, WriteMode::InPlace);
  }

  // The file's structure reaches the disk before the first run, so that even a killed sweep
  // leaves a file --resume can open.
  writer->flush();

  std::vector<std::int64_t> todo;  // run indices still to do, in run order
  for (std::int64_t run = 0; run < plan.runs(); ++run) {
    if (writer->status(run) != RunStatus::Done) todo.push_back(run);
  }
  if (todo.empty()) {
    writer->close();
    std::fprintf(stderr, "p3sim: %s is complete: all %s are done, nothing to resume\n", opt.output.c_str(),
                 counted(plan.runs(), "run").c_str());
    return;
  }

  Progress progress(static_cast<std::int64_t>(todo.size()), !opt.no_progress, isatty(STDERR_FILENO) != 0);
  EnsembleOptions options;
  options.threads = threads;
  options.stop_on_error = opt.on_error == "stop";
  options.stop = &StopSignals::flag();
  auto last_flush = std::chrono::steady_clock::now();
  const EnsembleSummary summary = runner(
      plan, todo,
      [&](std::int64_t i, RunResult& result) {
        const std::int64_t run = todo[static_cast<std::size_t>(i)], point = plan.point_of(run);
        writer->write_run(run, point, plan.replicate_of(run), result, plan.param_values(point));
        // Bounds what a crash (kill -9 skips every destructor) can lose.
        const auto now = std::chrono::steady_clock::now();
        if (now - last_flush > std::chrono::seconds(1)) {
          writer->flush();
          last_flush = now;
        }
        progress.update(i + 1);
      },
      options);
  writer->close();
  progress.finish(summary.delivered);

  if (summary.failed > 0) {
    std::fprintf(stderr, "p3sim: warning: %lld of %lld runs failed (status 2, message in /runs/message)\n",
                 static_cast<long long>(summary.failed), static_cast<long long>(summary.delivered));
  }
  if (summary.stopped) {
    const std::int64_t left = static_cast<std::int64_t>(todo.size()) - summary.delivered;
    const std::string message = "sweep stopped with " + std::to_string(left) + " runs not done; " + opt.output +
                                " is valid, and `p3sim sweep " + opt.sweep + " -o " + opt.output +
                                " --resume` completes it";
    StopSignals::throw_if_stopped(message);
    throw std::runtime_error(message);  // stopped by --on-error stop
  }
}

#if P3SIM_MPI
// Rank 0 of an MPI sweep: everything a sweep does, with the runs on the other ranks. Whatever ends
// the sweep before its runs are handed out (a dry run, bad input) releases the workers first.
void coordinate(const SweepOptions& opt) {
  bool released = false;
  try {
    sweep(opt, [&](const SweepPlan&, const std::vector<std::int64_t>& todo, const EnsembleSink& sink,
                   const EnsembleOptions& options) {
      released = true;
      return mpi::coordinate_sweep(todo, sink, options);
    });
  } catch (...) {
    if (!released) mpi::release_workers();
    throw;
  }
  if (!released) mpi::release_workers();
}

// A worker rank: loads the sweep itself (from the same file) and runs what rank 0 hands out. Errors
// go to rank 0, which reports them; a worker prints nothing.
void work(const SweepOptions& opt) {
  StopSignals signals;
  std::optional<SweepPlan> plan;
  std::string error;
  try {
    plan.emplace(load_sweep_file(opt.sweep));
  } catch (const std::exception& e) {
    error = e.what();
  }
  mpi::serve_sweep(error, thread_count(opt), [&](std::int64_t run) { return execute_fitted(*plan, run); },
                   &StopSignals::flag());
}
#endif

void sweep_command(const SweepOptions& opt) {
#if P3SIM_MPI
  // Only under an MPI launcher; otherwise this binary is the plain one.
  if (mpi::run_on_ranks([&] { coordinate(opt); }, [&] { work(opt); })) return;
#endif
  sweep(opt, run_here);
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto opt = std::make_shared<SweepOptions>();
  CLI::App* cmd = app.add_subcommand("sweep", "Run every design point and replicate of a sweep into one HDF5 file");
  cmd->add_option("sweep", opt->sweep, "Sweep file (JSON)")->required();
  cmd->add_option("-o,--output", opt->output, "HDF5 result file (required unless --dry-run)");
  cmd->add_option("--threads", opt->threads, "Worker threads (default: hardware concurrency)")->check(CLI::Range(1, 4096));
  cmd->add_flag("--overwrite", opt->overwrite, "Replace an existing output file");
  cmd->add_flag("--no-progress", opt->no_progress, "Do not report progress on stderr");
  cmd->add_flag("--dry-run", opt->dry_run, "Print run count, file size and time estimates; write nothing");
  cmd->add_flag("--resume", opt->resume, "Complete an interrupted sweep: run only runs not done in OUT.h5");
  cmd->add_option("--on-error", opt->on_error, "After a failed run: continue (default) or stop");
  cmd->callback([opt]() { sweep_command(*opt); });
}

}  // namespace p3sim::cli
