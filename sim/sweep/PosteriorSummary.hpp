#pragma once
// PosteriorSummary: what `p3sim summarize post.h5` says of a calibration (docs/calibration.md,
// "Reading the posterior"): each parameter's weighted posterior (mean, sd, median, an equal-tailed
// credible interval; for a categorical parameter the probability of each level) beside its prior,
// and a posterior predictive check of every target.
#include <string>
#include <vector>

#include "io/PosteriorFile.hpp"

namespace p3sim {

struct ParameterPosterior {
  std::string name;
  bool categorical = false;
  double mean = 0, sd = 0, median = 0, low = 0, high = 0;  ///< continuous: weighted, natural scale
  double prior_low = 0, prior_high = 0;                    ///< the prior's central interval, same level
  std::vector<std::string> levels;                          ///< categorical: the levels (JSON text)
  std::vector<double> probabilities, prior_probabilities;   ///< categorical: posterior and prior
};

/// |z| above which a target fits poorly even when the observed value is inside its band: the
/// particles are still far from the data (a calibration stopped early, or targets in conflict).
inline constexpr double kPoorFitZ = 2.0;

struct TargetCheck {
  std::string name;
  double observed = 0, median = 0, low = 0, high = 0, scale = 1;
  /// (observed - median) / scale.
  double z = 0;
  /// Observed inside [low, high] and |z| <= kPoorFitZ.
  bool good = true;
};

struct PosteriorSummary {
  int generations = 0;
  std::int64_t particles = 0, simulations = 0;
  double tolerance = 0, acceptance_rate = 0, ess = 0;  ///< of the last generation
  std::string stop_reason;
  bool complete = false;
  double level = 0.95;
  std::vector<ParameterPosterior> parameters;
  std::vector<TargetCheck> targets;
};

/// The summary of the last generation of `data` at credible level `level` (0 < level < 1).
/// Throws std::invalid_argument when the file holds no generation.
PosteriorSummary summarize_posterior(const PosteriorData& data, double level = 0.95);

}  // namespace p3sim
