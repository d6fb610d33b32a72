#pragma once
// ResultReader: reads a p3sim result file (docs/hdf5.md) back into plain C++ values -- provenance,
// layout, the /runs table, per-run metrics and parameters, series rows, events -- for tests and for
// `p3sim summarize`. Whole-file reads are never needed: every accessor reads one dataset or one row.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/H5Handle.hpp"
#include "io/Provenance.hpp"
#include "io/ResultLayout.hpp"
#include "result/RunResult.hpp"

namespace p3sim {

/// One row of /events: event `event` of run `run`.
struct EventRecord {
  std::int64_t run = 0;
  std::int32_t step = 0;
  std::int32_t org = -1;  ///< organization index, -1 for the partnership as a whole
  std::int8_t kind = 0;   ///< EventKind code, name in kEventKindNames
  std::int8_t cause = 0;  ///< Cause code, name in kCauseNames
  double value = 0;

  bool operator==(const EventRecord&) const = default;
};

/// The HDF5 memory compound type of EventRecord (fields named as the columns of /events).
/// Throws OutputError.
h5::Handle event_record_type();

/// The /runs table: one entry per run.
struct RunsTable {
  std::vector<std::uint64_t> seed;
  std::vector<std::int64_t> point;      ///< sweep point, -1 while pending
  std::vector<std::int64_t> replicate;  ///< replicate index, -1 while pending
  std::vector<RunStatus> status;
  std::vector<std::string> message;  ///< failure text, "" otherwise
};

/// Read-only access to one result file; every accessor reads on demand. Not thread-safe.
class ResultReader {
 public:
  /// Opens `path` read-only and reads its provenance and layout.
  /// Throws OutputError if the file is missing, not HDF5, not a p3sim result file, or of a newer
  /// format_version than this program understands.
  explicit ResultReader(const std::string& path);
  ~ResultReader();
  ResultReader(ResultReader&&) noexcept;
  ResultReader& operator=(ResultReader&&) noexcept;
  ResultReader(const ResultReader&) = delete;
  ResultReader& operator=(const ResultReader&) = delete;

  /// The file's path as given.
  const std::string& path() const;
  /// The root attributes.
  const Provenance& provenance() const;
  /// The layout reconstructed from the file (runs, steps, every, names, params, series, events).
  const ResultLayout& layout() const;
  /// The step numbers of the step dimension (layout().recorded_steps()).
  std::vector<std::int32_t> steps() const;

  /// The whole /runs table. Throws OutputError.
  RunsTable runs() const;
  /// /final/<metric> for every run (NaN for runs not done). Throws OutputError for an unknown metric.
  std::vector<double> final_metric(const std::string& metric) const;
  /// /params/<dataset name of `name`> for every run. Throws OutputError if `name` is not recorded.
  std::vector<double> param(const std::string& name) const;
  /// Row `run` of /series/<metric>, one value per recorded step.
  /// Throws OutputError if the series was not recorded, std::out_of_range for a bad run.
  std::vector<double> series_row(const std::string& metric, std::int64_t run) const;
  /// Row `run` of /series_by_sector/<metric>, index [k * sectors + s] for recorded step k.
  /// Throws as series_row.
  std::vector<double> sector_series_row(const std::string& metric, std::int64_t run) const;
  /// Row `run` of /org_final/<field> (a kOrgFields name), one value per organization, integer
  /// fields converted to double. Throws as series_row.
  std::vector<double> org_field_row(const std::string& field, std::int64_t run) const;
  /// Row `run` of /org_final/<field> (a kOrgVectorFields name), index [i * dims + d].
  /// Throws as series_row.
  std::vector<double> org_vector_row(const std::string& field, std::int64_t run) const;

  /// Number of rows of /events (0 when events were not recorded).
  std::int64_t event_count() const;
  /// Rows [first, first + count) of /events, clipped to the table. Throws OutputError.
  std::vector<EventRecord> events(std::int64_t first, std::int64_t count) const;
  /// Every row of /events (memory grows with the table: prefer ranges for large sweeps).
  std::vector<EventRecord> events() const { return events(0, event_count()); }

  /// Run `run` reassembled as a RunResult (the writer's input, as far as the file holds it):
  /// steps that were not recorded and series not recorded are NaN; events are collected by
  /// scanning /events. Throws OutputError, std::out_of_range for a bad run.
  RunResult read_run(std::int64_t run) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace p3sim
