#pragma once
// ResultWriter::Impl: the state of one result file being written. Private to the writer: only the
// files that implement it include this header, one concept each:
//   ResultWriter.cpp         the public class: argument checks, blocks of runs, flush and close
//   ResultFileStructure.cpp  creating or reopening the file: provenance, dimension scales, datasets
//   ResultRows.cpp           a block of runs: rows gathered, then written in the order that keeps a
//                            file killed at any moment resumable
//   ResultEvents.cpp         the /events table: room checks, growth, writes, compaction on resume
#include <hdf5_hl.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "io/H5Handle.hpp"
#include "io/ResultReader.hpp"
#include "io/ResultWriter.hpp"
#include "io/RowBlock.hpp"

namespace p3sim {
namespace result_writer {

using h5::Column;
using h5::Handle;
using h5::RowSpace;
using h5::Segment;
namespace fs = std::filesystem;

// Runs are gathered in memory in blocks of up to kMaxBlock consecutive runs and each dataset gets
// one write per block: an HDF5 write costs microseconds whatever its size, and a run touches ~50
// datasets. Chunks of the [run, ...] datasets are exactly one block of runs, so a sweep written in
// run order writes whole chunks; nothing is compressed. Both keep writing a small fraction of
// simulating (docs/hdf5.md, "Performance") and memory bounded by one block.
constexpr hsize_t kMaxBlock = 64;
constexpr hsize_t kTargetChunkBytes = 256 * 1024;
constexpr hsize_t kRunsPerChunk1D = 1024;     // [run] datasets: 8 KiB chunks of float64
constexpr hsize_t kEventRowsPerChunk = 4096;  // /events: ~100 KiB chunks (fewer for a few runs)
constexpr hsize_t kRowsPerCall = 65536;       // rows per call when writing /run or compacting /events

// /runs/message is a fixed-length string: longer messages are cut (on a UTF-8 character boundary)
// and end in "...". Fixed length keeps the text out of HDF5's global heap, whose half-written
// collections made files killed mid-sweep unreadable.
constexpr std::size_t kMessageBytes = 256;

constexpr std::int32_t kIntFill = -2;  // integer org fields of runs not done
constexpr std::int64_t kRunFill = -1;  // /runs/point and /runs/replicate of runs not written
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The dimension scales, in creation order (their _Netcdf4Dimid).
enum Dim : int { kDimRun, kDimStep, kDimSector, kDimOrg, kDimDim, kDimEvent, kDimCount };
constexpr const char* kDimNames[kDimCount] = {"run", "step", "sector", "org", "dim", "event"};
// netCDF-4 marks a dimension that has no coordinate variable with this NAME prefix.
constexpr const char* kDimensionOnly = "This is a netCDF dimension but not a netCDF variable.";

/// The packed on-disk compound type of /events (no padding bytes, so contents are deterministic).
Handle event_file_type();

}  // namespace result_writer

// The writer's files share these names; the header is included by nothing else.
using namespace result_writer;

struct ResultWriter::Impl {
  std::string target;   // the final path
  std::string working;  // where HDF5 writes: target + ".partial" (Atomic, and InPlace until created) or target
  WriteMode mode = WriteMode::Atomic;
  bool published = false;  // InPlace: the file is at `target` (else a failure removes `working`)
  ResultLayout layout;
  std::vector<std::int32_t> steps;  // recorded step numbers
  std::vector<std::int8_t> status;  // per run, as written (RunStatus codes)
  hsize_t block = 1;                // runs per block

  h5::TransferList transfer;
  Handle file, string_type, message_type, event_type;  // event_type: memory type of EventRecord
  RowSpace run_space, series_space, sector_space, org_space, org_vector_space;
  Column seed, point, replicate, run_status;
  Handle message;
  std::vector<Column> params;
  std::vector<Column> finals;
  std::vector<std::pair<int, Column>> series;         // (kSeriesMetrics index, column)
  std::vector<std::pair<int, Column>> sector_series;  // (kSectorSeriesMetrics index, column)
  std::vector<Column> org_fields, org_vectors;
  Handle events, event_dim;
  hsize_t event_rows = 0;

  // The block being gathered: runs [block_first, block_first + block); -1 when none.
  std::int64_t block_first = -1;
  std::vector<char> written;              // per row of the block
  std::vector<char> messages;             // per row of the block, kMessageBytes each
  std::vector<EventRecord> block_events;  // in write_run call order
  std::vector<std::int32_t> org_ints;     // scratch: integer org fields of one run
  std::vector<double> gathered;           // scratch: series at the recorded steps

  /// Rows per chunk of /events: 256 per run up to kEventRowsPerChunk, so that a single run's file
  /// does not carry a 100 KiB chunk for a handful of events.
  hsize_t event_chunk() const { return std::min(kEventRowsPerChunk, 256 * static_cast<hsize_t>(layout.runs)); }

  /// Attaches scales[axes[i]] to axis i of `data`.
  static void attach(hid_t data, const std::array<Handle, kDimCount>& scales, const std::vector<int>& axes,
                     const std::string& path) {
    for (std::size_t axis = 0; axis < axes.size(); ++axis) {
      h5::check(H5DSattach_scale(data, scales[axes[axis]].get(), static_cast<unsigned>(axis)),
                "cannot attach dimension scales to " + path);
    }
  }

  Impl(std::string path, const ResultLayout& l, WriteMode m);

  ~Impl();

  // ResultFileStructure.cpp
  /// InPlace mode: moves the newly created file, every dataset in it, from `working` to `target`,
  /// so that `target` never names a file whose structure is incomplete (a sweep killed while
  /// creating its file leaves no file to resume, only a stray ".partial").
  void publish();

  /// Closes every object but the file (columns before the spaces they point to).
  void release_objects();

  /// Creates the file at `working` with its provenance and layout attributes.
  void create_file(const Provenance& provenance);
  /// Opens the file at `working` for update.
  void open_file();

  /// A contiguous one-dimensional dataset of strings, written at once.
  Handle write_strings(const std::string& path, const std::vector<std::string>& values);

  /// Creates the dimension scales at the root, where netCDF-4 keeps its coordinate variables.
  std::array<Handle, kDimCount> create_scales();

  /// Creates or opens every dataset. When creating, `scales` are attached (the event scale is taken
  /// over); when opening, they are unused.
  void build(bool create, std::array<Handle, kDimCount>& scales);

  // ResultEvents.cpp
  /// Throws OutputError unless the file can grow by `bytes`: checked before HDF5 is asked to grow
  /// it, because an HDF5 write failing half-way (disk full, file size limit) leaves its metadata
  /// ahead of the file, and closing would then write a superblock that makes the whole file
  /// unreadable. Refused beforehand, nothing has changed since the last flush: every run written
  /// before stays, and --resume finishes the file.
  void check_room(hsize_t bytes);

  /// Extends /events and its dimension to `rows`.
  void resize_events(hsize_t rows);

  /// Writes `rows` at [first, first + rows.size()) of /events (which must be large enough).
  void write_events(hsize_t first, const std::vector<EventRecord>& rows);

  /// Drops the events of runs that are not done (left by an interrupted write or a failed run
  /// about to be redone), keeping the order of the rest; reads in bounded blocks.
  void compact_events();

  /// Reads every run's status from the file (on --resume).
  void read_status();

  // ResultRows.cpp
  /// Copies the data of a Done result into row i of the block (fill values for a Failed one).
  void gather(std::size_t i, std::int64_t run, const RunResult& r);

  /// Writes the gathered block: one write per dataset, events appended, statuses last (the order
  /// that keeps a killed file resumable is explained at the definition).
  void flush_block();
};

}  // namespace p3sim
