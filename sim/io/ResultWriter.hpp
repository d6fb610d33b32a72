#pragma once
// ResultWriter: writes the results of one run or of a whole sweep into one HDF5 file with the layout
// of docs/hdf5.md.
//
// The constructor creates every dataset for the whole run count up front (preallocated, filled with
// "pending" values). write_run() copies a finished run into row buffers of the current block of up
// to 64 consecutive runs; a block reaches the file with one write per dataset when a run outside it
// arrives, on flush() and on close(). Memory stays bounded by one block whatever the number of runs.
// A block's statuses are written last, so a file cut short shows the runs of an unwritten block as
// pending and --resume redoes them.
//
// Not thread-safe: call every member from one thread (the sweep hands finished runs to one writer).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/Provenance.hpp"
#include "io/ResultLayout.hpp"
#include "result/RunResult.hpp"

namespace p3sim {

/// Where the writer puts the file while it is being written.
enum class WriteMode {
  /// Write "<path>.partial" and rename it over `path` in close(); without close() (an exception,
  /// an interrupted single run) the partial file is removed and `path` is untouched. Readers never
  /// see a half-written file. The default, and what single runs use.
  Atomic,
  /// Create the file's whole structure as "<path>.partial", move it to `path`, then write runs
  /// into `path` directly. Without close() the file is still closed properly (finished runs kept,
  /// the rest pending), so an interrupted sweep can be resumed with open_existing(). Even a crash
  /// that skips destructors (kill -9) leaves a readable file: datasets are preallocated and written
  /// without a cache, and a run's status is written after its data (see flush_block in ResultRows.cpp).
  /// Call flush() now and then to bound how many finished runs a crash loses.
  InPlace
};

/// Writes one result file (see the top of this header); movable, not copyable.
class ResultWriter {
 public:
  /// Creates the result file for `layout` (validated first) with `provenance` as root attributes.
  /// The file appears at `path` only when close() succeeds in Atomic mode.
  /// Throws OutputError when `path` exists and `overwrite` is false (the message suggests
  /// --overwrite), or when the file cannot be created; std::invalid_argument for a bad layout.
  ResultWriter(const std::string& path, const ResultLayout& layout, const Provenance& provenance, bool overwrite,
               WriteMode mode = WriteMode::Atomic);

  /// Opens an existing result file for update in place (for --resume): runs already done keep their
  /// rows; write_run() fills the others. Events left behind by runs that are not done (a write cut
  /// short, a failed run about to be redone) are removed from /events.
  /// Throws OutputError if the file cannot be opened, is not a p3sim result file of a supported
  /// format_version, or its layout differs from `layout` (the message says how).
  static ResultWriter open_existing(const std::string& path, const ResultLayout& layout);

  /// Without a successful close(): Atomic mode removes the partial file; InPlace mode closes the
  /// file keeping what was written. Never throws.
  ~ResultWriter();
  ResultWriter(ResultWriter&&) noexcept;
  ResultWriter& operator=(ResultWriter&&) noexcept;
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  /// Writes run `run` (0 <= run < layout.runs) of sweep point `point`, replicate `replicate`.
  /// `params` holds one value per layout.params name, in that order.
  /// A Done result must have the layout's shape (steps, sectors, orgs, dims) and integral values in
  /// the integer org fields (member, joined_step, exit_step, exit_cause); its series are recorded at
  /// the layout's recorded steps and its events appended to /events in call order. A Failed result
  /// records only seed, point, replicate, params, status and message (its data reads as missing).
  /// A Failed run may be written again (a retry); a Done run may not.
  /// Throws std::invalid_argument for a run out of range, already written as done, a Pending
  /// result, or a shape or value mismatch (nothing is written then); OutputError if HDF5 fails
  /// (the run then stays pending in the file).
  void write_run(std::int64_t run, std::int64_t point, std::int64_t replicate, const RunResult& result,
                 const std::vector<double>& params);

  /// Writes the current block and pushes everything written so far to disk. Throws OutputError.
  void flush();

  /// Finishes the file: closes it and, in Atomic mode, renames it over `path` (replacing an existing
  /// file only if overwrite was allowed at construction). Runs never written stay pending.
  /// Idempotent. Throws OutputError; after a failure the partial file is removed (Atomic mode).
  void close();

  /// The final path of the file.
  const std::string& path() const;
  /// The layout the file was created with.
  const ResultLayout& layout() const;
  /// Status of run `run` in the file as this writer knows it (Pending until written).
  /// Throws std::out_of_range for a run outside [0, layout().runs).
  RunStatus status(std::int64_t run) const;

 private:
  struct Impl;
  explicit ResultWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace p3sim
