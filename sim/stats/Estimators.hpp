#pragma once
// Estimators: the interval estimators behind every number `summarize`, `compare` and `run
// --baseline` print, chosen by the kind of the metric (docs/estimators.md has the definitions and
// references; p3sim_analysis/estimators.py implements the same and tests/python/test_stats_agree.py
// holds the two equal).
//
// Written here rather than taken from a library: Boost.Math gives the t and binomial
// distributions used below, but no Debian C++ package offers Wilson or Newcombe intervals, a
// Kaplan-Meier median with its Brookmeyer-Crowley interval, or Holm's adjustment.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "stats/MetricKind.hpp"

namespace p3sim {

inline constexpr double kZ95 = 1.959963984540054;  ///< the 0.975 quantile of the standard normal

/// A two-sided 95% interval. NaN ends: no interval; hi = +inf: "not reached" (a median).
struct Interval {
  double lo = std::numeric_limits<double>::quiet_NaN();
  double hi = std::numeric_limits<double>::quiet_NaN();
  /// (hi - lo) / 2: what --until-ci compares (NaN or inf when the interval is missing or open).
  double half_width() const { return (hi - lo) / 2; }
};

/// Wilson score interval of k successes in n trials, inside [0, 1]; NaN for n == 0.
Interval wilson_interval(std::size_t k, std::size_t n);

/// Kaplan-Meier estimate at its event times, with Greenwood's standard error computed as
/// statsmodels' SurvfuncRight does (NaN from the first time at which every run at risk has the
/// event onwards).
struct KaplanMeier {
  std::vector<double> times;     ///< distinct event times, ascending
  std::vector<double> survival;  ///< S(t) just after each
  std::vector<double> se;        ///< its standard error
};

/// Kaplan-Meier of `times`, where event[i] != 0 marks an event at times[i] and 0 a run censored
/// there. The two spans must have the same size.
KaplanMeier kaplan_meier(std::span<const double> times, std::span<const std::uint8_t> event);

/// The first event time with S(t) < 1/2; NaN when S never falls below 1/2 ("not reached").
double km_median(const KaplanMeier& km);

/// The median's 95% interval by inverting the z test on the complementary log-log scale
/// (Brookmeyer and Crowley 1982); hi = +inf when the upper end is not reached; both NaN when no
/// event time qualifies.
Interval km_median_interval(const KaplanMeier& km);

/// Mean, standard deviation and the t interval of the finite values, cut to [lo_bound, hi_bound].
struct MeanInterval {
  std::size_t n = 0;
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();  ///< NaN when n < 2
  Interval ci;                                            ///< NaN when n < 2
};
MeanInterval t_mean_interval(std::span<const double> xs, double lo_bound = -std::numeric_limits<double>::infinity(),
                             double hi_bound = std::numeric_limits<double>::infinity());

/// Two-sided p-value of the paired t test of the differences `d` (their mean against 0): NaN for
/// fewer than two, 1 when all are 0, 0 when all are the same non-zero number.
double paired_t_p(std::span<const double> d);

/// Exact McNemar test: two-sided binomial test of b discordant pairs one way against b + c at 1/2
/// (1 when b + c == 0).
double mcnemar_exact_p(std::size_t b, std::size_t c);

/// Newcombe's hybrid score interval (1998, method 10) for p1 - p2 of paired binary outcomes:
/// a = both 1, b = first only, c = second only, d = neither. Inside [-1, 1]; NaN when n == 0.
Interval newcombe_paired_interval(std::size_t a, std::size_t b, std::size_t c, std::size_t d);

/// Holm's step-down adjustment of `p` (NaN entries stay NaN and do not count in m).
std::vector<double> holm_adjust(std::span<const double> p);

/// One metric of one group of runs (docs/estimators.md, "One group"). Which fields are set
/// depends on `kind`; the others stay NaN or 0.
struct MetricSummary {
  MetricKind kind = MetricKind::Amount;
  std::size_t runs = 0;       ///< runs with a value (done runs)
  std::size_t n = 0;          ///< values the estimate uses (Conditional: the defined ones)
  double estimate = std::numeric_limits<double>::quiet_NaN();  ///< share, restricted mean or mean
  Interval ci;
  double sd = std::numeric_limits<double>::quiet_NaN();        ///< Bounded, Amount, Conditional
  std::size_t successes = 0;  ///< Share: runs with 1; Time: runs that reached the goal
  // Time only:
  double horizon = std::numeric_limits<double>::quiet_NaN();
  double share_reached = std::numeric_limits<double>::quiet_NaN();
  Interval share_reached_ci;
  double median = std::numeric_limits<double>::quiet_NaN();  ///< NaN: not reached
  Interval median_ci;
  std::string_view method() const;  ///< "wilson", "restricted_mean_t" or "t"
};

/// Summarizes `values` (one per run; NaN for a run without a value) of final metric `metric`.
/// `horizon` is the runs' step count (used by Time metrics).
MetricSummary summarize_metric(std::span<const double> values, int metric, double horizon);

/// A variant against the baseline on one metric, over replicates (docs/estimators.md, "Paired
/// differences"); entry r of both spans is replicate r (NaN: no value).
struct PairedSummary {
  MetricKind kind = MetricKind::Amount;
  std::size_t n = 0;  ///< pairs used
  double estimate = std::numeric_limits<double>::quiet_NaN();  ///< mean difference (variant - baseline)
  Interval ci;
  double sd = std::numeric_limits<double>::quiet_NaN();  ///< sd of the differences (t-based kinds)
  double p = std::numeric_limits<double>::quiet_NaN();   ///< McNemar (Share) or paired t
  // Time only: the difference of the shares that reached the goal.
  double share_difference = std::numeric_limits<double>::quiet_NaN();
  Interval share_difference_ci;
  double share_difference_p = std::numeric_limits<double>::quiet_NaN();
  std::string_view method() const;  ///< "newcombe10", "restricted_mean_paired_t" or "paired_t"
};

PairedSummary compare_metric(std::span<const double> baseline, std::span<const double> variant, int metric,
                             double horizon);

}  // namespace p3sim
