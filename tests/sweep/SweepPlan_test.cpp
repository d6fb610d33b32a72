// Sweep plans: point and run counts, replicate-major order, common random numbers, /params values.
#include <cmath>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "random/RandomStreams.hpp"
#include "run/Simulation.hpp"
#include "sweep/SweepPlan.hpp"

namespace p3sim {
namespace {

std::string data(const std::string& name) { return std::string(P3SIM_TEST_DATA) + "/sweeps/" + name; }

TEST(SweepPlan, GridTimesPitfallSetsTimesReplicates) {
  const SweepPlan plan(load_sweep_file(data("pass_grid_pitfalls.json")));
  EXPECT_EQ(plan.points(), 3 * 2 * 2);  // modes x disclosure steps x pitfall sets
  EXPECT_EQ(plan.runs(), 12 * 2);
  EXPECT_EQ(plan.param_names(),
            (std::vector<std::string>{"/governance/mode", "/organizations/*/disclosure", "pitfall.hidden_incentives"}));
  // The pitfall set varies fastest, then the last parameter; strings are stored as level indices.
  EXPECT_EQ(plan.param_values(0), (std::vector<double>{0, 0.2, 0}));
  EXPECT_EQ(plan.param_values(1), (std::vector<double>{0, 0.2, 1}));
  EXPECT_EQ(plan.param_values(2), (std::vector<double>{0, 0.8, 0}));
  EXPECT_EQ(plan.param_values(11), (std::vector<double>{2, 0.8, 1}));
  EXPECT_EQ(plan.scenario(4)->governance.mode, plan.scenario(5)->governance.mode);
  EXPECT_EQ(plan.scenario(0)->steps, 6);  // the sweep's steps override the scenario's
}

TEST(SweepPlan, ExplicitPointsRunAsListed) {
  const SweepPlan plan(load_sweep_file(data("pass_points.json")));
  EXPECT_EQ(plan.points(), 3);
  EXPECT_EQ(plan.runs(), 6);
  // Numbers are stored as they are; a string is stored as the index of its first place in the list.
  EXPECT_EQ(plan.param_values(0), (std::vector<double>{0, 0.1}));
  EXPECT_EQ(plan.param_values(1), (std::vector<double>{1, 0.2}));
  EXPECT_EQ(plan.param_values(2), (std::vector<double>{0, 0.3}));
  EXPECT_EQ(plan.scenario(1)->governance.mode, GovernanceMode::Constellation);
  EXPECT_DOUBLE_EQ(plan.scenario(2)->trust.gain, 0.3);
  EXPECT_EQ(plan.run(4).point, 1);  // replicate-major, as every design
}

TEST(SweepPlan, PointsBeyondTheKeptOnesAreLoadedWhenTheirRunsStart) {
  const auto doc = nlohmann::ordered_json::parse(R"({
    "scenario": "../../../scenarios/tiny_partnership.json", "steps": 4,
    "parameters": {"/trust/gain": {"min": 0, "max": 1, "steps": 300}}
  })");
  const SweepPlan plan(load_sweep(doc, "", data("")));
  ASSERT_EQ(plan.points(), 300);
  static_assert(SweepPlan::kKeptPoints < 300);
  EXPECT_EQ(plan.scenario(10), plan.scenario(10));  // kept: the same object
  const auto a = plan.scenario(299), b = plan.scenario(299);
  EXPECT_NE(a.get(), b.get());  // not kept: loaded anew
  EXPECT_DOUBLE_EQ(a->trust.gain, 1.0);
  EXPECT_EQ(plan.point_of(599), 299);
  EXPECT_EQ(plan.replicate_of(599), 1);
  // A reloaded point runs exactly as the scenario it was checked with.
  const RunPlan run = plan.run(299);
  EXPECT_EQ(run_once(*run.scenario, run.seed).final_metrics, run_once(*b, run.seed).final_metrics);
  EXPECT_EQ(plan.layout().orgs.size(), a->organizations.size());
}

TEST(SweepPlan, RunsAreReplicateMajorWithCommonRandomNumbers) {
  const SweepPlan plan(load_sweep_file(data("pass_grid_pitfalls.json")));
  std::set<std::uint64_t> seeds;
  for (std::int64_t run = 0; run < plan.runs(); ++run) {
    const RunPlan p = plan.run(run);
    EXPECT_EQ(p.run, run);
    EXPECT_EQ(p.point, run % plan.points());
    EXPECT_EQ(p.replicate, run / plan.points());
    EXPECT_EQ(p.seed, derive_run_seed(7, static_cast<std::uint64_t>(p.replicate)));
    EXPECT_EQ(p.scenario, plan.scenario(p.point));  // loaded once per point, shared
    seeds.insert(p.seed);
  }
  EXPECT_EQ(seeds.size(), 2u);  // one seed per replicate, whatever the point
}

TEST(SweepPlan, LayoutFollowsTheRecordSection) {
  const SweepPlan plan(load_sweep_file(data("pass_grid_pitfalls.json")));
  const ResultLayout layout = plan.layout();
  EXPECT_EQ(layout.runs, 24);
  EXPECT_EQ(layout.steps, 6);
  EXPECT_EQ(layout.every, 2);
  EXPECT_FALSE(layout.events);
  EXPECT_EQ(layout.series, (std::vector<std::string>{"outcome", "trust"}));
  EXPECT_EQ(layout.orgs.size(), 5u);  // the widest point: backbone mode appends its backbone
  EXPECT_NO_THROW(layout.validate());
}

TEST(SweepPlan, RunsOfNarrowerPointsArePaddedToTheLayout) {
  const SweepPlan plan(load_sweep_file(data("pass_grid_pitfalls.json")));
  const ResultLayout layout = plan.layout();
  ASSERT_EQ(plan.scenario(4)->organizations.size(), 4u);  // point 4 is constellation: no backbone organization
  RunResult r = run_once(*plan.scenario(4), 1);
  plan.fit_to_layout(r);
  EXPECT_NO_THROW(layout.check_result(r));
  EXPECT_EQ(r.orgs, 5);
  EXPECT_EQ(r.at_org(kOExitStep, 4), -1.0);
  EXPECT_TRUE(std::isnan(r.at_org(kOMeanEffort, 4)));
}

TEST(SweepPlan, SampledPointsStayInRangeAndRepeat) {
  const SweepPlan a(load_sweep_file(data("pass_lhs_inline.json")));
  const SweepPlan b(load_sweep_file(data("pass_lhs_inline.json")));
  ASSERT_EQ(a.points(), 4);
  for (std::int64_t p = 0; p < a.points(); ++p) {
    const double v = a.param_values(p).at(0);
    EXPECT_GE(v, 0.1);
    EXPECT_LE(v, 0.9);
    EXPECT_EQ(v, b.param_values(p).at(0));  // same sweep file, same points
  }
}

TEST(SweepPlan, InvalidPointFailsWithInputError) {
  EXPECT_THROW(SweepPlan(load_sweep_file(data("fail_bad_level.json"))), InputError);
}

}  // namespace
}  // namespace p3sim
