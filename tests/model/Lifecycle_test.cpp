// Lifecycle: the six phases, the short cut, missing voices and scaling.
#include <gtest/gtest.h>

#include <cmath>

#include "../support/ScenarioFixture.hpp"
#include "model/Lifecycle.hpp"

namespace p3sim {
namespace {

std::vector<Cause> phases(const RunResult& r) {
  std::vector<Cause> p;
  for (const Event& e : r.events)
    if (e.kind == EventKind::Phase && e.cause != Cause::MissingVoice) p.push_back(e.cause);
  return p;
}

TEST(Lifecycle, ScheduleOfPhases) {
  LifecycleParams lc;
  lc.solicit_steps = 1;
  lc.interim_steps = 3;
  EXPECT_EQ(scheduled_phase(lc, 1), Phase::Scope);
  EXPECT_EQ(scheduled_phase(lc, 2), Phase::Solicit);
  EXPECT_EQ(scheduled_phase(lc, 3), Phase::Interim);
  EXPECT_EQ(scheduled_phase(lc, 5), Phase::Interim);
  EXPECT_EQ(scheduled_phase(lc, 6), Phase::Agree);
  EXPECT_EQ(scheduled_phase(lc, 7), Phase::Execute);
  lc.skip_interim = true;
  EXPECT_EQ(scheduled_phase(lc, 3), Phase::Agree);
  EXPECT_EQ(scheduled_phase(lc, 4), Phase::Execute);
}

TEST(Lifecycle, EveryTransitionIsAnEventAndTheShortCutSkipsInterim) {
  const RunResult full = run_once(test::load(test::base_scenario()), 1);
  const auto p = phases(full);
  ASSERT_GE(p.size(), 5u);
  EXPECT_EQ(std::vector<Cause>(p.begin(), p.begin() + 5),
            (std::vector<Cause>{Cause::Scope, Cause::Solicit, Cause::Interim, Cause::Agree, Cause::Execute}));
  const RunResult short_cut = run_once(test::load(test::base_scenario(), {}, {"short_cut"}), 1);
  const auto q = phases(short_cut);
  EXPECT_EQ(std::count(q.begin(), q.end(), Cause::Interim), 0);
}

TEST(Lifecycle, InterimTalksRaiseDisclosureAndTheShortCutLosesThat) {
  const Scenario full = test::load(test::base_scenario());
  const Scenario short_cut = test::load(test::base_scenario(), {}, {"short_cut"});
  Simulation a(full, 2, 8), b(short_cut, 2, 8);
  a.run();
  b.run();
  EXPECT_GT(a.state().disclosure(4), b.state().disclosure(4));
  EXPECT_GT(a.state().disclosure.mean(), full.organizations[2].disclosure);
}

TEST(Lifecycle, MissingCapabilitiesAreFlaggedAsMissingVoices) {
  auto doc = test::base_scenario();
  doc["organizations"][5]["candidate"] = false;  // farmers never invited
  doc["organizations"][4]["capabilities"].erase("local_knowledge");
  const RunResult r = run_once(test::load(doc), 3);
  bool flagged = false;
  for (const Event& e : r.events) flagged = flagged || (e.cause == Cause::MissingVoice && e.value == 3.0);
  EXPECT_TRUE(flagged);
}

TEST(Lifecycle, ScalingInvitesAndRaisesTheGoal) {
  auto doc = test::base_scenario();
  doc["goal"]["target"] = 50;  // easy: scale early
  const Scenario sc = test::load(doc);
  Simulation sim(sc, 4);
  sim.run();
  EXPECT_TRUE(sim.state().scaled);
  // Every scaling raises the working goal by the factor; it can happen more than once.
  int scalings = 0;
  for (const Event& e : sim.result().events) scalings += e.kind == EventKind::Phase && e.cause == Cause::Scale;
  EXPECT_GE(scalings, 1);
  EXPECT_NEAR(sim.state().working_target, 50 * std::pow(sc.lifecycle.scale_goal_factor, scalings), 1e-9);
}

}  // namespace
}  // namespace p3sim
