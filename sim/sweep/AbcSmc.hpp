#pragma once
// AbcSmc: the pieces of ABC-SMC (population Monte Carlo; Beaumont, Cornuet, Marin and Robert 2009;
// Toni et al. 2009) that do not touch files or threads (docs/calibration.md, "The algorithm").
//
// A generation is N accepted particles with normalized importance weights. Generation 0 draws from
// the prior and accepts every draw. Generation t > 0 has the tolerance eps_t = the weighted
// q-quantile of generation t-1's distances; each proposal picks a particle of t-1 by weight and
// perturbs it (a Gaussian step with twice the weighted covariance of t-1 in internal coordinates,
// and for categorical parameters a jump to another level with probability 1 - stay). A proposal
// outside the prior's support is rejected without a run; the others are simulated and accepted
// when their distance is at most eps_t. An accepted particle's weight is
//   prior(theta) / sum_j w_j K(theta | theta_j),
// with K the untruncated kernel, which is exactly the density the proposals were drawn from.
//
// Determinism: proposal a of generation t draws from its own engine, seeded from (master seed, t,
// a), and particles are accepted in order of a, the first N that pass. Which thread or rank ran a
// simulation cannot change which particles are accepted. Everything the next generation needs is
// computed from a generation as stored (natural values, normalized weights), so a calibration
// resumed from its file continues with the same numbers as one never stopped.
#include <cstdint>
#include <limits>
#include <vector>

#include <Eigen/Dense>

#include "result/RunResult.hpp"
#include "sweep/CalibrationFile.hpp"

namespace p3sim {

/// One generation of accepted particles (N particles, P parameters, K target components).
struct AbcGeneration {
  double tolerance = std::numeric_limits<double>::infinity();
  std::int64_t attempts = 0;     ///< proposals drawn, those outside the prior included
  std::int64_t simulated = 0;    ///< proposals simulated (each with all its replications)
  std::int64_t simulations = 0;  ///< runs: simulated x replications
  std::vector<double> values;      ///< [N * P] natural values (categorical: level index)
  std::vector<double> weights;     ///< [N], sum 1
  std::vector<double> distances;   ///< [N]
  std::vector<double> statistics;  ///< [N * K]

  std::int64_t size() const { return static_cast<std::int64_t>(weights.size()); }
  /// Accepted / simulated proposals (1 for generation 0).
  double acceptance_rate() const;
  /// Effective sample size 1 / sum w^2.
  double ess() const;
};

/// Where proposals of a generation come from: the prior (generation 0) or the perturbed particles
/// of the previous generation. Immutable; safe to share between threads.
class Proposal {
 public:
  /// Generation 0: draws from the prior.
  Proposal(const std::vector<Prior>& priors, double stay_probability);
  /// A later generation: perturbs the particles of `previous`.
  Proposal(const std::vector<Prior>& priors, double stay_probability, const AbcGeneration& previous);

  struct Draw {
    std::vector<double> internal;  ///< internal coordinates (Prior.hpp)
    std::vector<double> natural;   ///< natural values, what the scenario gets
    bool in_support = true;        ///< false: outside the prior, rejected without a run
  };
  /// The proposal drawn from an engine seeded with `seed`.
  Draw draw(std::uint64_t seed) const;
  /// Log of the unnormalized importance weight of a particle at `internal`: 0 for generation 0
  /// (the prior proposes itself), log prior - log proposal density otherwise.
  double log_weight(const std::vector<double>& internal) const;
  /// The kernel's covariance in internal coordinates of the continuous parameters (empty for
  /// generation 0 or without continuous parameters).
  const Eigen::MatrixXd& covariance() const { return covariance_; }

 private:
  double log_prior(const std::vector<double>& internal) const;

  std::vector<Prior> priors_;
  double stay_ = 0.7;
  bool from_prior_ = true;
  std::vector<int> continuous_;                 ///< indices of continuous parameters
  std::vector<std::vector<double>> particles_;  ///< previous particles, internal coordinates
  std::vector<double> weights_;
  std::vector<double> cumulative_;  ///< cumulative weights, for picking a particle
  Eigen::MatrixXd covariance_, cholesky_, precision_;
};

/// The seed of proposal `attempt` of generation `generation`.
std::uint64_t proposal_seed(std::uint64_t master, int generation, std::int64_t attempt);
/// The seed of replication `replication` of that proposal: derive_run_seed(master, replication)
/// with common random numbers (the seeds of a sweep's replicates), else one of its own.
std::uint64_t simulation_seed(std::uint64_t master, int generation, std::int64_t attempt, int replication,
                              bool common_random_numbers);

/// The target statistics of one run, in component order.
std::vector<double> target_statistics(const RunResult& run, const std::vector<TargetComponent>& targets);

/// The scale of each component: its sd when given, else 1.4826 x the median absolute deviation of
/// its statistic over `generation0` ([N * K]); where that is 0, |observed|; where that is 0, 1.
std::vector<double> distance_scales(const std::vector<TargetComponent>& targets, const std::vector<double>& generation0);

/// Distance of statistics `s` from the observed values: sqrt(sum w_k z_k^2) (euclidean) or
/// sum w_k |z_k| (manhattan), z_k = (s_k - observed_k) / scale_k, w_k the component weights. A
/// non-finite statistic gives +infinity.
double abc_distance(const std::vector<double>& s, const std::vector<TargetComponent>& targets,
                    const std::vector<double>& scales, DistanceKind kind);

/// The weighted q-quantile: the smallest value whose cumulative normalized weight (values in
/// increasing order, ties in index order) reaches q. NaN values are left out (NaN if all are).
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double q);

/// Normalized weights from log weights (exp(l - max) / sum).
std::vector<double> normalize_log_weights(const std::vector<double>& log_weights);

/// Runs proposal `draw` with `seed`: the scenario with the draw's values, rebuilt without
/// validation when the calibration checked every corner of its priors' box (spec.corners_checked),
/// else loaded and validated like `p3sim run --set`.
RunResult simulate_proposal(const CalibrationSpec& spec, const Proposal::Draw& draw, std::uint64_t seed);

}  // namespace p3sim
