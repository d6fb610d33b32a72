// Shocks: scheduled and random, each an event with the effect it names.
#include <gtest/gtest.h>

#include "../support/ScenarioFixture.hpp"
#include "model/Shocks.hpp"

namespace p3sim {
namespace {

using test::final_metric;

TEST(Shocks, FundingCutLowersOutputAndIsAnEvent) {
  auto base = test::base_scenario();
  base.erase("population");
  base["goal"] = {{"target", 1000.0}};
  auto cut = base;
  cut["shocks"] = {{{"kind", "funding_cut"}, {"step", 10}, {"sector", "government"}, {"fraction", 0.9}, {"capability", "funding"}}};
  auto outcome = [](const RunResult& r) { return final_metric(r, kFOutcome); };
  EXPECT_LT(test::mean_over_seeds(test::load(cut), 8, outcome), 0.8 * test::mean_over_seeds(test::load(base), 8, outcome));
  const RunResult r = run_once(test::load(cut), 1);
  int hits = 0;
  for (const Event& e : r.events) hits += e.kind == EventKind::Shock && e.cause == Cause::FundingCut && e.step == 10;
  EXPECT_EQ(hits, 2);  // both government organizations hold funding
}

TEST(Shocks, PolicyReversalChangesGovernance) {
  auto doc = test::base_scenario();
  doc["shocks"] = {{{"kind", "policy_reversal"}, {"step", 12}, {"mode", "hierarchy"}}};
  const Scenario sc = test::load(doc);
  Simulation sim(sc, 1);
  sim.run();
  EXPECT_EQ(sim.state().gov.mode, GovernanceMode::Hierarchy);
  EXPECT_DOUBLE_EQ(sim.state().gov.hierarchy, 0.9);
}

TEST(Shocks, SecurityIncidentCutsSupportAndTrustInLocalMembers) {
  auto doc = test::base_scenario();
  doc["shocks"] = {{{"kind", "security_incident"}, {"step", 15}, {"fraction", 0.8}}};
  auto adopters = [](const RunResult& r) { return final_metric(r, kFAdopters); };
  EXPECT_LT(test::mean_over_seeds(test::load(doc), 8, adopters),
            test::mean_over_seeds(test::load(test::base_scenario()), 8, adopters));
}

TEST(Shocks, RandomShocksFireAtTheirRate) {
  auto doc = test::base_scenario();
  doc["shocks"] = {{{"kind", "market_shock"}, {"rate", 0.25}, {"fraction", 0.2}}};
  int fired = 0;
  for (int seed = 1; seed <= 20; ++seed) {
    const RunResult r = run_once(test::load(doc), static_cast<std::uint64_t>(seed));
    for (const Event& e : r.events) fired += e.cause == Cause::MarketShock;
  }
  EXPECT_NEAR(fired / 20.0, 0.25 * 36, 3.0);
}

TEST(Shocks, MemberEntryInvitesAnOrganizationLater) {
  auto doc = test::base_scenario();
  doc["organizations"][3]["available_from"] = 1000;
  doc["shocks"] = {{{"kind", "member_entry"}, {"step", 20}, {"organization", "exporter"}}};
  doc["organizations"][3]["participation_cost"] = 0.0;
  const RunResult r = run_once(test::load(doc), 2);
  bool joined = false;
  for (const Event& e : r.events) joined = joined || (e.kind == EventKind::Join && e.org == 3 && e.step == 20);
  EXPECT_TRUE(joined);
}

}  // namespace
}  // namespace p3sim
