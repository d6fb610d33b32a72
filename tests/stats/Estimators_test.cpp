// Estimators: reference values computed with statsmodels 0.13 (Debian's python3-statsmodels):
// proportion_confint(method="wilson"), SurvfuncRight.quantile / quantile_ci, mcnemar(exact=True),
// multipletests(method="holm"); Newcombe's paired interval by its coverage.
#include "stats/Estimators.hpp"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "result/RunResult.hpp"

namespace p3sim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Estimators, WilsonMatchesStatsmodels) {
  struct Case { std::size_t k, n; double lo, hi; };
  for (const Case& c : {Case{0, 100, 0.0, 0.03699349820698569}, Case{96, 100, 0.9016292856411208, 0.9843366960084523},
                        Case{1, 3, 0.06149194472039626, 0.7923403991979523},
                        Case{50, 100, 0.4038315303659956, 0.5961684696340044}}) {
    const Interval i = wilson_interval(c.k, c.n);
    EXPECT_NEAR(i.lo, c.lo, 1e-12) << c.k << "/" << c.n;
    EXPECT_NEAR(i.hi, c.hi, 1e-12) << c.k << "/" << c.n;
  }
  EXPECT_TRUE(std::isnan(wilson_interval(0, 0).lo));
}

TEST(Estimators, KaplanMeierAndMedianMatchStatsmodels) {
  // S falls to exactly 1/2 and stays: the median (strictly below 1/2) is not reached.
  const std::vector<double> t = {3, 5, 5, 8, 12, 12, 12, 20, 20, 20, 20, 20};
  const std::vector<std::uint8_t> e = {1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0};
  const KaplanMeier km = kaplan_meier(t, e);
  ASSERT_EQ(km.times, (std::vector<double>{3, 5, 8, 12}));
  const std::vector<double> s = {0.9166666666666666, 0.75, 0.6666666666666666, 0.5};
  const std::vector<double> se = {0.07978559231302818, 0.125, 0.13608276348795434, 0.14433756729740646};
  for (std::size_t j = 0; j < 4; ++j) {
    EXPECT_NEAR(km.survival[j], s[j], 1e-12);
    EXPECT_NEAR(km.se[j], se[j], 1e-12);
  }
  EXPECT_TRUE(std::isnan(km_median(km)));
  const Interval ci = km_median_interval(km);
  EXPECT_EQ(ci.lo, 5);
  EXPECT_EQ(ci.hi, kInf);

  // 40 runs censored at a horizon of 48.
  const std::vector<double> times = {28, 31, 45, 48, 3, 9, 48, 48, 15, 19, 48, 25, 17, 48, 16, 25, 38, 33, 6, 2,
                                     48, 45, 48, 32, 48, 20, 27, 47, 8, 18, 8, 27, 48, 8, 23, 24, 48, 13, 30, 16};
  const std::vector<std::uint8_t> reached = {1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1,
                                             0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1};
  const KaplanMeier km40 = kaplan_meier(times, reached);
  EXPECT_EQ(km_median(km40), 27.0);
  const Interval ci40 = km_median_interval(km40);
  EXPECT_EQ(ci40.lo, 19.0);
  EXPECT_EQ(ci40.hi, 33.0);
}

TEST(Estimators, EveryRunReachingGivesAZeroCurveAndAFiniteMedian) {
  const std::vector<double> t = {1, 2, 3, 4};
  const std::vector<std::uint8_t> e = {1, 1, 1, 1};
  const KaplanMeier km = kaplan_meier(t, e);
  EXPECT_EQ(km.survival.back(), 0.0);
  EXPECT_TRUE(std::isnan(km.se.back()));
  EXPECT_EQ(km_median(km), 3.0);  // the first time S falls below 1/2 (S(2) is exactly 1/2)
}

TEST(Estimators, McNemarAndHolmMatchStatsmodels) {
  EXPECT_NEAR(mcnemar_exact_p(3, 10), 0.09228515625, 1e-12);
  EXPECT_EQ(mcnemar_exact_p(0, 0), 1.0);
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const std::vector<double> holm = holm_adjust(p);
  const std::vector<double> expected = {0.03, 0.06, 0.06, 0.02};
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(holm[i], expected[i], 1e-12);
  const std::vector<double> with_nan = {kNaN, 0.01, 0.02};
  const std::vector<double> adjusted = holm_adjust(with_nan);
  EXPECT_TRUE(std::isnan(adjusted[0]));
  EXPECT_NEAR(adjusted[1], 0.02, 1e-12);  // m = 2: the NaN is not a test
  EXPECT_NEAR(adjusted[2], 0.02, 1e-12);
}

TEST(Estimators, NewcombeCoversThePairedDifferenceAtAboutNinetyFivePercent) {
  // Correlated paired outcomes: baseline p 0.6, the variant flips some of them; n = 40 pairs.
  std::mt19937_64 rng(2026);
  std::uniform_real_distribution<double> u(0, 1);
  const double p_base = 0.6, p_up = 0.15, p_down = 0.05;  // variant: 0->1 w.p. p_up, 1->0 w.p. p_down
  const double truth = (1 - p_base) * p_up - p_base * p_down;
  int covered = 0;
  const int trials = 4000;
  for (int trial = 0; trial < trials; ++trial) {
    std::size_t a = 0, b = 0, c = 0, d = 0;
    for (int i = 0; i < 40; ++i) {
      const bool y0 = u(rng) < p_base;
      const bool y1 = y0 ? u(rng) >= p_down : u(rng) < p_up;
      (y0 && y1 ? a : y1 ? b : y0 ? c : d) += 1;
    }
    const Interval ci = newcombe_paired_interval(a, b, c, d);
    ASSERT_GE(ci.lo, -1.0);
    ASSERT_LE(ci.hi, 1.0);
    covered += ci.lo <= truth && truth <= ci.hi ? 1 : 0;
  }
  const double coverage = static_cast<double>(covered) / trials;
  EXPECT_GT(coverage, 0.93);
  EXPECT_LT(coverage, 0.985);
}

TEST(Estimators, SharesAreNeverDegenerate) {
  const std::vector<double> none(100, 0.0);
  const MetricSummary s = summarize_metric(none, kFGoalReached, 48);
  EXPECT_EQ(s.kind, MetricKind::Share);
  EXPECT_EQ(s.estimate, 0.0);
  EXPECT_EQ(s.ci.lo, 0.0);
  EXPECT_NEAR(s.ci.hi, 0.03699349820698569, 1e-12);
}

TEST(Estimators, TimesThatNeverCameAreCensoredNotAveraged) {
  // Two runs reach the goal at months 10 and 20; two never do within 48 months.
  const std::vector<double> t = {10, -1, 20, -1};
  const MetricSummary s = summarize_metric(t, kFTimeToGoal, 48);
  EXPECT_EQ(s.kind, MetricKind::Time);
  EXPECT_EQ(s.successes, 2u);
  EXPECT_EQ(s.share_reached, 0.5);
  EXPECT_DOUBLE_EQ(s.estimate, (10 + 20 + 48 + 48) / 4.0);  // restricted mean: never counts 48
  EXPECT_GE(s.ci.lo, 0.0);
  EXPECT_LE(s.ci.hi, 48.0);
  EXPECT_TRUE(std::isnan(s.median)) << "half reached: S never falls below 1/2";
}

TEST(Estimators, BoundedIntervalsStayInRange) {
  const std::vector<double> retention = {1, 1, 1, 0.98, 1, 1, 0.99, 1};
  const MetricSummary s = summarize_metric(retention, kFRetention, 48);
  EXPECT_LE(s.ci.hi, 1.0);
  EXPECT_GT(s.ci.lo, 0.9);
}

TEST(Estimators, UndefinedValuesAreLeftOutAndCounted) {
  const std::vector<double> cost = {-1, 2, 4, -1, kNaN};
  const MetricSummary s = summarize_metric(cost, kFCostPerOutcome, 48);
  EXPECT_EQ(s.runs, 4u);
  EXPECT_EQ(s.n, 2u);
  EXPECT_EQ(s.estimate, 3.0);
}

TEST(Estimators, PairedTimesCompareRestrictedTimesAndShares) {
  // Baseline reaches at 20 in every replicate; the variant never does in two of four.
  const std::vector<double> base = {20, 20, 20, 20}, variant = {10, -1, 12, -1};
  const PairedSummary d = compare_metric(base, variant, kFTimeToGoal, 48);
  EXPECT_EQ(d.n, 4u);
  EXPECT_DOUBLE_EQ(d.estimate, ((10 - 20) + (48 - 20) + (12 - 20) + (48 - 20)) / 4.0);
  EXPECT_EQ(d.share_difference, -0.5);
  EXPECT_GE(d.ci.lo, -48.0);
  EXPECT_LE(d.ci.hi, 48.0);
  // The variant is not "faster" just because its runs that reached did so earlier.
  EXPECT_GT(d.estimate, 0.0);
}

TEST(Estimators, PairedSharesUseNewcombeAndMcNemar) {
  const std::vector<double> base = {1, 1, 1, 0, 0, 1, 1, 0, 1, 1}, variant = {1, 0, 0, 0, 0, 0, 1, 0, 0, 1};
  const PairedSummary d = compare_metric(base, variant, kFGoalReached, 48);
  EXPECT_EQ(d.kind, MetricKind::Share);
  EXPECT_DOUBLE_EQ(d.estimate, -0.4);
  EXPECT_LT(d.ci.lo, -0.4);
  EXPECT_GT(d.ci.hi, -0.4);
  EXPECT_GE(d.ci.lo, -1.0);
  EXPECT_NEAR(d.p, mcnemar_exact_p(0, 4), 1e-15);
}

TEST(Estimators, PairedTTestPValue) {
  const std::vector<double> zero = {0, 0, 0};
  EXPECT_EQ(paired_t_p(zero), 1.0);
  const std::vector<double> same = {2, 2, 2};
  EXPECT_EQ(paired_t_p(same), 0.0);
  // scipy.stats.ttest_1samp([1, 2, 3, 4], 0).pvalue
  const std::vector<double> d = {1, 2, 3, 4};
  EXPECT_NEAR(paired_t_p(d), 0.030466291662170977, 1e-12);
}

}  // namespace
}  // namespace p3sim
