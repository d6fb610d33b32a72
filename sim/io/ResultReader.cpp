#include "io/ResultReader.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <utility>

namespace p3sim {
namespace {

using h5::Handle;

constexpr hsize_t kEventBlock = 65536;  // rows per read when scanning /events

Handle open_dataset(hid_t file, const std::string& path) {
  return h5::own(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset '" + path + "'");
}

std::vector<hsize_t> extent_of(hid_t data, const std::string& path) {
  Handle space = h5::own(H5Dget_space(data), H5Sclose, "cannot read the shape of '" + path + "'");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) h5::fail("cannot read the shape of '" + path + "'");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0)
    h5::check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), "cannot read the shape of '" + path + "'");
  return dims;
}

/// Every element of dataset `path`, converted to `mem_type` (element type T).
template <typename T>
std::vector<T> read_all(hid_t file, const std::string& path, hid_t mem_type, hid_t transfer) {
  Handle data = open_dataset(file, path);
  std::size_t count = 1;
  for (hsize_t d : extent_of(data.get(), path)) count *= d;
  std::vector<T> out(count);
  if (count > 0) {
    h5::check(H5Dread(data.get(), mem_type, H5S_ALL, H5S_ALL, transfer, out.data()), "cannot read '" + path + "'");
  }
  return out;
}

std::vector<std::string> read_all_strings(hid_t file, const std::string& path, hid_t transfer) {
  Handle data = open_dataset(file, path);
  std::size_t count = 1;
  for (hsize_t d : extent_of(data.get(), path)) count *= d;
  Handle type = h5::own(H5Dget_type(data.get()), H5Tclose, "cannot read the type of '" + path + "'");
  return h5::read_strings(
      type.get(), count,
      [&](hid_t mem, void* buffer) { return H5Dread(data.get(), mem, H5S_ALL, H5S_ALL, transfer, buffer); },
      "cannot read '" + path + "'");
}

/// Names of the links in group `path`, in creation order.
std::vector<std::string> links_in_creation_order(hid_t file, const std::string& path) {
  Handle group = h5::own(H5Gopen2(file, path.c_str(), H5P_DEFAULT), H5Gclose, "cannot open group '" + path + "'");
  std::vector<std::string> out;
  hsize_t index = 0;
  const herr_t status = H5Literate(
      group.get(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &index,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &out);
  h5::check(status, "cannot list group '" + path + "'");
  return out;
}

}  // namespace

h5::Handle event_record_type() {
  const std::string what = "cannot build the event record type";
  Handle type = h5::own(H5Tcreate(H5T_COMPOUND, sizeof(EventRecord)), H5Tclose, what);
  h5::check(H5Tinsert(type.get(), "run", offsetof(EventRecord, run), H5T_NATIVE_INT64), what);
  h5::check(H5Tinsert(type.get(), "step", offsetof(EventRecord, step), H5T_NATIVE_INT32), what);
  h5::check(H5Tinsert(type.get(), "org", offsetof(EventRecord, org), H5T_NATIVE_INT32), what);
  h5::check(H5Tinsert(type.get(), "kind", offsetof(EventRecord, kind), H5T_NATIVE_INT8), what);
  h5::check(H5Tinsert(type.get(), "cause", offsetof(EventRecord, cause), H5T_NATIVE_INT8), what);
  h5::check(H5Tinsert(type.get(), "value", offsetof(EventRecord, value), H5T_NATIVE_DOUBLE), what);
  return type;
}

struct ResultReader::Impl {
  std::string path;
  h5::TransferList transfer;
  Handle file;
  Provenance provenance;
  ResultLayout layout;

  void check_run(std::int64_t run) const {
    if (run < 0 || run >= layout.runs) {
      throw std::out_of_range("run " + std::to_string(run) + " outside 0.." + std::to_string(layout.runs - 1) +
                              " in '" + path + "'");
    }
  }

  /// Reads row `run` of open dataset `data` (first axis run) into `out`, converted to `mem_type`;
  /// `out` must hold row_size(data) elements.
  void read_row(hid_t data, const std::string& dataset_path, std::int64_t run, hid_t mem_type, void* out) const {
    std::vector<hsize_t> extent = extent_of(data, dataset_path);
    std::vector<hsize_t> start(extent.size(), 0);
    start[0] = static_cast<hsize_t>(run);
    extent[0] = 1;
    Handle space = h5::own(H5Dget_space(data), H5Sclose, "cannot read '" + dataset_path + "'");
    h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr),
              "cannot read '" + dataset_path + "'");
    Handle memory = h5::simple_space(extent);
    h5::check(H5Dread(data, mem_type, memory.get(), space.get(), transfer.get(), out),
              "cannot read '" + dataset_path + "'");
  }

  /// Opens `group`/`name`; OutputError "`what` 'name' is not in FILE" if there is no such dataset.
  Handle open_member(const std::string& group, const std::string& name, const char* what) const {
    Handle g = h5::own(H5Gopen2(file.get(), group.c_str(), H5P_DEFAULT), H5Gclose, "cannot open group '" + group + "'");
    if (!h5::has_link(g.get(), name)) throw OutputError(std::string(what) + " '" + name + "' is not in '" + path + "'");
    return open_dataset(file.get(), group + "/" + name);
  }

  /// A file whose datasets do not have the layout's shape is damaged: check_shapes() refuses it
  /// when it is opened, so that no caller indexes past what the file holds (a fuzzed file with a
  /// short /final/outcome was read past its end).
  void expect_shape(const std::vector<hsize_t>& extent, const std::string& dataset_path,
                    const std::vector<hsize_t>& expected) const {
    if (extent == expected) return;
    const auto text = [](const std::vector<hsize_t>& v) {
      std::string t = "[";
      for (std::size_t i = 0; i < v.size(); ++i) t += (i ? ", " : "") + std::to_string(v[i]);
      return t + "]";
    };
    throw OutputError("'" + path + "' is damaged: dataset '" + dataset_path + "' has shape " + text(extent) +
                      ", expected " + text(expected) + " (from its runs, steps, sectors, organizations)");
  }

  /// Row `run` of `group`/`name` as doubles.
  std::vector<double> row(const std::string& group, const std::string& name, std::int64_t run, const char* what) const {
    check_run(run);
    Handle data = open_member(group, name, what);
    const std::string dataset_path = group + "/" + name;
    std::size_t count = 1;
    const std::vector<hsize_t> extent = extent_of(data.get(), dataset_path);
    for (std::size_t i = 1; i < extent.size(); ++i) count *= extent[i];
    std::vector<double> out(count);
    if (count > 0) read_row(data.get(), dataset_path, run, H5T_NATIVE_DOUBLE, out.data());
    return out;
  }

  /// Element `run` of the one-dimensional dataset `path`, converted to `mem_type` (type T).
  template <typename T>
  T element(const std::string& dataset_path, std::int64_t run, hid_t mem_type) const {
    Handle data = open_dataset(file.get(), dataset_path);
    T value{};
    read_row(data.get(), dataset_path, run, mem_type, &value);
    return value;
  }

  std::string message(std::int64_t run) const {
    const std::string dataset_path = "/runs/message";
    Handle data = open_dataset(file.get(), dataset_path);
    Handle type = h5::own(H5Dget_type(data.get()), H5Tclose, "cannot read the type of '" + dataset_path + "'");
    return h5::read_strings(
               type.get(), 1,
               [&](hid_t mem, void* buffer) {
                 read_row(data.get(), dataset_path, run, mem, buffer);
                 return herr_t{0};
               },
               "cannot read '" + dataset_path + "'")
        .front();
  }

  std::vector<double> column(const std::string& group, const std::string& name, const char* what) const {
    open_member(group, name, what);
    return read_all<double>(file.get(), group + "/" + name, H5T_NATIVE_DOUBLE, transfer.get());
  }

  /// Every dataset of the layout has the layout's shape (metadata only: no data is read).
  void check_shapes() const {
    const auto runs = static_cast<hsize_t>(layout.runs), states = static_cast<hsize_t>(layout.recorded_steps().size()),
               sectors = static_cast<hsize_t>(layout.sectors.size()), orgs = static_cast<hsize_t>(layout.orgs.size()),
               dims = static_cast<hsize_t>(layout.dims.size());
    const auto check = [&](const std::string& dataset_path, const std::vector<hsize_t>& expected) {
      Handle data = open_dataset(file.get(), dataset_path);
      expect_shape(extent_of(data.get(), dataset_path), dataset_path, expected);
    };
    check("/step", {states});
    for (const char* name : {"seed", "point", "replicate", "status", "message"}) check(std::string("/runs/") + name, {runs});
    for (const char* m : kFinalMetrics) check(std::string("/final/") + m, {runs});
    for (const std::string& p : layout.params) check("/params/" + param_dataset_name(p), {runs});
    for (const std::string& m : layout.series) check("/series/" + m, {runs, states});
    for (const char* m : kSectorSeriesMetrics) {
      if (layout.records(m)) check(std::string("/series_by_sector/") + m, {runs, states, sectors});
    }
    for (const char* f : kOrgFields) check(std::string("/org_final/") + f, {runs, orgs});
    for (const char* f : kOrgVectorFields) check(std::string("/org_final/") + f, {runs, orgs, dims});
  }

  ResultLayout read_layout() const {
    const hid_t f = file.get();
    ResultLayout l;
    std::int32_t value = 0;
    h5::read_scalar_attribute(f, "steps", H5T_NATIVE_INT32, &value);
    l.steps = value;
    h5::read_scalar_attribute(f, "record_every", H5T_NATIVE_INT32, &value);
    l.every = value;
    {
      Handle run = open_dataset(f, "/run");
      l.runs = static_cast<std::int64_t>(extent_of(run.get(), "/run").at(0));
    }
    l.sectors = read_all_strings(f, "/sectors/name", transfer.get());
    l.orgs = read_all_strings(f, "/orgs/name", transfer.get());
    l.org_sectors = read_all<int>(f, "/orgs/sector_index", H5T_NATIVE_INT, transfer.get());
    l.dims = read_all_strings(f, "/dim", transfer.get());
    for (const std::string& name : links_in_creation_order(f, "/params")) {
      Handle data = open_dataset(f, "/params/" + name);
      l.params.push_back(h5::read_string_attribute(data.get(), "parameter"));
    }
    l.series.clear();
    Handle series = h5::own(H5Gopen2(f, "/series", H5P_DEFAULT), H5Gclose, "cannot open group '/series'");
    for (const char* m : kSeriesMetrics) {
      if (h5::has_link(series.get(), m)) l.series.emplace_back(m);
    }
    l.events = h5::has_link(f, "events");
    // Names and sector indices of organizations, steps and runs that agree with each other.
    try {
      l.validate();
    } catch (const std::invalid_argument& e) {
      throw OutputError("'" + path + "' is damaged: " + std::string(e.what()));
    }
    return l;
  }
};

ResultReader::ResultReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  h5::QuietErrors quiet;
  Impl& r = *impl_;
  r.path = path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw OutputError("cannot open '" + path + "': no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw OutputError("cannot open '" + path + "': not an HDF5 file");
  r.file = h5::own(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "cannot open '" + path + "'");
  if (!h5::has_attribute(r.file.get(), "format_version")) {
    throw OutputError("'" + path + "' is not a p3sim result file (no format_version attribute)");
  }
  try {
    r.provenance = read_provenance(r.file.get());
    if (r.provenance.format_version < kOldestFormatVersion || r.provenance.format_version > kFormatVersion) {
      throw OutputError("format_version " + std::to_string(r.provenance.format_version) + " is not supported (this p3sim reads " +
                        std::to_string(kOldestFormatVersion) + ".." + std::to_string(kFormatVersion) + ")");
    }
    r.layout = r.read_layout();
    r.check_shapes();
  } catch (const OutputError& e) {
    throw OutputError("cannot read '" + path + "': " + e.what());
  }
}

ResultReader::~ResultReader() = default;
ResultReader::ResultReader(ResultReader&&) noexcept = default;
ResultReader& ResultReader::operator=(ResultReader&&) noexcept = default;

const std::string& ResultReader::path() const { return impl_->path; }
const Provenance& ResultReader::provenance() const { return impl_->provenance; }
const ResultLayout& ResultReader::layout() const { return impl_->layout; }
std::vector<std::int32_t> ResultReader::steps() const { return impl_->layout.recorded_steps(); }

RunsTable ResultReader::runs() const {
  h5::QuietErrors quiet;
  const hid_t f = impl_->file.get();
  RunsTable t;
  t.seed = read_all<std::uint64_t>(f, "/runs/seed", H5T_NATIVE_UINT64, impl_->transfer.get());
  t.point = read_all<std::int64_t>(f, "/runs/point", H5T_NATIVE_INT64, impl_->transfer.get());
  t.replicate = read_all<std::int64_t>(f, "/runs/replicate", H5T_NATIVE_INT64, impl_->transfer.get());
  const std::vector<std::int8_t> codes =
      read_all<std::int8_t>(f, "/runs/status", H5T_NATIVE_INT8, impl_->transfer.get());
  for (std::int8_t c : codes) t.status.push_back(static_cast<RunStatus>(c));
  t.message = read_all_strings(f, "/runs/message", impl_->transfer.get());
  return t;
}

std::vector<double> ResultReader::final_metric(const std::string& metric) const {
  h5::QuietErrors quiet;
  return impl_->column("/final", metric, "final metric");
}

std::vector<double> ResultReader::param(const std::string& name) const {
  h5::QuietErrors quiet;
  const auto& names = impl_->layout.params;
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    throw OutputError("parameter '" + name + "' is not in '" + impl_->path + "'");
  }
  return impl_->column("/params", param_dataset_name(name), "parameter");
}

std::vector<double> ResultReader::series_row(const std::string& metric, std::int64_t run) const {
  h5::QuietErrors quiet;
  return impl_->row("/series", metric, run, "series");
}

std::vector<double> ResultReader::sector_series_row(const std::string& metric, std::int64_t run) const {
  h5::QuietErrors quiet;
  return impl_->row("/series_by_sector", metric, run, "sector series");
}

std::vector<double> ResultReader::org_field_row(const std::string& field, std::int64_t run) const {
  h5::QuietErrors quiet;
  return impl_->row("/org_final", field, run, "org field");
}

std::vector<double> ResultReader::org_vector_row(const std::string& field, std::int64_t run) const {
  h5::QuietErrors quiet;
  return impl_->row("/org_final", field, run, "org field");
}

std::int64_t ResultReader::event_count() const {
  if (!impl_->layout.events) return 0;
  h5::QuietErrors quiet;
  Handle data = open_dataset(impl_->file.get(), "/events");
  return static_cast<std::int64_t>(extent_of(data.get(), "/events").at(0));
}

std::vector<EventRecord> ResultReader::events(std::int64_t first, std::int64_t count) const {
  const std::int64_t total = event_count();
  first = std::clamp<std::int64_t>(first, 0, total);
  count = std::clamp<std::int64_t>(count, 0, total - first);
  std::vector<EventRecord> out(static_cast<std::size_t>(count));
  if (count == 0) return out;
  h5::QuietErrors quiet;
  Handle data = open_dataset(impl_->file.get(), "/events");
  Handle space = h5::own(H5Dget_space(data.get()), H5Sclose, "cannot read /events");
  const hsize_t start = static_cast<hsize_t>(first), n = static_cast<hsize_t>(count);
  h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &start, nullptr, &n, nullptr), "cannot read /events");
  Handle memory = h5::simple_space({n});
  Handle type = event_record_type();
  h5::check(H5Dread(data.get(), type.get(), memory.get(), space.get(), impl_->transfer.get(), out.data()),
            "cannot read /events");
  return out;
}

RunResult ResultReader::read_run(std::int64_t run) const {
  impl_->check_run(run);
  const ResultLayout& l = impl_->layout;
  const auto sectors = static_cast<int>(l.sectors.size()), orgs = static_cast<int>(l.orgs.size()),
             dims = static_cast<int>(l.dims.size());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  RunResult r;
  r.allocate(l.steps, sectors, orgs, dims);
  std::fill(r.series.begin(), r.series.end(), nan);
  std::fill(r.sector_series.begin(), r.sector_series.end(), nan);
  const std::vector<std::int32_t> steps = l.recorded_steps();
  h5::QuietErrors quiet;
  r.seed = impl_->element<std::uint64_t>("/runs/seed", run, H5T_NATIVE_UINT64);
  r.status = static_cast<RunStatus>(impl_->element<std::int8_t>("/runs/status", run, H5T_NATIVE_INT8));
  r.message = impl_->message(run);
  for (int m = 0; m < kFinalCount; ++m)
    r.final_metrics[m] = impl_->row("/final", kFinalMetrics[m], run, "final metric")[0];
  for (int m = 0; m < kSeriesCount; ++m) {
    if (!l.records(kSeriesMetrics[m])) continue;
    const std::vector<double> values = series_row(kSeriesMetrics[m], run);
    for (std::size_t k = 0; k < steps.size(); ++k) r.at_series(m, steps[k]) = values[k];
  }
  for (int m = 0; m < kSectorSeriesCount; ++m) {
    if (!l.records(kSectorSeriesMetrics[m])) continue;
    const std::vector<double> values = sector_series_row(kSectorSeriesMetrics[m], run);
    for (std::size_t k = 0; k < steps.size(); ++k) {
      for (int s = 0; s < sectors; ++s) r.at_sector(m, steps[k], s) = values[k * static_cast<std::size_t>(sectors) + s];
    }
  }
  for (int f = 0; f < kOrgFieldCount; ++f) {
    const std::vector<double> values = org_field_row(kOrgFields[f], run);
    std::copy(values.begin(), values.end(), r.org_fields.begin() + static_cast<std::ptrdiff_t>(f) * orgs);
  }
  for (int f = 0; f < kOrgVectorFieldCount; ++f) {
    const std::vector<double> values = org_vector_row(kOrgVectorFields[f], run);
    std::copy(values.begin(), values.end(), r.org_vectors.begin() + static_cast<std::ptrdiff_t>(f) * orgs * dims);
  }
  const std::int64_t total = event_count();
  for (std::int64_t first = 0; first < total; first += static_cast<std::int64_t>(kEventBlock)) {
    for (const EventRecord& e : events(first, static_cast<std::int64_t>(kEventBlock))) {
      if (e.run != run) continue;
      r.events.push_back({e.step, e.org, static_cast<EventKind>(e.kind), static_cast<Cause>(e.cause), e.value});
    }
  }
  return r;
}

}  // namespace p3sim
