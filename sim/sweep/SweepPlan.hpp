#pragma once
// SweepPlan: a sweep expanded into design points and the ordered list of its runs.
//
// Design points are the parameter design (Design.hpp) crossed with the pitfall sets, the pitfall
// set varying fastest: point = design_index * pitfall_sets + set_index. Runs are replicate-major,
// run = replicate * points + point, so that the first runs of a sweep cut short already cover
// every point once. Every run of replicate r gets seed derive_run_seed(master, r): all points see
// the same random numbers (common random numbers), so differences between points are due to the
// parameters, not to luck.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/ResultLayout.hpp"
#include "run/RunPlan.hpp"
#include "sweep/SweepFile.hpp"
#include "scenario/ScenarioLoader.hpp"

namespace p3sim {

/// The expanded sweep. Immutable after construction; safe to share between threads.
///
/// Memory stays bounded whatever the number of design points: the loaded Scenarios of the first
/// kKeptPoints points are kept (every point of a typical grid), and the scenario of a later point is
/// built again when one of its runs starts (on the worker's thread, without validating again:
/// reload_scenario), from the small list of edits kept per point.
class SweepPlan {
 public:
  /// Design points whose loaded Scenario is kept for the whole sweep.
  static constexpr std::int64_t kKeptPoints = 256;

  /// Draws the design points (seeded from the master seed), loads one Scenario per point from the
  /// raw base scenario with the point's values applied as --set overrides and its pitfalls, and
  /// checks that all points have one shape (steps, sectors, organizations up to ones appended at
  /// the end, agenda dimensions), since all runs share one file. Throws InputError with every
  /// error found (SweepErrors: repeated errors counted, checking stopped after 50 failed points).
  ///
  /// `observer`, if given, is called after each point is checked with (points checked, points in
  /// all): planning a sweep of 100,000 points takes minutes, and a command reports progress and
  /// polls for Ctrl-C from it. An exception it throws leaves the constructor.
  using Observer = std::function<void(std::int64_t checked, std::int64_t total)>;
  explicit SweepPlan(SweepSpec spec, const Observer& observer = {});

  const SweepSpec& spec() const { return spec_; }
  /// Number of design points (parameter points x pitfall sets).
  std::int64_t points() const { return static_cast<std::int64_t>(edits_.size()); }
  /// Number of runs: points() * replications.
  std::int64_t runs() const { return points() * spec_.replications; }
  /// Run `run` (0 <= run < runs()), with its scenario (loaded now when it is not kept).
  RunPlan run(std::int64_t run) const;
  /// Design point and replicate of run `run`, without its scenario (cheap).
  std::int64_t point_of(std::int64_t run) const { return run % points(); }
  std::int64_t replicate_of(std::int64_t run) const { return run / points(); }
  /// Seed of run `run`: derive_run_seed(master seed, replicate), the same for every point.
  std::uint64_t seed_of(std::int64_t run) const;
  /// The scenario of design point `point` (kept, or loaded now). Throws std::out_of_range.
  std::shared_ptr<const Scenario> scenario(std::int64_t point) const;
  /// The base scenario resolved (stored as scenario_json in the result file).
  const nlohmann::ordered_json& base_resolved() const { return base_resolved_; }
  /// Names recorded under /params: each varied parameter's pointer, then "pitfall.NAME" for every
  /// pitfall named in some set.
  const std::vector<std::string>& param_names() const { return param_names_; }
  /// Values of param_names() at design point `point`: numbers as they are, booleans as 0/1, other
  /// values (strings, objects) as the index of the level in the parameter's list; pitfall flags 0/1.
  const std::vector<double>& param_values(std::int64_t point) const {
    return param_values_.at(static_cast<std::size_t>(point));
  }
  /// The result file layout of this sweep. Its organizations are those of the design point with
  /// the most (points may differ only by organizations appended at the end, e.g. the backbone
  /// organization that backbone mode adds).
  ResultLayout layout() const;
  /// Pads a Done result of a point with fewer organizations to the layout: absent organizations
  /// read -1 in the integer fields (member, joined_step, exit_step, exit_cause) and NaN elsewhere.
  void fit_to_layout(RunResult& result) const;

 private:
  SweepSpec spec_;
  nlohmann::ordered_json base_resolved_;
  std::vector<ScenarioEdits> edits_;                    ///< per point: its values and pitfalls
  std::vector<std::shared_ptr<const Scenario>> kept_;  ///< the first kKeptPoints points
  std::shared_ptr<const Scenario> widest_;              ///< a point with the most organizations
  std::vector<std::string> param_names_;
  std::vector<std::vector<double>> param_values_;
};

/// Every error `p3sim sweep` would find in the sweep at `path` before running it: those of
/// validate_sweep_file (the sweep, its scenario, each level and pitfall set alone), then, when there
/// are none, those of planning it (every design point whole, and their shapes). Empty when valid.
/// Never throws InputError (`p3sim validate`); `observer` as for SweepPlan.
std::vector<ValidationError> validate_sweep(const std::string& path, const SweepPlan::Observer& observer = {});

}  // namespace p3sim
