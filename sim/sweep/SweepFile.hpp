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
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sweep/Design.hpp"
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

/// Whether `doc` is a sweep rather than a scenario: it has a top-level key that only sweeps have
/// ("scenario", "parameters", "design", "replications", "record" or "seed").
bool is_sweep_document(const nlohmann::ordered_json& doc);

/// The pitfall set a scenario load of a sweep switched on: its names and its index under
/// /pitfalls of the sweep file.
struct SweepPitfallSet {
  std::size_t index = 0;
  const std::vector<std::string>* names = nullptr;
};

/// Relabels the errors that the scenario loader files under an option the user never typed, so
/// that they name the sweep file, the place in it (`context`, e.g. "design point 7"; may be "") and
/// the pointer of the sweep's own entry where the sweep is at fault:
/// - "--set POINTER=VALUE" (a value the sweep wrote into its scenario that the scenario rejects)
///   becomes "`sweep_file` (`context`, POINTER=VALUE)", the pointer still into the scenario;
/// - "--set" (a parameter pointer that cannot be applied: matches nothing, crosses a number) becomes
///   the sweep file, pointing at /parameters/POINTER;
/// - "--pitfall" (an unknown pitfall name) becomes the sweep file, pointing at /pitfalls/I/J;
/// - "--pitfall NAME" and "after --pitfall NAME" (a pitfall that cannot be applied, or one that
///   leaves the scenario invalid) become "`sweep_file` (`context`, pitfall NAME at /pitfalls/I/J)".
/// Other errors are left as they are.
void label_sweep_errors(std::vector<ValidationError>& errors, const std::string& sweep_file,
                        const std::string& context, SweepPitfallSet pitfalls = {});

/// Errors of many design points, shortened for reading: of the errors that share an id, a pointer
/// and an expectation, only the first is kept, its hint saying in how many more `what` (design
/// points, checks) the same was found. Order is kept. A sweep of thousands of points with one bad
/// value would otherwise print thousands of lines.
std::vector<ValidationError> collapse_repeated_errors(std::vector<ValidationError> errors,
                                                      const std::string& what = "design points");

/// The errors of the scenario loads that check a sweep (one per design point, parameter level or
/// pitfall set), gathered into one report: labelled with the sweep file and the place in it
/// (label_sweep_errors), shortened where they repeat (collapse_repeated_errors), and bounded: once
/// kMaxFailedLoads loads have failed, full() says to stop, because the remaining loads would mostly
/// repeat the same errors (a million-point sweep with a misspelt pointer would otherwise spend many
/// minutes finding one mistake a million times).
class SweepErrors {
 public:
  static constexpr std::size_t kMaxFailedLoads = 50;

  /// `what` names the loads in messages: "design points" (the default) or "checks".
  explicit SweepErrors(std::string sweep_file, std::string what = "design points")
      : sweep_file_(std::move(sweep_file)), what_(std::move(what)) {}
  /// Records the errors of one failed load; `context` names the place ("design point 7"; may be "").
  void add(std::vector<ValidationError> found, const std::string& context, SweepPitfallSet pitfalls = {});
  /// True once kMaxFailedLoads loads have failed.
  bool full() const { return failed_ >= kMaxFailedLoads; }
  bool empty() const { return errors_.empty(); }
  /// Every error recorded, collapsed; when `unchecked` > 0, followed by one error (id "unchecked")
  /// saying that checking stopped and how many loads were skipped.
  std::vector<ValidationError> report(std::size_t unchecked = 0) const;

 private:
  std::string sweep_file_, what_;
  std::vector<ValidationError> errors_;
  std::size_t failed_ = 0;
};

/// The base scenario of a sweep or calibration file, whose "scenario" is `value`: the document
/// itself (origin "`file`#/scenario") or a path, relative to `base_dir` unless absolute, that is
/// read (origin the path). Read errors are appended to `errors`.
void read_base_scenario(const nlohmann::ordered_json& value, const std::string& file, const std::string& base_dir,
                        nlohmann::ordered_json& scenario, std::string& origin, std::vector<ValidationError>& errors);

/// The --set text that puts `value` at `pointer` ("/pointer=JSON").
std::string set_text(const std::string& pointer, const nlohmann::ordered_json& value);

}  // namespace p3sim
