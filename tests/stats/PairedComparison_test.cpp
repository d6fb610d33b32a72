// PairedComparison: common random numbers, direction of a known effect, --until-ci stopping,
// independence of the thread count.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stats/PairedComparison.hpp"
#include "scenario/ScenarioLoader.hpp"

namespace p3sim {
namespace {

const std::string kTiny = std::string(P3SIM_SOURCE_DIR) + "/scenarios/tiny_partnership.json";

// The population's network degree is a lever known to matter: adoption spreads along the network.
Scenario tiny(const std::string& degree) {
  return load_scenario_file(kTiny, ScenarioEdits{{"/population/degree=" + degree, "/steps=18"}, {}});
}

TEST(PairedComparison, IdenticalVariantsDifferByExactlyZero) {
  const Scenario a = tiny("6"), b = tiny("6");
  ComparisonSpec spec;
  spec.variants = {&a, &b};
  for (int m = 0; m < kFinalCount; ++m) spec.metrics.push_back(m);
  spec.master_seed = 42;
  spec.replications = 6;
  const ComparisonResult r = run_comparison(spec);
  ASSERT_EQ(r.replications, 6);
  for (int m = 0; m < kFinalCount; ++m) {
    const PairedSummary& d = r.stats[1][static_cast<std::size_t>(m)].difference;
    if (d.n == 0) continue;  // a metric undefined in every run (e.g. cost_per_outcome without outcome)
    EXPECT_EQ(d.estimate, 0.0) << kFinalMetrics[m];
    if (d.kind == MetricKind::Share) {
      // Newcombe's interval is not degenerate even without a discordant pair: it still says how
      // far a difference could go with this many pairs.
      EXPECT_LT(d.ci.lo, 0.0) << kFinalMetrics[m];
      EXPECT_GT(d.ci.hi, 0.0) << kFinalMetrics[m];
      EXPECT_EQ(d.p, 1.0);
    } else {
      EXPECT_EQ(d.ci.half_width(), 0.0) << kFinalMetrics[m];
    }
  }
}

TEST(PairedComparison, DenserNetworkGivesMoreOutcome) {
  const Scenario low = tiny("2"), high = tiny("6");
  ComparisonSpec spec;
  spec.variants = {&low, &high};
  spec.metrics = {kFOutcome, kFAdopters};
  spec.master_seed = 7;
  spec.replications = 10;
  const ComparisonResult r = run_comparison(spec);
  const PairedSummary& d = r.stats[1][0].difference;
  EXPECT_EQ(d.n, 10u);
  EXPECT_GT(d.estimate, 0.0);
  EXPECT_GT(d.ci.lo, 0.0) << "a denser network should raise outcome beyond noise";
  EXPECT_LT(d.p, 0.05);
  EXPECT_LE(r.stats[1][0].holm_p, 1.0);
  EXPECT_GE(r.stats[1][0].holm_p, d.p);
  // The baseline is not compared with itself.
  EXPECT_EQ(r.stats[0][0].difference.n, 0u);
}

TEST(PairedComparison, ResultsDoNotDependOnThreads) {
  const Scenario low = tiny("2"), high = tiny("6");
  ComparisonSpec spec;
  spec.variants = {&low, &high};
  spec.metrics = {kFOutcome, kFMeanTrust};
  spec.master_seed = 99;
  spec.replications = 8;
  spec.threads = 1;
  const ComparisonResult one = run_comparison(spec);
  spec.threads = 3;
  std::vector<std::pair<int, int>> order;
  const ComparisonResult three =
      run_comparison(spec, [&order](int v, int rep, const RunResult&) { order.emplace_back(rep, v); });
  EXPECT_EQ(one.values, three.values);
  ASSERT_EQ(order.size(), 16u);
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(order[i], std::make_pair(static_cast<int>(i / 2), static_cast<int>(i % 2)));
  }
}

TEST(PairedComparison, UntilCiStopsBelowTheWidth) {
  const Scenario low = tiny("2"), high = tiny("6");
  ComparisonSpec spec;
  spec.variants = {&low, &high};
  spec.metrics = {kFMeanTrust, kFOutcome};
  spec.primary = 1;  // outcome drives the stopping rule
  spec.master_seed = 3;
  spec.replications = 4;
  const ComparisonResult first = run_comparison(spec);
  const double start = first.primary_half_width();
  ASSERT_GT(start, 0.0);

  spec.until_ci = start / 2;
  spec.max_replications = 2000;
  spec.threads = 2;
  const ComparisonResult r = run_comparison(spec);
  EXPECT_TRUE(r.target_reached);
  EXPECT_GT(r.replications, 4);
  EXPECT_LT(r.stats[1][1].difference.ci.half_width(), spec.until_ci);
  EXPECT_EQ(r.primary, 1u);
  // The first replicates are the same runs as without the stopping rule.
  EXPECT_EQ(r.values[1][1][0], first.values[1][1][0]);
}

TEST(PairedComparison, UntilCiHonoursTheCap) {
  const Scenario low = tiny("2"), high = tiny("6");
  ComparisonSpec spec;
  spec.variants = {&low, &high};
  spec.metrics = {kFOutcome};
  spec.master_seed = 5;
  spec.replications = 3;
  spec.until_ci = 1e-12;
  spec.max_replications = 12;
  const ComparisonResult r = run_comparison(spec);
  EXPECT_FALSE(r.target_reached);
  EXPECT_EQ(r.replications, 12);
}

TEST(PairedComparison, RejectsBadSpecs) {
  const Scenario a = tiny("6");
  ComparisonSpec spec;
  spec.variants = {&a};
  spec.metrics = {kFOutcome};
  spec.replications = 1;
  EXPECT_THROW(run_comparison(spec), std::invalid_argument);
}

}  // namespace
}  // namespace p3sim
