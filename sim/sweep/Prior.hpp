#pragma once
// Prior: the prior distribution of one calibrated parameter (docs/calibration.md, "Priors").
//
// ABC-SMC works on each parameter in an internal coordinate where the perturbation kernel is a
// Gaussian step: the value itself for uniform and truncated normal priors, its logarithm for a
// log-uniform prior (so a step is a factor, and the prior is flat), and the level index for a
// categorical prior (stepped by a jump, not a Gaussian). Densities are in internal coordinates and
// unnormalized where the constant cancels (importance weights are normalized per generation).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "random/RandomStreams.hpp"

namespace p3sim {

struct Prior {
  enum class Kind { Uniform, LogUniform, Normal, Categorical };
  Kind kind = Kind::Uniform;
  /// Support: [low, high] for uniform and log-uniform (natural scale), the truncation of a normal.
  double low = 0, high = 1;
  double mean = 0, sd = 1;                     ///< normal only
  std::vector<nlohmann::ordered_json> levels;  ///< categorical only: the values, in order
  std::vector<double> probabilities;           ///< categorical only: normalized, one per level

  bool categorical() const { return kind == Kind::Categorical; }
  /// The distribution's name in calibration files: "uniform", "log_uniform", "normal", "categorical".
  const char* name() const;
  /// Internal coordinate of a natural value (log for log-uniform; the level index for categorical).
  double to_internal(double natural) const;
  double to_natural(double internal) const;
  /// One draw, in internal coordinates. Uses uniform draws of `rng` only (inverse CDF), so a draw
  /// costs the same engine words on every platform.
  double sample_internal(Engine& rng) const;
  /// Log density at an internal coordinate, up to a constant; -infinity outside the support (for
  /// categorical: outside the level indices or a level of probability 0).
  double log_density(double internal) const;
  /// Variance in internal coordinates (the kernel's floor is scaled by it).
  double internal_variance() const;
  /// The JSON value to write into the scenario for a natural value: the level for categorical,
  /// the number otherwise.
  nlohmann::ordered_json scenario_value(double natural) const;
  /// The prior as calibration files write it, every default explicit (stored in posterior files).
  nlohmann::ordered_json json() const;
};

/// The prior written as `doc` (schema-valid: see calibration_schema()). Throws std::invalid_argument
/// with a message for what the schema cannot say (low >= high, log-uniform low <= 0, probabilities
/// that do not match the levels or sum to 0).
Prior prior_from_json(const nlohmann::ordered_json& doc);

}  // namespace p3sim
