// ABC-SMC pieces: importance weights, kernel, quantiles, distances and scales.
#include <cmath>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "sweep/AbcSmc.hpp"

namespace p3sim {
namespace {

Prior uniform(double low, double high) {
  Prior p;
  p.kind = Prior::Kind::Uniform;
  p.low = low;
  p.high = high;
  return p;
}

AbcGeneration two_particles() {
  AbcGeneration g;
  g.values = {0.2, 0.6};
  g.weights = {0.25, 0.75};
  g.distances = {1.0, 2.0};
  g.simulated = 4;
  return g;
}

TEST(AbcSmc, WeightedQuantileIsTheSmallestValueReachingTheLevel) {
  const std::vector<double> v{3, 1, 2, 4};
  const std::vector<double> w{0.1, 0.2, 0.6, 0.1};
  EXPECT_EQ(weighted_quantile(v, w, 0.2), 1);  // cumulative 0.2 at 1
  EXPECT_EQ(weighted_quantile(v, w, 0.5), 2);  // 0.8 at 2
  EXPECT_EQ(weighted_quantile(v, w, 0.85), 3);
  EXPECT_EQ(weighted_quantile(v, w, 1.0), 4);
  EXPECT_EQ(weighted_quantile(v, {1, 1, 1, 1}, 0.5), 2);  // unnormalized weights
}

TEST(AbcSmc, ImportanceWeightIsPriorOverTheMixtureDensity) {
  const std::vector<Prior> priors{uniform(0, 1)};
  const Proposal q(priors, 0.7, two_particles());
  // Covariance: 2 x weighted variance (+ a 1e-10 floor).
  const double mean = 0.25 * 0.2 + 0.75 * 0.6;
  const double var = 2 * (0.25 * (0.2 - mean) * (0.2 - mean) + 0.75 * (0.6 - mean) * (0.6 - mean)) + 1e-10 / 12;
  ASSERT_EQ(q.covariance().rows(), 1);
  EXPECT_NEAR(q.covariance()(0, 0), var, 1e-15);
  for (double x : {0.1, 0.4, 0.9}) {
    const double mixture = 0.25 * std::exp(-0.5 * (x - 0.2) * (x - 0.2) / var) +
                           0.75 * std::exp(-0.5 * (x - 0.6) * (x - 0.6) / var);
    EXPECT_NEAR(q.log_weight({x}), -std::log(mixture), 1e-9) << x;
  }
  EXPECT_FALSE(std::isfinite(q.log_weight({1.5})));  // outside the prior
  EXPECT_EQ(Proposal(priors, 0.7).log_weight({0.5}), 0.0);  // generation 0
}

TEST(AbcSmc, PerturbationsHaveTheKernelsSpreadAndLeaveTheSupportSometimes) {
  const std::vector<Prior> priors{uniform(0, 1)};
  const Proposal q(priors, 0.7, two_particles());
  int outside = 0;
  double sum = 0;
  const int n = 20000;
  for (int a = 0; a < n; ++a) {
    const Proposal::Draw d = q.draw(proposal_seed(5, 1, a));
    outside += d.in_support ? 0 : 1;
    sum += d.internal[0];
  }
  EXPECT_NEAR(sum / n, 0.25 * 0.2 + 0.75 * 0.6, 0.01);  // the kernel is centred on the particles
  EXPECT_GT(outside, 0);
  // Same seed, same draw.
  EXPECT_EQ(q.draw(proposal_seed(5, 1, 7)).internal, q.draw(proposal_seed(5, 1, 7)).internal);
}

TEST(AbcSmc, CategoricalKernelKeepsOrJumpsToAnotherLevel) {
  Prior c;
  c.kind = Prior::Kind::Categorical;
  c.levels = {"a", "b", "c"};
  c.probabilities = {1.0 / 3, 1.0 / 3, 1.0 / 3};
  AbcGeneration g;
  g.values = {0.0};
  g.weights = {1.0};
  g.simulated = 1;
  const Proposal q({c}, 0.7, g);
  int kept = 0;
  for (int a = 0; a < 10000; ++a) kept += q.draw(proposal_seed(1, 1, a)).internal[0] == 0.0 ? 1 : 0;
  EXPECT_NEAR(kept / 10000.0, 0.7, 0.02);
  // Weight: prior 1/3 over kernel 0.7 (kept) or 0.15 (jumped).
  EXPECT_NEAR(q.log_weight({0.0}), std::log((1.0 / 3) / 0.7), 1e-12);
  EXPECT_NEAR(q.log_weight({2.0}), std::log((1.0 / 3) / 0.15), 1e-12);
}

TEST(AbcSmc, ScalesComeFromTheSdOrTheSpreadOfGenerationZero) {
  std::vector<TargetComponent> t(3);
  t[0].sd = 2.5;
  t[1].observed = 10;
  t[2].observed = 4;
  // Column 1 spreads (MAD of {1,2,3,4,100} = 1), column 2 is constant (falls back to |observed|).
  const std::vector<double> gen0{0, 1, 7, 0, 2, 7, 0, 3, 7, 0, 4, 7, 0, 100, 7};
  const std::vector<double> s = distance_scales(t, gen0);
  EXPECT_EQ(s[0], 2.5);
  EXPECT_NEAR(s[1], 1.4826, 1e-12);
  EXPECT_EQ(s[2], 4.0);
}

TEST(AbcSmc, DistanceWeighsScaledDifferences) {
  std::vector<TargetComponent> t(2);
  t[0].observed = 1;
  t[1].observed = 0;
  t[1].weight = 0.5;
  const std::vector<double> scales{2, 1};
  EXPECT_NEAR(abc_distance({3, 2}, t, scales, DistanceKind::Euclidean), std::sqrt(1 + 0.5 * 4), 1e-12);
  EXPECT_NEAR(abc_distance({3, 2}, t, scales, DistanceKind::Manhattan), 1 + 0.5 * 2, 1e-12);
  EXPECT_TRUE(std::isinf(abc_distance({NAN, 0}, t, scales, DistanceKind::Euclidean)));
}

TEST(AbcSmc, LogWeightsNormalizeWithoutOverflow) {
  const std::vector<double> w = normalize_log_weights({1000, 1000 + std::log(3.0)});
  EXPECT_NEAR(w[0], 0.25, 1e-12);
  EXPECT_NEAR(w[1], 0.75, 1e-12);
}

TEST(AbcSmc, SeedsDifferByGenerationAttemptAndReplication) {
  EXPECT_NE(proposal_seed(1, 0, 0), proposal_seed(1, 1, 0));
  EXPECT_NE(proposal_seed(1, 0, 0), proposal_seed(1, 0, 1));
  EXPECT_NE(simulation_seed(1, 0, 0, 0, false), simulation_seed(1, 0, 0, 1, false));
  // Common random numbers: replication r of every proposal has the sweep's seed of replicate r.
  EXPECT_EQ(simulation_seed(1, 3, 9, 2, true), derive_run_seed(1, 2));
  EXPECT_EQ(simulation_seed(1, 3, 9, 2, true), simulation_seed(1, 0, 0, 2, true));
}

}  // namespace
}  // namespace p3sim
