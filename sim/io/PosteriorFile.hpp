#pragma once
// PosteriorFile: the HDF5 file of a calibration (`p3sim calibrate -o post.h5`; docs/calibration.md,
// "The posterior file"): provenance, the parameters and their priors, the target components and
// their scales, and every generation's particles, weights, distances and statistics.
//
// The file is small (generations x particles x (parameters + targets) numbers), so it is written
// whole after every generation, to a temporary file in the same directory that then replaces the
// old one (rename is atomic): whenever the process dies, the file on disk holds every generation
// completed before, and `--resume` continues from there.
#include <cstdint>
#include <string>
#include <vector>

#include "io/Provenance.hpp"
#include "io/ResultLayout.hpp"

namespace p3sim {

/// Layout version of posterior files (root attribute calibration_format_version).
inline constexpr int kCalibrationFormatVersion = 1;

/// One generation as stored (see AbcGeneration in sweep/AbcSmc.hpp).
struct PosteriorGeneration {
  double tolerance = 0;
  std::int64_t attempts = 0, simulated = 0, simulations = 0;
  double acceptance_rate = 0, ess = 0;
  std::vector<double> values, weights, distances, statistics;  ///< [N*P], [N], [N], [N*K]
};

/// Everything a posterior file holds.
struct PosteriorData {
  Provenance provenance;         ///< root attributes, as in result files
  std::string calibration_json;  ///< the calibration, every default explicit
  std::string stop_reason;       ///< "" until finished
  bool complete = false;
  std::int64_t particles = 0;
  std::vector<std::string> parameter_names, parameter_priors, parameter_kinds;  ///< [P]
  std::vector<std::string> target_names, target_metrics, target_sources;        ///< [K]
  std::vector<std::int32_t> target_steps;                                       ///< [K], -1 for final
  std::vector<double> observed, scales, target_weights;                         ///< [K]
  std::vector<PosteriorGeneration> generations;
};

/// Writes `data` as the file at `path`, atomically (a temporary beside it, then rename).
/// Throws OutputError.
void write_posterior_file(const std::string& path, const PosteriorData& data);

/// Reads the file at `path`. Throws OutputError when it cannot be read or is not a posterior file.
PosteriorData read_posterior_file(const std::string& path);

/// Whether the HDF5 file at `path` is a posterior file (root attribute file_kind = "calibration").
/// False for anything that cannot be opened.
bool is_posterior_file(const std::string& path);

}  // namespace p3sim
