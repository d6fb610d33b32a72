// Statistics: t quantiles and confidence intervals against textbook values.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "stats/Statistics.hpp"

namespace p3sim {
namespace {

TEST(Statistics, TQuantilesMatchTables) {
  EXPECT_NEAR(t_critical_95(9), 2.262157, 1e-6);
  EXPECT_NEAR(t_critical_95(1), 12.706205, 1e-6);
  EXPECT_NEAR(t_critical_95(30), 2.042272, 1e-6);
  EXPECT_NEAR(t_quantile(0.95, 4), 2.131847, 1e-6);
  EXPECT_THROW(t_critical_95(0), std::domain_error);
  EXPECT_THROW(t_quantile(1.0, 5), std::domain_error);
}

TEST(Statistics, MeanSdAndIntervalOfKnownSample) {
  const std::vector<double> xs{2, 4, 4, 4, 5, 5, 7, 9};
  const Estimate e = estimate_mean(xs);
  EXPECT_EQ(e.n, 8u);
  EXPECT_DOUBLE_EQ(e.mean, 5.0);
  EXPECT_NEAR(e.sd, std::sqrt(32.0 / 7.0), 1e-12);
  // t(0.975, 7) = 2.364624
  EXPECT_NEAR(e.half_width, 2.364624 * std::sqrt(32.0 / 7.0) / std::sqrt(8.0), 1e-5);
  EXPECT_NEAR(e.lo(), 5.0 - e.half_width, 1e-15);
  EXPECT_NEAR(e.hi(), 5.0 + e.half_width, 1e-15);
}

TEST(Statistics, NonFiniteValuesAreSkipped) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const Estimate e = estimate_mean(std::vector<double>{1, nan, 3, inf});
  EXPECT_EQ(e.n, 2u);
  EXPECT_DOUBLE_EQ(e.mean, 2.0);
  EXPECT_NEAR(e.half_width, 12.706205 * std::sqrt(2.0) / std::sqrt(2.0), 1e-5);
}

TEST(Statistics, DegenerateSamples) {
  const Estimate none = estimate_mean(std::vector<double>{});
  EXPECT_EQ(none.n, 0u);
  EXPECT_TRUE(std::isnan(none.mean));
  const Estimate one = estimate_mean(std::vector<double>{4});
  EXPECT_DOUBLE_EQ(one.mean, 4.0);
  EXPECT_TRUE(std::isnan(one.sd));
  EXPECT_TRUE(std::isnan(one.half_width));
  const Estimate constant = estimate_mean(std::vector<double>{0.3, 0.3, 0.3});
  EXPECT_EQ(constant.sd, 0.0);
  EXPECT_EQ(constant.half_width, 0.0);
}

TEST(Statistics, PairedDifferences) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> a{1, 2, nan, 4};
  const std::vector<double> b{2, 2, 5, 7};
  EXPECT_EQ(paired_differences(a, b), (std::vector<double>{1, 0, 3}));
  EXPECT_THROW(paired_differences(a, std::vector<double>{1}), std::invalid_argument);
}

}  // namespace
}  // namespace p3sim
