// Champions and exits: causes and thresholds.
#include <gtest/gtest.h>

#include "../support/ScenarioFixture.hpp"
#include "model/Commitment.hpp"

namespace p3sim {
namespace {

using test::final_metric;

TEST(Commitment, ExitCauseIsTheLargestPressure) {
  EXPECT_EQ(exit_cause({0.7, 0.1, 0.2, 0, 0, 0}), Cause::Hierarchy);
  EXPECT_EQ(exit_cause({0.1, 0.5, 0.2, 0, 0, 0}), Cause::Misalignment);
  EXPECT_EQ(exit_cause({0.1, 0.1, 0.2, 0, 0, 0.9}), Cause::Shock);
  EXPECT_EQ(exit_cause({0.1, 0.1, 0.2, 0.4, 0, 0}), Cause::NoResults);
}

TEST(Commitment, WeakChampionsLoseMoreMembers) {
  auto retention = [](const RunResult& r) { return final_metric(r, kFRetention); };
  const double strong = test::mean_over_seeds(test::load(test::base_scenario()), 15, retention);
  const double weak = test::mean_over_seeds(test::load(test::base_scenario(), {}, {"weak_champions"}), 15, retention);
  EXPECT_LT(weak, strong);
}

TEST(Commitment, EveryExitIsRecordedWithItsCause) {
  auto doc = test::base_scenario();
  doc["governance"]["mode"] = "hierarchy";
  for (auto& o : doc["organizations"]) o["hierarchy_preference"] = 0.0;
  const RunResult r = run_once(test::load(doc), 5);
  double exits = 0;
  for (int c = kFExitsHierarchy; c <= kFExitsShock; ++c) exits += r.final_metrics[static_cast<std::size_t>(c)];
  int events = 0;
  for (const Event& e : r.events)
    if (e.kind == EventKind::Exit) {
      ++events;
      EXPECT_GE(static_cast<int>(e.cause), static_cast<int>(Cause::Hierarchy));
      EXPECT_LE(static_cast<int>(e.cause), static_cast<int>(Cause::Shock));
      EXPECT_EQ(r.org_fields[static_cast<std::size_t>(kOExitStep) * r.orgs + e.org], e.step);
    }
  EXPECT_EQ(exits, events);
  EXPECT_GT(events, 0);
}

}  // namespace
}  // namespace p3sim
