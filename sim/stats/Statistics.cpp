// Statistics: mean, standard deviation, Student-t confidence intervals, paired differences.
#include "stats/Statistics.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <boost/math/distributions/students_t.hpp>

namespace p3sim {

double t_quantile(double p, double df) {
  if (!(p > 0 && p < 1)) throw std::domain_error("t_quantile: p must be in (0, 1)");
  if (!(df > 0)) throw std::domain_error("t_quantile: degrees of freedom must be > 0");
  // Boost.Math reports domain errors through its own policy; the checks above keep the message ours.
  const boost::math::students_t_distribution<double> dist(df);
  return boost::math::quantile(dist, p);
}

double t_critical_95(std::size_t df) {
  if (df < 1) throw std::domain_error("t_critical_95: degrees of freedom must be >= 1");
  return t_quantile(0.975, static_cast<double>(df));
}

Estimate estimate_mean(std::span<const double> xs) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  Estimate e;
  double sum = 0;
  for (double x : xs) {
    if (std::isfinite(x)) {
      sum += x;
      ++e.n;
    }
  }
  if (e.n == 0) {
    e.mean = e.sd = e.half_width = nan;
    return e;
  }
  e.mean = sum / static_cast<double>(e.n);
  if (e.n < 2) {
    e.sd = e.half_width = nan;
    return e;
  }
  // Two passes (mean, then squared deviations) rather than the one-pass formula, which loses
  // precision when the mean is large relative to the spread (e.g. adopters in the thousands).
  double ss = 0;
  for (double x : xs) {
    if (std::isfinite(x)) ss += (x - e.mean) * (x - e.mean);
  }
  e.sd = std::sqrt(ss / static_cast<double>(e.n - 1));
  // An exact zero matters: identical variants under common random numbers must show a zero-width
  // interval, not 0 times a quantile that might round to something else.
  e.half_width = e.sd == 0 ? 0.0 : t_critical_95(e.n - 1) * e.sd / std::sqrt(static_cast<double>(e.n));
  return e;
}

std::vector<double> paired_differences(std::span<const double> baseline, std::span<const double> treatment) {
  if (baseline.size() != treatment.size()) {
    throw std::invalid_argument("paired_differences: samples of different sizes (" + std::to_string(baseline.size()) +
                                " and " + std::to_string(treatment.size()) + ")");
  }
  std::vector<double> d;
  d.reserve(baseline.size());
  for (std::size_t i = 0; i < baseline.size(); ++i) {
    if (std::isfinite(baseline[i]) && std::isfinite(treatment[i])) d.push_back(treatment[i] - baseline[i]);
  }
  return d;
}

}  // namespace p3sim
