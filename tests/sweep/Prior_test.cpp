// Priors of calibrated parameters: draws follow the distribution, densities and supports are right,
// and malformed priors are refused.
#include <algorithm>
#include <cmath>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <gtest/gtest.h>

#include "sweep/Prior.hpp"

namespace p3sim {
namespace {

Prior parse(const char* text) { return prior_from_json(nlohmann::ordered_json::parse(text)); }

std::vector<double> natural_draws(const Prior& prior, int n) {
  Engine rng(11);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(prior.to_natural(prior.sample_internal(rng)));
  return out;
}

double share_below(const std::vector<double>& x, double limit) {
  return static_cast<double>(std::count_if(x.begin(), x.end(), [&](double v) { return v < limit; })) /
         static_cast<double>(x.size());
}

TEST(Prior, UniformDrawsFillTheRangeEvenly) {
  const Prior p = parse(R"({"distribution": "uniform", "low": 2, "high": 6})");
  const auto x = natural_draws(p, 20000);
  EXPECT_GE(*std::min_element(x.begin(), x.end()), 2.0);
  EXPECT_LE(*std::max_element(x.begin(), x.end()), 6.0);
  EXPECT_NEAR(share_below(x, 3.0), 0.25, 0.015);
  EXPECT_EQ(p.log_density(4.0), 0.0);
  EXPECT_EQ(p.log_density(6.5), -std::numeric_limits<double>::infinity());
}

TEST(Prior, LogUniformIsUniformInTheLogarithm) {
  const Prior p = parse(R"({"distribution": "log_uniform", "low": 0.001, "high": 0.1})");
  const auto x = natural_draws(p, 20000);
  EXPECT_NEAR(share_below(x, 0.01), 0.5, 0.015);  // half the draws in each decade
  EXPECT_NEAR(p.to_internal(0.01), std::log(0.01), 1e-15);
  EXPECT_TRUE(std::isfinite(p.log_density(std::log(0.05))));
  EXPECT_FALSE(std::isfinite(p.log_density(std::log(0.2))));
}

TEST(Prior, TruncatedNormalStaysInItsBoundsWithTheRightShape) {
  const Prior p = parse(R"({"distribution": "normal", "mean": 0.5, "sd": 0.2, "low": 0.4, "high": 1.0})");
  const auto x = natural_draws(p, 20000);
  EXPECT_GE(*std::min_element(x.begin(), x.end()), 0.4);
  EXPECT_LE(*std::max_element(x.begin(), x.end()), 1.0);
  // P(X < 0.5 | 0.4 <= X <= 1) for N(0.5, 0.2).
  const boost::math::normal_distribution<double> n(0.5, 0.2);
  const double expected = (boost::math::cdf(n, 0.5) - boost::math::cdf(n, 0.4)) /
                          (boost::math::cdf(n, 1.0) - boost::math::cdf(n, 0.4));
  EXPECT_NEAR(share_below(x, 0.5), expected, 0.015);
  EXPECT_GT(p.log_density(0.5), p.log_density(0.9));
}

TEST(Prior, CategoricalDrawsLevelsByTheirProbabilities) {
  const Prior p = parse(R"({"distribution": "categorical", "levels": ["a", "b", "c"], "probabilities": [1, 0, 3]})");
  const auto x = natural_draws(p, 20000);
  EXPECT_EQ(std::count(x.begin(), x.end(), 1.0), 0);  // probability 0 is never drawn
  EXPECT_NEAR(static_cast<double>(std::count(x.begin(), x.end(), 2.0)) / 20000.0, 0.75, 0.015);
  EXPECT_EQ(p.scenario_value(2.0), "c");
  EXPECT_FALSE(std::isfinite(p.log_density(1.0)));
  EXPECT_FALSE(std::isfinite(p.log_density(0.5)));
}

TEST(Prior, MalformedPriorsAreRefused) {
  EXPECT_THROW(parse(R"({"distribution": "uniform", "low": 1, "high": 1})"), std::invalid_argument);
  EXPECT_THROW(parse(R"({"distribution": "log_uniform", "low": 0, "high": 1})"), std::invalid_argument);
  EXPECT_THROW(parse(R"({"distribution": "categorical", "levels": [1, 2], "probabilities": [1]})"),
               std::invalid_argument);
  EXPECT_THROW(parse(R"({"distribution": "categorical", "levels": [1, 2], "probabilities": [0, 0]})"),
               std::invalid_argument);
}

TEST(Prior, JsonRoundTripsEveryField) {
  const Prior p = parse(R"({"distribution": "normal", "mean": 0.5, "sd": 0.2, "low": 0, "high": 1})");
  const Prior q = prior_from_json(p.json());
  EXPECT_EQ(q.kind, p.kind);
  EXPECT_EQ(q.mean, p.mean);
  EXPECT_EQ(q.sd, p.sd);
  EXPECT_EQ(q.low, p.low);
  EXPECT_EQ(q.high, p.high);
}

}  // namespace
}  // namespace p3sim
