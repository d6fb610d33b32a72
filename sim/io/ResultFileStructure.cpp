// ResultFileStructure: creating a result file (provenance, dimension scales, every dataset with
// its attributes) or reopening one for --resume, and moving a new file into place.
#include "io/ResultWriterImpl.hpp"

#include <algorithm>
#include <system_error>
#include <utility>

namespace p3sim {

namespace {

std::vector<std::string> names(const char* const* begin, const char* const* end) { return {begin, end}; }

}  // namespace

void ResultWriter::Impl::publish() {
  h5::check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), "cannot flush '" + working + "'");
  std::error_code ec;
  fs::rename(working, target, ec);
  if (ec) throw OutputError("cannot move '" + working + "' to '" + target + "': " + ec.message());
  working = target;
  published = true;
}

void ResultWriter::Impl::release_objects() {
  for (Column* c : {&seed, &point, &replicate, &run_status}) *c = {};
  for (std::vector<Column>* list : {&params, &finals, &org_fields, &org_vectors}) list->clear();
  series.clear();
  sector_series.clear();
  for (Handle* h : {&message, &events, &event_dim, &string_type, &message_type, &event_type}) h->reset();
  for (RowSpace* space : {&run_space, &series_space, &sector_space, &org_space, &org_vector_space}) *space = {};
}

void ResultWriter::Impl::create_file(const Provenance& provenance) {
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

void ResultWriter::Impl::open_file() {
  file = h5::own(H5Fopen(working.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose,
                 "cannot open '" + working + "' for update");
}

Handle ResultWriter::Impl::write_strings(const std::string& path, const std::vector<std::string>& values) {
  Handle d = h5::dataset(file.get(), true, path, string_type.get(), {values.size()}, {});
  std::vector<const char*> texts;
  for (const std::string& v : values) texts.push_back(v.c_str());
  if (!texts.empty()) {
    h5::check(H5Dwrite(d.get(), string_type.get(), H5S_ALL, H5S_ALL, transfer.get(), texts.data()),
              "cannot write " + path);
  }
  return d;
}

std::array<Handle, kDimCount> ResultWriter::Impl::create_scales() {
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

void ResultWriter::Impl::build(bool create, std::array<Handle, kDimCount>& scales) {
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
    // by, no members to accept anything): declared as missing values (CF), so that netCDF readers
    // never average them.
    const double sentinel = -1;
    const std::pair<int, const char*> coded[] = {
        {kFTimeToGoal, "-1: the goal was not reached within the run's steps (right-censored at the horizon; "
                       "docs/estimators.md)"},
        {kFCostPerOutcome, "-1: undefined, the run had no outcome"},
        {kFAcceptability, "-1: undefined, the partnership had no members at the end"},
        {kFAcceptabilitySd, "-1: undefined, the partnership had fewer than two members at the end"}};
    for (const auto& [m, comment] : coded) {
      const hid_t d = finals[static_cast<std::size_t>(m)].data.get();
      h5::write_scalar_attribute(d, "missing_value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &sentinel);
      h5::write_string_attribute(d, "comment", comment);
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

void ResultWriter::Impl::read_status() {
  h5::check(H5Dread(run_status.data.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, transfer.get(), status.data()),
            "cannot read /runs/status");
}

}  // namespace p3sim
