#pragma once
// Statistics: the t machinery under the estimators of stats/Estimators.hpp --
// sample mean, sample standard deviation and a Student-t 95% confidence interval for the mean --
// and paired differences for comparisons under common random numbers.
//
// Replications of a stochastic model are independent draws, so the t interval with n - 1 degrees of
// freedom is the textbook choice; the quantiles come from Boost.Math rather than a table so any n
// works. Non-finite values (e.g. cost_per_outcome of a run with no outcome) carry no information
// about the mean and are skipped; `n` always says how many values were used.
#include <cstddef>
#include <span>
#include <vector>

namespace p3sim {

/// Mean of a sample with its spread and 95% confidence interval.
struct Estimate {
  std::size_t n = 0;        ///< number of finite values used
  double mean = 0;          ///< sample mean (NaN when n == 0)
  double sd = 0;            ///< sample standard deviation, divisor n - 1 (NaN when n < 2)
  double half_width = 0;    ///< t(0.975, n - 1) * sd / sqrt(n) (NaN when n < 2; 0 when sd == 0)
  /// Lower end of the 95% confidence interval.
  double lo() const { return mean - half_width; }
  /// Upper end of the 95% confidence interval.
  double hi() const { return mean + half_width; }
};

/// Quantile `p` (0 < p < 1) of Student's t distribution with `df` > 0 degrees of freedom.
/// Throws std::domain_error for arguments out of range.
double t_quantile(double p, double df);

/// The two-sided 95% critical value t(0.975, df). Throws std::domain_error for df < 1.
double t_critical_95(std::size_t df);

/// Mean, standard deviation and 95% t interval of the finite values of `xs`.
Estimate estimate_mean(std::span<const double> xs);

/// Per-replicate differences treatment[i] - baseline[i] for every i where both are finite (a pair
/// with a missing side says nothing about the difference). Throws std::invalid_argument when the
/// two samples have different sizes: pairing needs one value per replicate on each side.
std::vector<double> paired_differences(std::span<const double> baseline, std::span<const double> treatment);

}  // namespace p3sim
