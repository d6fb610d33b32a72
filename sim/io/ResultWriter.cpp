#include "io/ResultWriter.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <sys/resource.h>
#include <sys/statvfs.h>

#include "io/H5Handle.hpp"
#include "io/ResultReader.hpp"
#include "io/RowBlock.hpp"
#include "scenario/Utf8.hpp"

namespace p3sim {
namespace {

using h5::Column;
using h5::Handle;
using h5::RowSpace;
using h5::Segment;
namespace fs = std::filesystem;

// HDF5 closes files left open at exit (an atexit handler). A file whose close failed (disk full)
// stays registered half torn down, and HDF5 1.10 crashes (SIGSEGV) closing it again at exit. Every
// file p3sim opens is closed explicitly, so the handler is not needed; it must be refused before
// the library initializes, hence a static initializer.
[[maybe_unused]] const herr_t kNoAtExit = H5dont_atexit();

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
Handle event_file_type() {
  const std::string what = "cannot build the event type";
  Handle type = h5::own(H5Tcreate(H5T_COMPOUND, 26), H5Tclose, what);
  h5::check(H5Tinsert(type.get(), "run", 0, H5T_STD_I64LE), what);
  h5::check(H5Tinsert(type.get(), "step", 8, H5T_STD_I32LE), what);
  h5::check(H5Tinsert(type.get(), "org", 12, H5T_STD_I32LE), what);
  h5::check(H5Tinsert(type.get(), "kind", 16, H5T_STD_I8LE), what);
  h5::check(H5Tinsert(type.get(), "cause", 17, H5T_STD_I8LE), what);
  h5::check(H5Tinsert(type.get(), "value", 18, H5T_IEEE_F64LE), what);
  return type;
}

std::vector<std::string> names(const char* const* begin, const char* const* end) { return {begin, end}; }

[[noreturn]] void reject(const std::string& text) { throw std::invalid_argument("write_run: " + text); }

/// Copies `text` into `out` (kMessageBytes bytes, NUL-padded), cut to fit at a UTF-8 character
/// boundary and marked with "..." when it is longer.
void put_message(const std::string& text, char* out) {
  std::fill_n(out, kMessageBytes, '\0');
  const std::string kept = utf8::truncate(text, kMessageBytes);
  std::copy(kept.begin(), kept.end(), out);
}

/// Rows per block: a power of two up to kMaxBlock such that a block of the widest row stays near
/// kTargetChunkBytes, and no more than the run count.
hsize_t block_rows(const ResultLayout& l) {
  const hsize_t states = l.recorded_steps().size(), orgs = l.orgs.size();
  const hsize_t widest = 8 * std::max({states, states * l.sectors.size(), orgs * std::max<hsize_t>(1, l.dims.size())});
  hsize_t block = kMaxBlock;
  while (block > 1 && block * widest > kTargetChunkBytes) block /= 2;
  return std::min(block, static_cast<hsize_t>(l.runs));
}

}  // namespace

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

  Impl(std::string path, const ResultLayout& l, WriteMode m)
      : target(std::move(path)),
        working(target + ".partial"),
        mode(m),
        layout(l),
        steps(l.recorded_steps()),
        status(static_cast<std::size_t>(l.runs), 0),
        block(block_rows(l)),
        written(block, 0),
        messages(block * kMessageBytes, '\0') {
    string_type = h5::string_type();
    message_type = h5::fixed_string_type(kMessageBytes);
    event_type = event_record_type();
  }

  ~Impl() {
    if (!file.valid()) return;
    if (mode == WriteMode::InPlace && published) {
      try {
        flush_block();
      } catch (...) {  // the runs of the block stay pending; --resume redoes them
      }
    }
    release_objects();
    file.reset();
    if (!published) {
      std::error_code ignored;
      fs::remove(working, ignored);
    }
  }

  /// InPlace mode: moves the newly created file, every dataset in it, from `working` to `target`,
  /// so that `target` never names a file whose structure is incomplete (a sweep killed while
  /// creating its file leaves no file to resume, only a stray ".partial").
  void publish() {
    h5::check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), "cannot flush '" + working + "'");
    std::error_code ec;
    fs::rename(working, target, ec);
    if (ec) throw OutputError("cannot move '" + working + "' to '" + target + "': " + ec.message());
    working = target;
    published = true;
  }

  /// Closes every object but the file (columns before the spaces they point to).
  void release_objects() {
    for (Column* c : {&seed, &point, &replicate, &run_status}) *c = {};
    for (std::vector<Column>* list : {&params, &finals, &org_fields, &org_vectors}) list->clear();
    series.clear();
    sector_series.clear();
    for (Handle* h : {&message, &events, &event_dim, &string_type, &message_type, &event_type}) h->reset();
    for (RowSpace* space : {&run_space, &series_space, &sector_space, &org_space, &org_vector_space}) *space = {};
  }

  void create_file(const Provenance& provenance) {
    const std::string what = "cannot create output file '" + working + "'";
    Handle fcpl = h5::own(H5Pcreate(H5P_FILE_CREATE), H5Pclose, what);
    h5::check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
    h5::check(H5Pset_obj_track_times(fcpl.get(), false), what);
    file = h5::own(H5Fcreate(working.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), H5Fclose, what);
    write_provenance(file.get(), provenance);
    const std::int32_t steps_attr = layout.steps, every_attr = layout.every;
    h5::write_scalar_attribute(file.get(), "steps", H5T_STD_I32LE, H5T_NATIVE_INT32, &steps_attr);
    h5::write_scalar_attribute(file.get(), "record_every", H5T_STD_I32LE, H5T_NATIVE_INT32, &every_attr);
  }

  void open_file() {
    file = h5::own(H5Fopen(working.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose,
                   "cannot open '" + working + "' for update");
  }

  /// A contiguous one-dimensional dataset of strings, written at once.
  Handle write_strings(const std::string& path, const std::vector<std::string>& values) {
    Handle d = h5::dataset(file.get(), true, path, string_type.get(), {values.size()}, {});
    std::vector<const char*> texts;
    for (const std::string& v : values) texts.push_back(v.c_str());
    if (!texts.empty()) {
      h5::check(H5Dwrite(d.get(), string_type.get(), H5S_ALL, H5S_ALL, transfer.get(), texts.data()),
                "cannot write " + path);
    }
    return d;
  }

  /// Rows per chunk of /events: 256 per run up to kEventRowsPerChunk, so that a single run's file
  /// does not carry a 100 KiB chunk for a handful of events.
  hsize_t event_chunk() const { return std::min(kEventRowsPerChunk, 256 * static_cast<hsize_t>(layout.runs)); }

  /// Creates the dimension scales at the root, where netCDF-4 keeps its coordinate variables.
  std::array<Handle, kDimCount> create_scales() {
    std::array<Handle, kDimCount> scales;
    const hsize_t runs = static_cast<hsize_t>(layout.runs);
    scales[kDimRun] = h5::dataset(file.get(), true, "/run", H5T_STD_I64LE, {runs}, {});
    std::vector<std::int64_t> index;
    Handle space = h5::simple_space({runs});
    for (hsize_t first = 0; first < runs; first += kRowsPerCall) {
      const hsize_t count = std::min(kRowsPerCall, runs - first);
      index.resize(count);
      for (hsize_t i = 0; i < count; ++i) index[i] = static_cast<std::int64_t>(first + i);
      h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr),
                "cannot write /run");
      Handle memory = h5::simple_space({count});
      h5::check(
          H5Dwrite(scales[kDimRun].get(), H5T_NATIVE_INT64, memory.get(), space.get(), transfer.get(), index.data()),
          "cannot write /run");
    }
    scales[kDimStep] = h5::dataset(file.get(), true, "/step", H5T_STD_I32LE, {steps.size()}, {});
    h5::check(H5Dwrite(scales[kDimStep].get(), H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, transfer.get(), steps.data()),
              "cannot write /step");
    scales[kDimSector] = write_strings("/sector", layout.sectors);
    scales[kDimOrg] = write_strings("/org", layout.orgs);
    scales[kDimDim] = write_strings("/dim", layout.dims);
    if (layout.events) {
      const float zero = 0;
      scales[kDimEvent] = h5::dataset(file.get(), true, "/event", H5T_IEEE_F32LE, {0}, {event_chunk()},
                                      H5T_NATIVE_FLOAT, &zero, {H5S_UNLIMITED});
    }
    for (int d = 0; d < kDimCount; ++d) {
      if (!scales[d].valid()) continue;
      const std::string name = d == kDimEvent ? std::string(kDimensionOnly) + "         0" : kDimNames[d];
      h5::check(H5DSset_scale(scales[d].get(), name.c_str()),
                std::string("cannot make /") + kDimNames[d] + " a dimension scale");
      const std::int32_t id = d;
      h5::write_scalar_attribute(scales[d].get(), "_Netcdf4Dimid", H5T_STD_I32LE, H5T_NATIVE_INT32, &id);
    }
    h5::write_string_attribute(scales[kDimRun].get(), "long_name", "run index");
    h5::write_string_attribute(scales[kDimStep].get(), "long_name", "step (0 = initial state)");
    return scales;
  }

  /// Attaches scales[axes[i]] to axis i of `data`.
  static void attach(hid_t data, const std::array<Handle, kDimCount>& scales, const std::vector<int>& axes,
                     const std::string& path) {
    for (std::size_t axis = 0; axis < axes.size(); ++axis) {
      h5::check(H5DSattach_scale(data, scales[axes[axis]].get(), static_cast<unsigned>(axis)),
                "cannot attach dimension scales to " + path);
    }
  }

  /// Creates or opens every dataset. When creating, `scales` are attached (the event scale is taken
  /// over); when opening, they are unused.
  void build(bool create, std::array<Handle, kDimCount>& scales) {
    const hsize_t runs = static_cast<hsize_t>(layout.runs);
    const hsize_t nsteps = steps.size(), nsectors = layout.sectors.size(), norgs = layout.orgs.size(),
                  ndims = layout.dims.size();
    run_space = RowSpace({runs}, {kDimRun}, block);
    series_space = RowSpace({runs, nsteps}, {kDimRun, kDimStep}, block);
    sector_space = RowSpace({runs, nsteps, nsectors}, {kDimRun, kDimStep, kDimSector}, block);
    org_space = RowSpace({runs, norgs}, {kDimRun, kDimOrg}, block);
    org_vector_space = RowSpace({runs, norgs, ndims}, {kDimRun, kDimOrg, kDimDim}, block);
    const hid_t f = file.get();
    // `missing`: also store the fill as _FillValue, so that xarray reads the rows of runs that are
    // not done as missing values.
    auto make = [&](const std::string& path, hid_t type, RowSpace& space, hid_t fill_type, const void* fill,
                    bool missing) {
      Handle d = h5::dataset(f, create, path, type, space.extent,
                             space.chunk(space.extent.size() == 1 ? kRunsPerChunk1D : block), fill_type, fill, {},
                             h5::Storage::Direct);
      if (create) {
        attach(d.get(), scales, space.axes, path);
        if (missing) h5::write_scalar_attribute(d.get(), "_FillValue", type, fill_type, fill);
      }
      return d;
    };
    auto number = [&](const std::string& path, RowSpace& space) {
      return Column(make(path, H5T_IEEE_F64LE, space, H5T_NATIVE_DOUBLE, &kNaN, true), space, H5T_NATIVE_DOUBLE,
                    sizeof(double), block);
    };
    auto group = [&](const char* name) {
      if (create) h5::create_group(f, name);
    };
    const std::uint64_t zero = 0;
    const std::int8_t pending = 0;
    group("/runs");
    seed = Column(make("/runs/seed", H5T_STD_U64LE, run_space, H5T_NATIVE_UINT64, &zero, false), run_space,
                  H5T_NATIVE_UINT64, 8, block);
    point = Column(make("/runs/point", H5T_STD_I64LE, run_space, H5T_NATIVE_INT64, &kRunFill, false), run_space,
                   H5T_NATIVE_INT64, 8, block);
    replicate = Column(make("/runs/replicate", H5T_STD_I64LE, run_space, H5T_NATIVE_INT64, &kRunFill, false), run_space,
                       H5T_NATIVE_INT64, 8, block);
    run_status = Column(make("/runs/status", H5T_STD_I8LE, run_space, H5T_NATIVE_INT8, &pending, false), run_space,
                        H5T_NATIVE_INT8, 1, block);
    message = make("/runs/message", message_type.get(), run_space, H5I_INVALID_HID, nullptr, false);
    if (create) h5::write_string_array_attribute(run_status.data.get(), "status_names", {"pending", "done", "failed"});
    group("/params");
    for (const std::string& name : layout.params) {
      params.push_back(number("/params/" + param_dataset_name(name), run_space));
      if (create) h5::write_string_attribute(params.back().data.get(), "parameter", name);
    }
    group("/final");
    for (const char* m : kFinalMetrics) finals.push_back(number(std::string("/final/") + m, run_space));
    if (create) {
      // -1 codes "never" (a time censored at the horizon) and "undefined" (no outcome to divide
      // by): declared as missing values (CF), so that netCDF readers never average them.
      const double sentinel = -1;
      for (const int m : {kFTimeToGoal, kFCostPerOutcome}) {
        const hid_t d = finals[static_cast<std::size_t>(m)].data.get();
        h5::write_scalar_attribute(d, "missing_value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &sentinel);
        h5::write_string_attribute(d, "comment", m == kFTimeToGoal
                                                     ? "-1: the goal was not reached within the run's steps "
                                                       "(right-censored at the horizon; docs/estimators.md)"
                                                     : "-1: undefined, the run had no outcome");
      }
    }
    group("/series");
    for (int m = 0; m < kSeriesCount; ++m) {
      if (layout.records(kSeriesMetrics[m]))
        series.emplace_back(m, number(std::string("/series/") + kSeriesMetrics[m], series_space));
    }
    group("/series_by_sector");
    for (int m = 0; m < kSectorSeriesCount; ++m) {
      if (!layout.records(kSectorSeriesMetrics[m])) continue;
      sector_series.emplace_back(m, number(std::string("/series_by_sector/") + kSectorSeriesMetrics[m], sector_space));
    }
    group("/org_final");
    for (int i = 0; i < kOrgFieldCount; ++i) {
      const std::string path = std::string("/org_final/") + kOrgFields[i];
      if (kOrgFieldStorage[i] == OrgFieldStorage::Float64) {
        org_fields.push_back(number(path, org_space));
      } else {
        const hid_t type = kOrgFieldStorage[i] == OrgFieldStorage::Int8 ? H5T_STD_I8LE : H5T_STD_I32LE;
        org_fields.emplace_back(make(path, type, org_space, H5T_NATIVE_INT32, &kIntFill, true), org_space,
                                H5T_NATIVE_INT32, sizeof(std::int32_t), block);
      }
    }
    if (create) {
      h5::write_string_array_attribute(org_fields[kOExitCause].data.get(), "cause_names",
                                       names(std::begin(kCauseNames), std::end(kCauseNames)));
    }
    for (const char* v : kOrgVectorFields)
      org_vectors.push_back(number(std::string("/org_final/") + v, org_vector_space));
    if (create) {
      h5::create_group(f, "/orgs");
      Handle name = write_strings("/orgs/name", layout.orgs);
      std::vector<std::string> sector_of;
      for (int s : layout.org_sectors) sector_of.push_back(layout.sectors[static_cast<std::size_t>(s)]);
      Handle sector = write_strings("/orgs/sector", sector_of);
      Handle index = h5::dataset(f, true, "/orgs/sector_index", H5T_STD_I32LE, {norgs}, {});
      h5::check(H5Dwrite(index.get(), H5T_NATIVE_INT, H5S_ALL, H5S_ALL, transfer.get(), layout.org_sectors.data()),
                "cannot write /orgs/sector_index");
      for (hid_t d : {name.get(), sector.get(), index.get()}) attach(d, scales, {kDimOrg}, "/orgs");
      h5::create_group(f, "/sectors");
      Handle sector_name = write_strings("/sectors/name", layout.sectors);
      attach(sector_name.get(), scales, {kDimSector}, "/sectors/name");
    }
    if (layout.events) {
      Handle type = event_file_type();
      const std::vector<hsize_t> chunk{event_chunk()};
      events = h5::dataset(f, create, "/events", type.get(), {0}, chunk, H5I_INVALID_HID, nullptr, {H5S_UNLIMITED},
                           h5::Storage::Direct);
      event_dim = create ? std::move(scales[kDimEvent])
                         : h5::dataset(f, false, "/event", H5T_IEEE_F32LE, {0}, chunk, H5I_INVALID_HID, nullptr,
                                       {H5S_UNLIMITED}, h5::Storage::Direct);
      if (create) {
        h5::check(H5DSattach_scale(events.get(), event_dim.get(), 0), "cannot attach dimension scales to /events");
        h5::write_string_array_attribute(events.get(), "kind_names",
                                         names(std::begin(kEventKindNames), std::end(kEventKindNames)));
        h5::write_string_array_attribute(events.get(), "cause_names",
                                         names(std::begin(kCauseNames), std::end(kCauseNames)));
      }
      Handle space = h5::own(H5Dget_space(events.get()), H5Sclose, "cannot read the size of /events");
      h5::check(H5Sget_simple_extent_dims(space.get(), &event_rows, nullptr), "cannot read the size of /events");
    }
  }

  /// Throws OutputError unless the file can grow by `bytes`: checked before HDF5 is asked to grow
  /// it, because an HDF5 write failing half-way (disk full, file size limit) leaves its metadata
  /// ahead of the file, and closing would then write a superblock that makes the whole file
  /// unreadable. Refused beforehand, nothing has changed since the last flush: every run written
  /// before stays, and --resume finishes the file.
  void check_room(hsize_t bytes) {
    hsize_t size = 0;
    h5::check(H5Fget_filesize(file.get(), &size), "cannot read the size of '" + working + "'");
    rlimit limit{};
    const bool too_large = getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
                           size + bytes > static_cast<hsize_t>(limit.rlim_cur);
    struct statvfs disk {};
    const std::string parent = fs::path(working).parent_path().string();
    const bool full = statvfs(parent.empty() ? "." : parent.c_str(), &disk) == 0 &&
                      static_cast<hsize_t>(disk.f_bavail) * disk.f_frsize < bytes;
    if (too_large || full) {
      throw OutputError("cannot write '" + working + "': " +
                        (too_large ? "file size limit reached" : "no space left on device") +
                        "; the runs written before are kept, --resume finishes the file");
    }
  }

  /// Extends /events and its dimension to `rows`.
  void resize_events(hsize_t rows) {
    h5::check(H5Dset_extent(events.get(), &rows), "cannot extend /events");
    h5::check(H5Dset_extent(event_dim.get(), &rows), "cannot extend /event");
    event_rows = rows;
  }

  /// Writes `rows` at [first, first + rows.size()) of /events (which must be large enough).
  void write_events(hsize_t first, const std::vector<EventRecord>& rows) {
    if (rows.empty()) return;
    const hsize_t count = rows.size();
    Handle space = h5::own(H5Dget_space(events.get()), H5Sclose, "cannot write /events");
    h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr),
              "cannot write /events");
    Handle memory = h5::simple_space({count});
    h5::check(H5Dwrite(events.get(), event_type.get(), memory.get(), space.get(), transfer.get(), rows.data()),
              "cannot write /events to '" + working + "'");
  }

  /// Drops the events of runs that are not done (left by an interrupted write or a failed run
  /// about to be redone), keeping the order of the rest; reads in bounded blocks.
  void compact_events() {
    hsize_t kept = 0;
    std::vector<EventRecord> rows;
    Handle space = h5::own(H5Dget_space(events.get()), H5Sclose, "cannot read /events");
    for (hsize_t first = 0; first < event_rows; first += kRowsPerCall) {
      const hsize_t count = std::min(kRowsPerCall, event_rows - first);
      rows.resize(count);
      h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr),
                "cannot read /events");
      Handle memory = h5::simple_space({count});
      h5::check(H5Dread(events.get(), event_type.get(), memory.get(), space.get(), transfer.get(), rows.data()),
                "cannot read /events");
      std::erase_if(rows, [&](const EventRecord& e) {
        return e.run < 0 || e.run >= layout.runs ||
               status[static_cast<std::size_t>(e.run)] != static_cast<std::int8_t>(RunStatus::Done);
      });
      if (kept != first || rows.size() != count) write_events(kept, rows);
      kept += rows.size();
    }
    if (kept != event_rows) resize_events(kept);
  }

  void read_status() {
    h5::check(H5Dread(run_status.data.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, transfer.get(), status.data()),
              "cannot read /runs/status");
  }

  /// Copies the data of a Done result into row i of the block (fill values for a Failed one).
  void gather(std::size_t i, std::int64_t run, const RunResult& r) {
    const bool done = r.status == RunStatus::Done;
    const std::size_t states = static_cast<std::size_t>(layout.steps) + 1, sectors = layout.sectors.size(),
                      orgs = layout.orgs.size(), dims = layout.dims.size();
    for (int m = 0; m < kFinalCount; ++m) done ? finals[m].put(i, &r.final_metrics[m]) : finals[m].fill(i, kNaN);
    const bool every_step = layout.every == 1;
    for (auto& [m, column] : series) {
      if (!done) {
        column.fill(i, kNaN);
        continue;
      }
      const double* source = r.series.data() + m * states;
      if (!every_step) {
        gathered.resize(steps.size());
        for (std::size_t k = 0; k < steps.size(); ++k) gathered[k] = source[steps[k]];
        source = gathered.data();
      }
      column.put(i, source);
    }
    for (auto& [m, column] : sector_series) {
      if (!done) {
        column.fill(i, kNaN);
        continue;
      }
      const double* source = r.sector_series.data() + m * states * sectors;
      if (!every_step) {
        gathered.resize(steps.size() * sectors);
        for (std::size_t k = 0; k < steps.size(); ++k)
          std::copy_n(source + steps[k] * sectors, sectors, &gathered[k * sectors]);
        source = gathered.data();
      }
      column.put(i, source);
    }
    for (int f = 0; f < kOrgFieldCount; ++f) {
      Column& column = org_fields[f];
      if (kOrgFieldStorage[f] == OrgFieldStorage::Float64) {
        done ? column.put(i, r.org_fields.data() + f * orgs) : column.fill(i, kNaN);
        continue;
      }
      if (!done) {
        column.fill(i, kIntFill);
        continue;
      }
      org_ints.resize(orgs);
      for (std::size_t o = 0; o < orgs; ++o) org_ints[o] = static_cast<std::int32_t>(r.org_fields[f * orgs + o]);
      column.put(i, org_ints.data());
    }
    for (int f = 0; f < kOrgVectorFieldCount; ++f) {
      done ? org_vectors[f].put(i, r.org_vectors.data() + f * orgs * dims) : org_vectors[f].fill(i, kNaN);
    }
    if (layout.events && done) {
      for (const Event& e : r.events) {
        block_events.push_back(
            {run, e.step, e.org, static_cast<std::int8_t>(e.kind), static_cast<std::int8_t>(e.cause), e.value});
      }
    }
  }

  /// Writes the gathered block: one write per dataset, events appended, statuses last.
  ///
  /// The order is what makes a file killed at any moment (kill -9, power cut aside) resumable:
  /// every [run, ...] dataset is preallocated and uncached (h5::Storage::Direct), so its writes reach
  /// the file in call order and change no metadata; the only metadata that changes is the extent of
  /// /events, which is flushed before the statuses are written. A run therefore reads as done only
  /// once all its data and events are in the file, and a run that does not read as done is redone by
  /// --resume (its stray events are dropped by compact_events()).
  void flush_block() {
    if (block_first < 0) return;
    const auto first = static_cast<hsize_t>(block_first);
    block_first = -1;
    std::vector<Segment> segments;
    for (hsize_t i = 0; i < block; ++i) {
      if (!written[i]) continue;
      if (!segments.empty() && segments.back().second == i) {
        ++segments.back().second;
      } else {
        segments.emplace_back(i, i + 1);
      }
    }
    std::fill(written.begin(), written.end(), 0);
    std::vector<EventRecord> rows = std::exchange(block_events, {});
    if (segments.empty()) return;
    for (RowSpace* space : {&run_space, &series_space, &sector_space, &org_space, &org_vector_space}) {
      space->select(first, segments);
    }
    for (Column* c : {&seed, &point, &replicate}) c->write(transfer.get(), working);
    if (H5Dwrite(message.get(), message_type.get(), run_space.memory.get(), run_space.file.get(), transfer.get(),
                 messages.data()) < 0) {
      h5::fail("cannot write /runs/message to '" + working + "'");
    }
    for (std::vector<Column>* list : {&params, &finals, &org_fields, &org_vectors}) {
      for (Column& c : *list) c.write(transfer.get(), working);
    }
    for (auto& [m, c] : series) c.write(transfer.get(), working);
    for (auto& [m, c] : sector_series) c.write(transfer.get(), working);
    if (!rows.empty()) {
      const hsize_t at = event_rows;
      // The chunks of /events and /event the new rows start, and 64 KiB for index nodes.
      const hsize_t chunk = event_chunk();
      const hsize_t new_chunks = (at + rows.size() + chunk - 1) / chunk - (at + chunk - 1) / chunk;
      check_room(new_chunks * chunk * (sizeof(EventRecord) + sizeof(float)) + (hsize_t{1} << 16));
      resize_events(at + rows.size());
      write_events(at, rows);
      h5::check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), "cannot flush '" + working + "'");
    }
    run_status.write(transfer.get(), working);
  }
};

ResultWriter::ResultWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ResultWriter::ResultWriter(const std::string& path, const ResultLayout& layout, const Provenance& provenance,
                           bool overwrite, WriteMode mode) {
  layout.validate();
  std::error_code ec;
  if (!overwrite && fs::exists(path, ec)) {
    throw OutputError("output file '" + path + "' already exists; use --overwrite to replace it");
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    throw OutputError("cannot create output file '" + path + "': directory '" + parent.string() + "' does not exist");
  }
  h5::QuietErrors quiet;
  auto impl = std::make_unique<Impl>(path, layout, mode);
  try {
    impl->create_file(provenance);
    std::array<Handle, kDimCount> scales = impl->create_scales();
    impl->build(true, scales);
    if (mode == WriteMode::InPlace) impl->publish();
  } catch (const OutputError& e) {
    // The error names the file the user asked for: HDF5's messages name only the dataset, and the
    // temporary ".partial" path is p3sim's business.
    std::string text = e.what();
    const std::string& working = impl->working;
    for (std::size_t at = text.find(working); at != std::string::npos; at = text.find(working, at + path.size()))
      text.replace(at, working.size(), path);
    if (text.find(path) == std::string::npos) text = "cannot create output file '" + path + "': " + text;
    throw OutputError(text);
  }
  impl_ = std::move(impl);
}

ResultWriter ResultWriter::open_existing(const std::string& path, const ResultLayout& layout) {
  layout.validate();
  {
    ResultReader reader(path);
    const std::string difference = reader.layout().difference(layout);
    if (!difference.empty())
      throw OutputError("cannot resume '" + path + "': " + difference + "; use --overwrite to start over");
  }
  h5::QuietErrors quiet;
  auto impl = std::make_unique<Impl>(path, layout, WriteMode::InPlace);
  impl->working = path;
  impl->published = true;
  impl->open_file();
  std::array<Handle, kDimCount> unused;
  impl->build(false, unused);
  impl->read_status();
  if (layout.events) impl->compact_events();
  return ResultWriter(std::move(impl));
}

ResultWriter::~ResultWriter() {
  h5::QuietErrors quiet;
  impl_.reset();
}
ResultWriter::ResultWriter(ResultWriter&&) noexcept = default;
ResultWriter& ResultWriter::operator=(ResultWriter&& other) noexcept {
  h5::QuietErrors quiet;
  impl_ = std::move(other.impl_);
  return *this;
}

void ResultWriter::write_run(std::int64_t run, std::int64_t point, std::int64_t replicate, const RunResult& result,
                             const std::vector<double>& params) {
  if (!impl_ || !impl_->file.valid()) throw std::logic_error("write_run on a closed ResultWriter");
  Impl& w = *impl_;
  if (run < 0 || run >= w.layout.runs)
    reject("run " + std::to_string(run) + " outside 0.." + std::to_string(w.layout.runs - 1));
  if (w.status[static_cast<std::size_t>(run)] == static_cast<std::int8_t>(RunStatus::Done)) {
    reject("run " + std::to_string(run) + " was already written");
  }
  if (result.status == RunStatus::Pending) reject("result of run " + std::to_string(run) + " is still pending");
  if (params.size() != w.layout.params.size()) {
    reject(std::to_string(params.size()) + " parameter values for " + std::to_string(w.layout.params.size()) +
           " parameters");
  }
  if (result.status == RunStatus::Done) w.layout.check_result(result);

  h5::QuietErrors quiet;
  const auto block = static_cast<std::int64_t>(w.block);
  if (w.block_first >= 0 && (run < w.block_first || run >= w.block_first + block)) w.flush_block();
  if (w.block_first < 0) w.block_first = run - run % block;
  const auto i = static_cast<std::size_t>(run - w.block_first);
  const auto code = static_cast<std::int8_t>(result.status);
  w.seed.put(i, &result.seed);
  w.point.put(i, &point);
  w.replicate.put(i, &replicate);
  w.run_status.put(i, &code);
  put_message(result.message, &w.messages[i * kMessageBytes]);
  for (std::size_t p = 0; p < params.size(); ++p) w.params[p].put(i, &params[p]);
  w.gather(i, run, result);
  w.written[i] = 1;
  w.status[static_cast<std::size_t>(run)] = code;
}

void ResultWriter::flush() {
  if (!impl_ || !impl_->file.valid()) return;
  h5::QuietErrors quiet;
  impl_->flush_block();
  h5::check(H5Fflush(impl_->file.get(), H5F_SCOPE_LOCAL), "cannot flush '" + impl_->working + "'");
}

void ResultWriter::close() {
  if (!impl_ || !impl_->file.valid()) return;
  h5::QuietErrors quiet;
  Impl& w = *impl_;
  try {
    w.flush_block();
    w.release_objects();
    w.file.close("cannot finish output file '" + w.working + "'");
    if (w.mode == WriteMode::Atomic) {
      std::error_code ec;
      fs::rename(w.working, w.target, ec);
      if (ec) throw OutputError("cannot move '" + w.working + "' to '" + w.target + "': " + ec.message());
    }
  } catch (...) {
    w.release_objects();
    w.file.reset();
    if (!w.published) {
      std::error_code ignored;
      fs::remove(w.working, ignored);
    }
    throw;
  }
}

const std::string& ResultWriter::path() const { return impl_->target; }
const ResultLayout& ResultWriter::layout() const { return impl_->layout; }

RunStatus ResultWriter::status(std::int64_t run) const {
  if (run < 0 || run >= impl_->layout.runs) throw std::out_of_range("run " + std::to_string(run) + " out of range");
  return static_cast<RunStatus>(impl_->status[static_cast<std::size_t>(run)]);
}

}  // namespace p3sim
