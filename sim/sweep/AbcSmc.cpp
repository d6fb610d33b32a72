// ABC-SMC pieces (see AbcSmc.hpp).
#include "sweep/AbcSmc.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "random/RandomStreams.hpp"
#include "run/Simulation.hpp"

namespace p3sim {
namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();
// Mixes "calibrat" into the master seed, so that proposal engines never share a seed with a
// sweep's replicates.
constexpr std::uint64_t kProposalTag = 0x63616c6962726174ULL;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double log_sum_exp(const std::vector<double>& x) {
  const double top = *std::max_element(x.begin(), x.end());
  if (!std::isfinite(top)) return top;
  double sum = 0;
  for (double v : x) sum += std::exp(v - top);
  return top + std::log(sum);
}

}  // namespace

double AbcGeneration::acceptance_rate() const {
  return simulated > 0 ? static_cast<double>(size()) / static_cast<double>(simulated) : 0.0;
}

double AbcGeneration::ess() const {
  double sum = 0;
  for (double w : weights) sum += w * w;
  return sum > 0 ? 1.0 / sum : 0.0;
}

Proposal::Proposal(const std::vector<Prior>& priors, double stay_probability)
    : priors_(priors), stay_(stay_probability) {}

Proposal::Proposal(const std::vector<Prior>& priors, double stay_probability, const AbcGeneration& previous)
    : priors_(priors), stay_(stay_probability), from_prior_(false) {
  const std::size_t p = priors_.size(), n = static_cast<std::size_t>(previous.size());
  for (std::size_t i = 0; i < p; ++i) {
    if (!priors_[i].categorical()) continuous_.push_back(static_cast<int>(i));
  }
  particles_.resize(n, std::vector<double>(p));
  weights_ = previous.weights;
  cumulative_.resize(n);
  double total = 0;
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < p; ++i) particles_[j][i] = priors_[i].to_internal(previous.values[j * p + i]);
    total += weights_[j];
    cumulative_[j] = total;
  }
  // Twice the weighted covariance of the continuous coordinates (Beaumont et al. 2009), with a
  // floor of 1e-10 of each prior's variance so that a generation collapsed onto one value still
  // gives a proper kernel.
  const auto c = static_cast<Eigen::Index>(continuous_.size());
  if (c == 0) return;
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(c);
  for (std::size_t j = 0; j < n; ++j) {
    for (Eigen::Index a = 0; a < c; ++a) mean[a] += weights_[j] * particles_[j][static_cast<std::size_t>(continuous_[a])];
  }
  covariance_ = Eigen::MatrixXd::Zero(c, c);
  for (std::size_t j = 0; j < n; ++j) {
    Eigen::VectorXd d(c);
    for (Eigen::Index a = 0; a < c; ++a) d[a] = particles_[j][static_cast<std::size_t>(continuous_[a])] - mean[a];
    covariance_ += weights_[j] * d * d.transpose();
  }
  covariance_ *= 2.0;
  for (Eigen::Index a = 0; a < c; ++a) {
    covariance_(a, a) += 1e-10 * priors_[static_cast<std::size_t>(continuous_[a])].internal_variance();
  }
  Eigen::LLT<Eigen::MatrixXd> llt(covariance_);
  if (llt.info() != Eigen::Success) {
    // Rounding made a nearly singular matrix indefinite: keep the variances only.
    covariance_ = Eigen::MatrixXd(covariance_.diagonal().asDiagonal());
    llt.compute(covariance_);
  }
  cholesky_ = llt.matrixL();
  precision_ = llt.solve(Eigen::MatrixXd::Identity(c, c));
}

double Proposal::log_prior(const std::vector<double>& internal) const {
  double sum = 0;
  for (std::size_t i = 0; i < priors_.size(); ++i) sum += priors_[i].log_density(internal[i]);
  return sum;
}

Proposal::Draw Proposal::draw(std::uint64_t seed) const {
  Engine rng(seed);
  Draw d;
  const std::size_t p = priors_.size();
  d.internal.resize(p);
  if (from_prior_) {
    for (std::size_t i = 0; i < p; ++i) d.internal[i] = priors_[i].sample_internal(rng);
  } else {
    boost::random::uniform_01<double> uniform;
    const double u = uniform(rng) * cumulative_.back();
    const std::size_t j = std::min<std::size_t>(
        static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin()),
        cumulative_.size() - 1);
    d.internal = particles_[j];
    if (!continuous_.empty()) {
      boost::random::normal_distribution<double> normal(0.0, 1.0);
      const auto c = static_cast<Eigen::Index>(continuous_.size());
      Eigen::VectorXd z(c);
      for (Eigen::Index a = 0; a < c; ++a) z[a] = normal(rng);
      const Eigen::VectorXd step = cholesky_ * z;
      for (Eigen::Index a = 0; a < c; ++a) d.internal[static_cast<std::size_t>(continuous_[a])] += step[a];
    }
    for (std::size_t i = 0; i < p; ++i) {
      if (!priors_[i].categorical()) continue;
      const auto levels = static_cast<std::int64_t>(priors_[i].levels.size());
      if (levels < 2 || uniform(rng) < stay_) continue;
      // A jump to one of the other levels, equally likely.
      auto other = static_cast<std::int64_t>(uniform(rng) * static_cast<double>(levels - 1));
      other = std::min(other, levels - 2);
      const auto current = static_cast<std::int64_t>(d.internal[i]);
      d.internal[i] = static_cast<double>(other >= current ? other + 1 : other);
    }
  }
  d.in_support = std::isfinite(log_prior(d.internal));
  d.natural.resize(p);
  for (std::size_t i = 0; i < p; ++i) d.natural[i] = priors_[i].to_natural(d.internal[i]);
  return d;
}

double Proposal::log_weight(const std::vector<double>& internal) const {
  if (from_prior_) return 0.0;
  const double prior = log_prior(internal);
  if (!std::isfinite(prior)) return kMinusInfinity;
  const auto c = static_cast<Eigen::Index>(continuous_.size());
  std::vector<double> terms;
  terms.reserve(particles_.size());
  Eigen::VectorXd d(c);
  for (std::size_t j = 0; j < particles_.size(); ++j) {
    if (weights_[j] <= 0) continue;
    double log_k = std::log(weights_[j]);
    for (Eigen::Index a = 0; a < c; ++a) {
      const auto i = static_cast<std::size_t>(continuous_[a]);
      d[a] = internal[i] - particles_[j][i];
    }
    if (c > 0) log_k -= 0.5 * d.dot(precision_ * d);
    for (std::size_t i = 0; i < priors_.size(); ++i) {
      if (!priors_[i].categorical()) continue;
      const auto levels = static_cast<double>(priors_[i].levels.size());
      if (levels < 2) continue;
      log_k += std::log(internal[i] == particles_[j][i] ? stay_ : (1.0 - stay_) / (levels - 1.0));
    }
    terms.push_back(log_k);
  }
  // The Gaussian's normalizing constant is the same for every particle and cancels.
  return terms.empty() ? kMinusInfinity : prior - log_sum_exp(terms);
}

std::uint64_t proposal_seed(std::uint64_t master, int generation, std::int64_t attempt) {
  return derive_run_seed(derive_run_seed(master ^ kProposalTag, static_cast<std::uint64_t>(generation)),
                         static_cast<std::uint64_t>(attempt));
}

std::uint64_t simulation_seed(std::uint64_t master, int generation, std::int64_t attempt, int replication,
                              bool common_random_numbers) {
  if (common_random_numbers) return derive_run_seed(master, static_cast<std::uint64_t>(replication));
  return derive_run_seed(proposal_seed(master, generation, attempt), static_cast<std::uint64_t>(replication) + 1);
}

std::vector<double> target_statistics(const RunResult& run, const std::vector<TargetComponent>& targets) {
  std::vector<double> s;
  s.reserve(targets.size());
  for (const TargetComponent& c : targets) {
    s.push_back(c.final ? run.final_metrics.at(static_cast<std::size_t>(c.metric_index))
                        : run.at_series(c.metric_index, c.step));
  }
  return s;
}

std::vector<double> distance_scales(const std::vector<TargetComponent>& targets, const std::vector<double>& generation0) {
  const std::size_t k = targets.size(), n = k > 0 ? generation0.size() / k : 0;
  std::vector<double> scales(k, 1.0);
  for (std::size_t c = 0; c < k; ++c) {
    if (targets[c].sd > 0) {
      scales[c] = targets[c].sd;
      continue;
    }
    std::vector<double> column;
    for (std::size_t j = 0; j < n; ++j) {
      const double v = generation0[j * k + c];
      if (std::isfinite(v)) column.push_back(v);
    }
    double scale = 0;
    if (!column.empty()) {
      const double m = median(column);
      for (double& v : column) v = std::abs(v - m);
      scale = 1.4826 * median(column);
    }
    if (!(scale > 0)) scale = std::abs(targets[c].observed);
    scales[c] = scale > 0 ? scale : 1.0;
  }
  return scales;
}

double abc_distance(const std::vector<double>& s, const std::vector<TargetComponent>& targets,
                    const std::vector<double>& scales, DistanceKind kind) {
  double sum = 0;
  for (std::size_t c = 0; c < targets.size(); ++c) {
    if (!std::isfinite(s[c])) return std::numeric_limits<double>::infinity();
    const double z = (s[c] - targets[c].observed) / scales[c];
    sum += targets[c].weight * (kind == DistanceKind::Euclidean ? z * z : std::abs(z));
  }
  return kind == DistanceKind::Euclidean ? std::sqrt(sum) : sum;
}

double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights, double q) {
  // NaN (a statistic a run could not compute) has no place in an order: it carries no weight.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isnan(values[i])) order.push_back(i);
  }
  if (order.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  double total = 0;
  for (std::size_t i : order) total += weights[i];
  double cumulative = 0;
  for (std::size_t i : order) {
    cumulative += weights[i] / total;
    if (cumulative >= q - 1e-12) return values[i];
  }
  return values[order.back()];
}

std::vector<double> normalize_log_weights(const std::vector<double>& log_weights) {
  const double top = *std::max_element(log_weights.begin(), log_weights.end());
  std::vector<double> w(log_weights.size());
  double total = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    w[i] = std::exp(log_weights[i] - top);
    total += w[i];
  }
  for (double& x : w) x /= total;
  return w;
}

RunResult simulate_proposal(const CalibrationSpec& spec, const Proposal::Draw& draw, std::uint64_t seed) {
  const ScenarioEdits edits = spec.edits(draw.natural);
  // Inside a box whose corners were all validated, the particle's scenario is valid: rebuild it
  // without the validation passes (half the cost). Otherwise validate it like `p3sim run --set`.
  const Scenario scenario = spec.corners_checked ? reload_scenario(spec.scenario, edits)
                                                 : load_scenario(spec.scenario, spec.scenario_origin, edits);
  return run_once(scenario, seed);
}

}  // namespace p3sim
