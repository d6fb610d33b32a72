#pragma once
// CalibrationFile: a calibration file read, checked against its schema and against its scenario,
// and turned into a CalibrationSpec (docs/calibration.md, "The calibration file").
//
// As with sweeps, every error is collected before failing (InputError, exit code 2), each with the
// JSON Pointer of what is wrong: the file's own structure, then its scenario, then each prior's
// support (both ends of a range, every level) applied to the scenario, then the targets against
// the scenario's horizon.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/ScenarioLoader.hpp"
#include "scenario/ValidationError.hpp"
#include "sweep/Prior.hpp"

namespace p3sim {

/// One calibrated parameter.
struct CalibrationParameter {
  std::string pointer;  ///< JSON Pointer into the scenario, may contain "*"
  Prior prior;
};

/// One observed statistic, expanded into components: one per step of a series target, one for a
/// final metric or a series at a single step.
struct TargetComponent {
  std::string name;    ///< "NAME" or, for a series over several steps, "NAME@STEP"
  std::string metric;  ///< a kSeriesMetrics or kFinalMetrics name
  bool final = false;  ///< a final metric (else a series value at `step`)
  int metric_index = 0;
  int step = -1;       ///< the step of a series value; -1 for a final metric
  double observed = 0;
  double sd = 0;       ///< 0 when not given (the scale then comes from generation 0)
  double weight = 1;   ///< the target's weight shared equally by its components
  std::size_t target = 0;  ///< index of the target in the file
};

/// Settings of the algorithm ("abc" in the file).
struct AbcSettings {
  std::int64_t particles = 200;
  int generations = 8;
  double quantile = 0.5;
  double min_tolerance = 0;
  double min_acceptance = 0.01;
  std::int64_t max_simulations = 0;
  int replications = 1;
  bool common_random_numbers = false;
  double stay_probability = 0.7;
};

enum class DistanceKind { Euclidean, Manhattan };

/// A loaded, checked calibration.
struct CalibrationSpec {
  std::string file;                 ///< the calibration file ("" for an in-memory document)
  nlohmann::ordered_json document;  ///< as written
  nlohmann::ordered_json scenario;  ///< the scenario as written (raw)
  std::string scenario_origin;
  std::optional<int> steps;
  std::uint64_t seed = 0;
  std::vector<std::string> pitfalls;
  std::vector<CalibrationParameter> parameters;  ///< in file order
  std::vector<TargetComponent> targets;          ///< components, in file order
  DistanceKind distance = DistanceKind::Euclidean;
  AbcSettings abc;
  /// True when loading checked the scenario at every corner of the priors' box (each continuous
  /// parameter at both ends of its support and a normal's mean, every level of each categorical,
  /// in all combinations; at most kMaxCornerChecks): a particle inside the box is then rebuilt
  /// without validating again (reload_scenario), as sweep points are. Scenario constraints are
  /// ranges and linear inequalities, which hold inside a box when they hold at its corners.
  bool corners_checked = false;

  /// The edits that give the scenario of a particle (natural values, one per parameter): the steps
  /// override, each parameter's value, the pitfalls.
  ScenarioEdits edits(const std::vector<double>& values) const;
  /// The calibration as stored in posterior files: the document with every default explicit.
  std::string json_text() const;
};

/// Most corners of the priors' box checked when the calibration is loaded; beyond, each parameter
/// is checked alone at its support values and every particle's scenario is validated in full.
inline constexpr std::int64_t kMaxCornerChecks = 4096;

/// Reads and checks the calibration at `path`: its structure, its scenario, each prior's support
/// and the targets. Throws InputError with every error found.
CalibrationSpec load_calibration_file(const std::string& path);

/// As load_calibration_file for a parsed document; `file` labels errors, `base_dir` resolves a
/// relative scenario path.
CalibrationSpec load_calibration(const nlohmann::ordered_json& doc, const std::string& file,
                                 const std::string& base_dir);

/// Every error of the calibration at `path`; empty when valid. Never throws for bad input.
std::vector<ValidationError> validate_calibration_file(const std::string& path);

/// Whether `doc` is a calibration file rather than a sweep or a scenario (it has "targets").
bool is_calibration_document(const nlohmann::ordered_json& doc);

}  // namespace p3sim
