// Production: CES complementarity, coordination efficiency and local legitimacy.
#include <gtest/gtest.h>

#include "../support/ScenarioFixture.hpp"
#include "model/Production.hpp"

namespace p3sim {
namespace {

using test::final_metric;

TEST(Production, CesComplementsAndSubstitutes) {
  const std::vector<double> w{1, 1, 1};
  EXPECT_NEAR(ces({1, 1, 1}, w, -0.5), 1.0, 1e-12);
  EXPECT_NEAR(ces({1, 1, 1}, w, 1.0), 1.0, 1e-12);
  EXPECT_NEAR(ces({1, 1, 1}, w, 0.0), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(ces({1, 1, 0}, w, -0.5), 0.0);  // a missing complement throttles everything
  EXPECT_NEAR(ces({1, 1, 0}, w, 1.0), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(ces({4, 1, 1}, {2, 1, 1}, 1.0), (8.0 + 1 + 1) / 4, 1e-12);
}

TEST(Production, CoordinationEfficiency) {
  EXPECT_DOUBLE_EQ(coordination_efficiency(0.0, 1), 1.0);
  EXPECT_DOUBLE_EQ(coordination_efficiency(0.0, 4), 0.25);
  EXPECT_DOUBLE_EQ(coordination_efficiency(1.0, 4), 1.0);
  EXPECT_DOUBLE_EQ(coordination_efficiency(0.5, 0), 0.0);
}

TEST(Production, LosingTheOnlyHolderOfACapabilityHurtsFarMoreUnderComplementarity) {
  // Without the exporter and agri_company, nobody brings market access.
  auto output = [](double r, bool without_market) {
    auto doc = test::base_scenario();
    doc.erase("population");
    doc["goal"] = {{"target", 1000.0}};
    doc["production"]["complementarity"] = r;
    if (without_market)
      for (auto& o : doc["organizations"]) o["capabilities"].erase("market_access");
    return test::mean_over_seeds(test::load(doc), 8, [](const RunResult& res) { return final_metric(res, kFOutcome); });
  };
  const double loss_complements = 1.0 - output(-2.0, true) / output(-2.0, false);
  const double loss_substitutes = 1.0 - output(1.0, true) / output(1.0, false);
  EXPECT_GT(loss_complements, 0.95);
  EXPECT_LT(loss_substitutes, 0.5);
}

TEST(Production, WithoutALocalMemberAdoptionIsLower) {
  auto local = test::base_scenario();
  auto outsiders = test::base_scenario();
  for (auto& o : outsiders["organizations"]) o["local"] = false;
  auto adopters = [](const RunResult& r) { return final_metric(r, kFAdopters); };
  const double with_local = test::mean_over_seeds(test::load(local), 10, adopters);
  const double without_local = test::mean_over_seeds(test::load(outsiders), 10, adopters);
  EXPECT_LT(without_local, 0.8 * with_local);
}

}  // namespace
}  // namespace p3sim
