#pragma once
// Calibration: an ABC-SMC calibration run generation by generation (docs/calibration.md).
//
// It owns the generations done so far and runs the next one through a runner that executes job
// ids in order on threads (run_ensemble) or on MPI ranks (mpi/SweepCoordinator), the same
// machinery as sweeps. Job id = proposal * replications + replication: the job itself draws the
// proposal again from its seed (cheap), so that a worker rank needs only the previous generation to
// run any job. Files are the command's business: data() gives what the posterior file holds, and
// restore() takes it back.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/PosteriorFile.hpp"
#include "sweep/AbcSmc.hpp"
#include "sweep/CalibrationFile.hpp"
#include "sweep/Ensemble.hpp"

namespace p3sim {

/// Runs job `jobs[i]` with `job` for every i and hands result i to `sink` in order of i.
using CalibrationRunner =
    std::function<EnsembleSummary(const std::vector<std::int64_t>& jobs, const std::function<RunResult(std::int64_t)>& job,
                                  const EnsembleSink& sink, const EnsembleOptions& options)>;

/// Progress inside a generation: accepted and simulated proposals so far.
using GenerationProgress = std::function<void(int generation, std::int64_t accepted, std::int64_t simulated)>;

class Calibration {
 public:
  explicit Calibration(CalibrationSpec spec);

  const CalibrationSpec& spec() const { return spec_; }
  const std::vector<Prior>& priors() const { return priors_; }
  const std::vector<AbcGeneration>& generations() const { return generations_; }
  const std::vector<double>& scales() const { return scales_; }
  /// Index of the generation run next (= generations done).
  int next_generation() const { return static_cast<int>(generations_.size()); }
  bool finished() const { return !stop_reason_.empty(); }
  /// "" until finished; then "generations", "tolerance", "acceptance" or "budget".
  const std::string& stop_reason() const { return stop_reason_; }
  /// Runs in all generations done.
  std::int64_t simulations() const;

  /// The proposal of generation `generation` (<= next_generation()): from the prior for 0, else
  /// from generation - 1.
  Proposal proposal(int generation) const;
  /// Runs job `id` of generation `generation` with `proposal` (= proposal(generation)).
  RunResult run_job(const Proposal& proposal, int generation, std::int64_t id) const;

  /// Runs the next generation. Returns false when it was stopped by options.stop (nothing is
  /// kept of it); true when it ended, with a new generation or with stop_reason "acceptance".
  /// Throws std::runtime_error when a run fails (a proposal's scenario or a run raised an error).
  bool run_generation(const CalibrationRunner& runner, const EnsembleOptions& options,
                      const GenerationProgress& progress = {});

  /// What the posterior file holds now.
  PosteriorData data(const Provenance& provenance) const;
  /// Takes back the generations of a posterior file written by this calibration (the caller has
  /// checked that it is). Throws std::runtime_error when its shape does not fit.
  void restore(const PosteriorData& data);

 private:
  void finish_generation(AbcGeneration generation);

  CalibrationSpec spec_;
  std::vector<Prior> priors_;
  std::vector<AbcGeneration> generations_;
  std::vector<double> scales_;
  std::string stop_reason_;
};

}  // namespace p3sim
