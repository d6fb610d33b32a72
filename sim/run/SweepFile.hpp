#pragma once
// SweepFile: a sweep file read, checked against the sweep schema, and turned into a SweepSpec
// (DESIGN.md, "Sweep file").
//
// Loading stops at the description: which scenario, which parameters and pitfall sets, how many
// replicates, what to record. Expanding it into design points and runs is SweepPlan's job. Every
// error is collected before failing (InputError, exit code 2), each with its JSON Pointer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/Design.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim {

/// What a run of the sweep stores in the result file ("record" of the sweep file).
struct RecordSpec {
  std::vector<std::string> series;  ///< recorded series names; all of kSeriesMetrics by default
  int every = 1;                    ///< record every N-th step
  bool events = true;               ///< whether /events is written
};

/// A loaded, schema-valid sweep.
struct SweepSpec {
  std::string file;                       ///< the sweep file ("" for an in-memory document); labels errors
  nlohmann::ordered_json document;        ///< the sweep as written
  nlohmann::ordered_json scenario;        ///< the base scenario as written (raw, before resolution)
  std::string scenario_origin;            ///< scenario file path, or "FILE#/scenario" when inline
  std::int64_t replications = 1;
  std::uint64_t seed = 0;                 ///< master seed
  std::optional<int> steps;               ///< overrides the scenario's /steps when set
  DesignSpec design;
  std::vector<ParameterSpec> parameters;  ///< in file order
  /// Pitfall sets, each a factor level; [[]] (one empty set) when the file has none.
  std::vector<std::vector<std::string>> pitfall_sets{{}};
  RecordSpec record;

  /// The sweep as stored in result files (sweep_json): the document with every default made
  /// explicit (replications, seed, design, parameters, pitfalls, record), compact JSON. A scenario
  /// given by path stays a path; the resolved scenario is stored separately (scenario_json).
  std::string json_text() const;
};

/// Reads and checks the sweep at `path`, and reads its scenario document (relative paths are
/// resolved against the sweep file's directory). Checks the sweep itself only; the scenario is
/// validated when the plan is built (or by validate_sweep_file). Throws InputError with every
/// error found.
SweepSpec load_sweep_file(const std::string& path);

/// As load_sweep_file for a parsed document; `file` labels errors and `base_dir` resolves a
/// relative scenario path.
SweepSpec load_sweep(const nlohmann::ordered_json& doc, const std::string& file, const std::string& base_dir);

/// Every error of the sweep at `path`: the sweep itself, its base scenario, the base scenario with
/// each single parameter level applied (both ends of a continuous range) and with each pitfall set
/// switched on, and the run count. Empty when valid. Never throws for bad input (`p3sim validate`).
std::vector<ValidationError> validate_sweep_file(const std::string& path);

/// Whether `doc` looks like a sweep rather than a scenario: it has top-level "parameters",
/// "design" or "replications".
bool is_sweep_document(const nlohmann::ordered_json& doc);

/// Relabels the errors that the scenario loader files under "--set POINTER=VALUE" (values the sweep
/// put into its scenario) as "`sweep_file` (`context`, POINTER=VALUE)", or without `context` when it
/// is empty, so that they name the sweep file and the place in it rather than an option the user
/// never typed. Other errors are left as they are.
void label_sweep_errors(std::vector<ValidationError>& errors, const std::string& sweep_file,
                        const std::string& context);

/// Errors of many design points, shortened for reading: of the errors that share an id, a pointer
/// and an expectation, the first `keep` stay as they are and the rest become one error saying at
/// how many more design points the same problem was found (labelled `sweep_file`). Order is kept.
/// A sweep of thousands of points with one bad range would otherwise print thousands of lines.
std::vector<ValidationError> collapse_repeated_errors(std::vector<ValidationError> errors, const std::string& sweep_file,
                                                      std::size_t keep = 3);

/// The --set text that puts `value` at `pointer` ("/pointer=JSON").
std::string set_text(const std::string& pointer, const nlohmann::ordered_json& value);

}  // namespace p3sim
