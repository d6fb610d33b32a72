// Summary: grouping of a compare-style result file by the varied parameter.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "io/ScenarioLayout.hpp"
#include "io/Provenance.hpp"
#include "io/ResultReader.hpp"
#include "io/ResultWriter.hpp"
#include "stats/PairedComparison.hpp"
#include "stats/Summary.hpp"
#include "scenario/ScenarioLoader.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim {
namespace {

const std::string kTiny = std::string(P3SIM_SOURCE_DIR) + "/scenarios/tiny_partnership.json";
const std::string kPointer = "/production/productivity";

class SummaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("p3sim_summary_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "compare.h5").string();

    const std::vector<std::string> values{"0.5", "1.0"};
    for (const std::string& v : values) {
      scenarios_.push_back(load_scenario_file(kTiny, ScenarioEdits{{kPointer + "=" + v, "/steps=12"}, {}}));
    }
    ComparisonSpec spec;
    for (const Scenario& s : scenarios_) spec.variants.push_back(&s);
    spec.metrics = {kFOutcome, kFAdopters};
    spec.master_seed = 11;
    spec.replications = kReps;
    std::vector<std::tuple<int, int, RunResult>> runs;
    result_ = run_comparison(spec, [&](int v, int r, const RunResult& run) { runs.emplace_back(v, r, run); });

    const Scenario& sc = scenarios_.front();
    ResultLayout layout = scenario_layout(sc, 2 * kReps);
    layout.params = {kPointer};
    ResultWriter writer(path_, layout,
                        Provenance::current("test", sc.resolved.dump(), compare_variants_json(kPointer, values, kReps, 11), 11),
                        false);
    for (const auto& [v, r, run] : runs) writer.write_run(r * 2 + v, v, r, run, {static_cast<double>(v)});
    writer.close();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static constexpr int kReps = 5;
  std::filesystem::path dir_;
  std::string path_;
  std::vector<Scenario> scenarios_;
  ComparisonResult result_;
};

TEST_F(SummaryTest, GroupsByTheVariedParameter) {
  const ResultReader reader(path_);
  for (const std::string& by : {kPointer, std::string("production.productivity")}) {
    const Summary s = summarize(reader, by, {"outcome", "adopters"});
    EXPECT_EQ(s.by, kPointer);
    EXPECT_EQ(s.runs_total, 10u);
    EXPECT_EQ(s.runs_done, 10u);
    ASSERT_EQ(s.groups.size(), 2u);
    EXPECT_EQ(s.groups[0].label, "0.5");
    EXPECT_EQ(s.groups[1].label, "1.0");
    for (std::size_t g = 0; g < 2; ++g) {
      for (std::size_t m = 0; m < 2; ++m) {
        EXPECT_EQ(s.groups[g].estimates[m].n, static_cast<std::size_t>(kReps));
        EXPECT_DOUBLE_EQ(s.groups[g].estimates[m].estimate, result_.stats[g][m].level.estimate);
        EXPECT_DOUBLE_EQ(s.groups[g].estimates[m].ci.lo, result_.stats[g][m].level.ci.lo);
        EXPECT_DOUBLE_EQ(s.groups[g].estimates[m].ci.hi, result_.stats[g][m].level.ci.hi);
      }
    }
  }
}

TEST_F(SummaryTest, UngroupedUsesEveryDoneRunAndAllMetrics) {
  const ResultReader reader(path_);
  const Summary s = summarize(reader, "", {});
  EXPECT_EQ(s.metrics.size(), static_cast<std::size_t>(kFinalCount));
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_EQ(s.groups[0].estimates[kFOutcome].n, 10u);
}

TEST_F(SummaryTest, UnknownParameterOrMetricIsBadInput) {
  const ResultReader reader(path_);
  try {
    summarize(reader, "governance.mode", {});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("production.productivity"), std::string::npos) << e.what();
  }
  EXPECT_THROW(summarize(reader, "", {"no_such_metric"}), InputError);
}

}  // namespace
}  // namespace p3sim
