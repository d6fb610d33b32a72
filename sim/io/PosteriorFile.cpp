// Writing and reading posterior files (see PosteriorFile.hpp).
#include "io/PosteriorFile.hpp"

#include <cstdio>
#include <filesystem>

#include <unistd.h>

#include "io/H5Handle.hpp"

namespace p3sim {
namespace {

using h5::Handle;

void write_strings(hid_t file, const std::string& path, const std::vector<std::string>& values) {
  Handle type = h5::string_type();
  Handle d = h5::dataset(file, true, path, type.get(), {values.size()}, {});
  std::vector<const char*> texts;
  for (const std::string& v : values) texts.push_back(v.c_str());
  if (!texts.empty()) h5::check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), "cannot write " + path);
}

template <typename T>
void write_numbers(hid_t file, const std::string& path, hid_t file_type, hid_t mem_type, const std::vector<T>& values,
                   const std::vector<hsize_t>& extent) {
  Handle d = h5::dataset(file, true, path, file_type, extent, {});
  if (!values.empty()) h5::check(H5Dwrite(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "cannot write " + path);
}

void write_doubles(hid_t file, const std::string& path, const std::vector<double>& values,
                   const std::vector<hsize_t>& extent) {
  write_numbers(file, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values, extent);
}

std::vector<hsize_t> extent_of(hid_t file, const std::string& path) {
  Handle d = h5::own(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, "cannot open " + path);
  Handle space = h5::own(H5Dget_space(d.get()), H5Sclose, "cannot read the extent of " + path);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) h5::fail("cannot read the extent of " + path);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

std::vector<std::string> read_strings(hid_t file, const std::string& path) {
  const std::string what = "cannot read " + path;
  Handle d = h5::own(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, what);
  Handle type = h5::own(H5Dget_type(d.get()), H5Tclose, what);
  const std::vector<hsize_t> dims = extent_of(file, path);
  const std::size_t n = dims.empty() ? 1 : static_cast<std::size_t>(dims[0]);
  return h5::read_strings(
      type.get(), n, [&](hid_t mem, void* buf) { return H5Dread(d.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); },
      what);
}

template <typename T>
std::vector<T> read_numbers(hid_t file, const std::string& path, hid_t mem_type) {
  const std::string what = "cannot read " + path;
  const std::vector<hsize_t> dims = extent_of(file, path);
  std::size_t n = 1;
  for (hsize_t x : dims) n *= static_cast<std::size_t>(x);
  std::vector<T> out(n);
  Handle d = h5::own(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, what);
  if (n > 0) h5::check(H5Dread(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), what);
  return out;
}

// Generation g's slice of a [G, ...] array.
std::vector<double> slice(const std::vector<double>& all, std::size_t g, std::size_t per) {
  return {all.begin() + static_cast<std::ptrdiff_t>(g * per), all.begin() + static_cast<std::ptrdiff_t>((g + 1) * per)};
}

}  // namespace

void write_posterior_file(const std::string& path, const PosteriorData& data) {
  const h5::QuietErrors quiet;
  const std::filesystem::path target(path);
  const std::string temporary =
      (target.parent_path() / ("." + target.filename().string() + ".part" + std::to_string(getpid()))).string();
  const std::size_t g = data.generations.size(), n = static_cast<std::size_t>(data.particles),
                    p = data.parameter_names.size(), k = data.target_names.size();
  {
    const std::string what = "cannot create '" + temporary + "'";
    Handle fcpl = h5::own(H5Pcreate(H5P_FILE_CREATE), H5Pclose, what);
    h5::check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
    Handle file = h5::own(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), H5Fclose, what);
    const hid_t f = file.get();
    write_provenance(f, data.provenance);
    h5::write_string_attribute(f, "file_kind", "calibration");
    const std::int32_t version = kCalibrationFormatVersion, complete = data.complete ? 1 : 0;
    h5::write_scalar_attribute(f, "calibration_format_version", H5T_STD_I32LE, H5T_NATIVE_INT32, &version);
    h5::write_string_attribute(f, "calibration_json", data.calibration_json);
    h5::write_string_attribute(f, "stop_reason", data.stop_reason);
    h5::write_scalar_attribute(f, "complete", H5T_STD_I32LE, H5T_NATIVE_INT32, &complete);
    for (const char* group : {"/parameters", "/targets", "/generations", "/particles"}) (void)h5::create_group(f, group);
    write_strings(f, "/parameters/name", data.parameter_names);
    write_strings(f, "/parameters/prior", data.parameter_priors);
    write_strings(f, "/parameters/kind", data.parameter_kinds);
    write_strings(f, "/targets/name", data.target_names);
    write_strings(f, "/targets/metric", data.target_metrics);
    write_strings(f, "/targets/source", data.target_sources);
    write_numbers(f, "/targets/step", H5T_STD_I32LE, H5T_NATIVE_INT32, data.target_steps, {k});
    write_doubles(f, "/targets/observed", data.observed, {k});
    write_doubles(f, "/targets/scale", data.scales, {k});
    write_doubles(f, "/targets/weight", data.target_weights, {k});
    std::vector<double> tolerance, rate, ess, values, weights, distances, statistics;
    std::vector<std::int64_t> attempts, simulated, simulations, accepted;
    for (const PosteriorGeneration& gen : data.generations) {
      tolerance.push_back(gen.tolerance);
      rate.push_back(gen.acceptance_rate);
      ess.push_back(gen.ess);
      attempts.push_back(gen.attempts);
      simulated.push_back(gen.simulated);
      simulations.push_back(gen.simulations);
      accepted.push_back(static_cast<std::int64_t>(gen.weights.size()));
      values.insert(values.end(), gen.values.begin(), gen.values.end());
      weights.insert(weights.end(), gen.weights.begin(), gen.weights.end());
      distances.insert(distances.end(), gen.distances.begin(), gen.distances.end());
      statistics.insert(statistics.end(), gen.statistics.begin(), gen.statistics.end());
    }
    write_doubles(f, "/generations/tolerance", tolerance, {g});
    write_numbers(f, "/generations/attempts", H5T_STD_I64LE, H5T_NATIVE_INT64, attempts, {g});
    write_numbers(f, "/generations/simulated", H5T_STD_I64LE, H5T_NATIVE_INT64, simulated, {g});
    write_numbers(f, "/generations/simulations", H5T_STD_I64LE, H5T_NATIVE_INT64, simulations, {g});
    write_numbers(f, "/generations/accepted", H5T_STD_I64LE, H5T_NATIVE_INT64, accepted, {g});
    write_doubles(f, "/generations/acceptance_rate", rate, {g});
    write_doubles(f, "/generations/ess", ess, {g});
    write_doubles(f, "/particles/value", values, {g, n, p});
    write_doubles(f, "/particles/weight", weights, {g, n});
    write_doubles(f, "/particles/distance", distances, {g, n});
    write_doubles(f, "/particles/statistics", statistics, {g, n, k});
    file.close("cannot write '" + temporary + "'");
  }
  std::error_code ec;
  std::filesystem::rename(temporary, target, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw OutputError("cannot replace '" + path + "': " + ec.message());
  }
}

PosteriorData read_posterior_file(const std::string& path) {
  const h5::QuietErrors quiet;
  Handle file = h5::own(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "cannot open '" + path + "'");
  const hid_t f = file.get();
  if (H5Aexists(f, "file_kind") <= 0 || h5::read_string_attribute(f, "file_kind") != "calibration") {
    throw OutputError(path + " is not a posterior file of p3sim calibrate (no file_kind \"calibration\")");
  }
  std::int32_t version = 0, complete = 0;
  h5::read_scalar_attribute(f, "calibration_format_version", H5T_NATIVE_INT32, &version);
  if (version > kCalibrationFormatVersion) {
    throw OutputError(path + " has calibration format version " + std::to_string(version) + "; this p3sim reads up to " +
                      std::to_string(kCalibrationFormatVersion));
  }
  PosteriorData data;
  data.provenance = read_provenance(f);
  data.calibration_json = h5::read_string_attribute(f, "calibration_json");
  data.stop_reason = h5::read_string_attribute(f, "stop_reason");
  h5::read_scalar_attribute(f, "complete", H5T_NATIVE_INT32, &complete);
  data.complete = complete != 0;
  data.parameter_names = read_strings(f, "/parameters/name");
  data.parameter_priors = read_strings(f, "/parameters/prior");
  data.parameter_kinds = read_strings(f, "/parameters/kind");
  data.target_names = read_strings(f, "/targets/name");
  data.target_metrics = read_strings(f, "/targets/metric");
  data.target_sources = read_strings(f, "/targets/source");
  data.target_steps = read_numbers<std::int32_t>(f, "/targets/step", H5T_NATIVE_INT32);
  data.observed = read_numbers<double>(f, "/targets/observed", H5T_NATIVE_DOUBLE);
  data.scales = read_numbers<double>(f, "/targets/scale", H5T_NATIVE_DOUBLE);
  data.target_weights = read_numbers<double>(f, "/targets/weight", H5T_NATIVE_DOUBLE);
  const std::vector<hsize_t> shape = extent_of(f, "/particles/value");
  if (shape.size() != 3) throw OutputError(path + ": /particles/value is not [generation, particle, parameter]");
  const std::size_t g = static_cast<std::size_t>(shape[0]), n = static_cast<std::size_t>(shape[1]),
                    p = data.parameter_names.size(), k = data.target_names.size();
  data.particles = static_cast<std::int64_t>(n);
  const auto tolerance = read_numbers<double>(f, "/generations/tolerance", H5T_NATIVE_DOUBLE);
  const auto rate = read_numbers<double>(f, "/generations/acceptance_rate", H5T_NATIVE_DOUBLE);
  const auto ess = read_numbers<double>(f, "/generations/ess", H5T_NATIVE_DOUBLE);
  const auto attempts = read_numbers<std::int64_t>(f, "/generations/attempts", H5T_NATIVE_INT64);
  const auto simulated = read_numbers<std::int64_t>(f, "/generations/simulated", H5T_NATIVE_INT64);
  const auto simulations = read_numbers<std::int64_t>(f, "/generations/simulations", H5T_NATIVE_INT64);
  const auto values = read_numbers<double>(f, "/particles/value", H5T_NATIVE_DOUBLE);
  const auto weights = read_numbers<double>(f, "/particles/weight", H5T_NATIVE_DOUBLE);
  const auto distances = read_numbers<double>(f, "/particles/distance", H5T_NATIVE_DOUBLE);
  const auto statistics = read_numbers<double>(f, "/particles/statistics", H5T_NATIVE_DOUBLE);
  if (tolerance.size() != g || values.size() != g * n * p || statistics.size() != g * n * k) {
    throw OutputError(path + ": the generation, particle and statistics datasets disagree in size");
  }
  for (std::size_t i = 0; i < g; ++i) {
    PosteriorGeneration gen;
    gen.tolerance = tolerance[i];
    gen.acceptance_rate = rate[i];
    gen.ess = ess[i];
    gen.attempts = attempts[i];
    gen.simulated = simulated[i];
    gen.simulations = simulations[i];
    gen.values = slice(values, i, n * p);
    gen.weights = slice(weights, i, n);
    gen.distances = slice(distances, i, n);
    gen.statistics = slice(statistics, i, n * k);
    data.generations.push_back(std::move(gen));
  }
  return data;
}

bool is_posterior_file(const std::string& path) {
  const h5::QuietErrors quiet;
  if (H5Fis_hdf5(path.c_str()) <= 0) return false;
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return false;
  Handle file(f, H5Fclose);
  try {
    return H5Aexists(f, "file_kind") > 0 && h5::read_string_attribute(f, "file_kind") == "calibration";
  } catch (const OutputError&) {
    return false;
  }
}

}  // namespace p3sim
