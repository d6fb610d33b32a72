// ResultLayout: recorded steps, parameter dataset names, validation and layout differences.
#include "io/ResultLayout.hpp"

#include <gtest/gtest.h>

#include "scenario/ScenarioSchema.hpp"

#include "SampleResults.hpp"

namespace p3sim {
namespace {

std::string validation_error(const ResultLayout& layout) {
  try {
    layout.validate();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(ResultLayout, RecordsEveryNthStepFromZero) {
  ResultLayout l;
  l.steps = 10;
  EXPECT_EQ(l.recorded_steps().size(), 11u);
  l.every = 4;
  EXPECT_EQ(l.recorded_steps(), (std::vector<std::int32_t>{0, 4, 8}));
  l.steps = 0;
  EXPECT_EQ(l.recorded_steps(), (std::vector<std::int32_t>{0}));
}

TEST(ResultLayout, RecordsEverySeriesByDefault) {
  const ResultLayout l;
  for (const char* m : kSeriesMetrics) EXPECT_TRUE(l.records(m)) << m;
  EXPECT_TRUE(l.events);
  EXPECT_EQ(l.every, 1);
}

TEST(ResultLayout, NamesParameterDatasetsWithoutSlashes) {
  EXPECT_EQ(param_dataset_name("/governance/mode"), "governance.mode");
  EXPECT_EQ(param_dataset_name("/organizations/*/disclosure"), "organizations.*.disclosure");
  EXPECT_EQ(param_dataset_name("pitfall:hidden_incentives"), "pitfall:hidden_incentives");
  EXPECT_THROW(param_dataset_name("/"), std::invalid_argument);
  EXPECT_THROW(param_dataset_name("/."), std::invalid_argument);
}

TEST(ResultLayout, ValidatesEveryField) {
  EXPECT_EQ(validation_error(test::sample_layout()), "");
  ResultLayout l = test::sample_layout();
  l.runs = 0;
  EXPECT_EQ(validation_error(l), "result layout: runs must be >= 1, found 0");
  l = test::sample_layout();
  l.every = 0;
  EXPECT_EQ(validation_error(l), "result layout: every must be >= 1, found 0");
  l = test::sample_layout();
  l.steps = -1;
  EXPECT_EQ(validation_error(l), "result layout: steps must be in [0, 100000], found -1");
  l = test::sample_layout();
  l.org_sectors.pop_back();
  EXPECT_EQ(validation_error(l), "result layout: org_sectors has 3 entries for 4 organizations");
  l = test::sample_layout();
  l.org_sectors[1] = 3;
  EXPECT_EQ(validation_error(l), "result layout: organization \"Cooperative\" has sector index 3, expected 0..2");
  l = test::sample_layout();
  l.series = {"trust", "happiness"};
  EXPECT_EQ(validation_error(l), "result layout: unknown series \"happiness\"");
  l.series = {"trust", "trust"};
  EXPECT_EQ(validation_error(l), "result layout: series \"trust\" listed twice");
  l = test::sample_layout();
  l.params = {"/a/b", "a.b"};
  EXPECT_EQ(validation_error(l), "result layout: parameters \"/a/b\" and \"a.b\" both map to the dataset /params/a.b");
}

TEST(ResultLayout, DescribesHowTwoLayoutsDiffer) {
  const ResultLayout a = test::sample_layout();
  ResultLayout b = a;
  EXPECT_EQ(a.difference(b), "");
  std::reverse(b.series.begin(), b.series.end());
  EXPECT_EQ(a.difference(b), "") << "series order does not matter";
  b.series = {"trust"};
  EXPECT_EQ(a.difference(b).rfind("recorded series are [\"outcome\", ", 0), 0u) << a.difference(b);
  b = a;
  b.runs = 7;
  EXPECT_EQ(a.difference(b), "the file has 3 runs, expected 7");
  b = a;
  b.dims = {"coverage"};
  EXPECT_EQ(a.difference(b), "agenda dimensions are [\"coverage\", \"income\"], expected [\"coverage\"]");
  b = a;
  b.events = false;
  EXPECT_EQ(a.difference(b), "the file records events");
}

TEST(ResultLayout, StepsAreBoundedAsScenariosAre) {
  // A fuzzed file claimed 2^31 - 1 steps; readers validate the layout before listing its steps.
  EXPECT_EQ(scenario_schema()["properties"]["steps"]["maximum"].get<int>(), kMaxSteps);
  ResultLayout l = test::sample_layout();
  l.steps = kMaxSteps + 1;
  EXPECT_NE(validation_error(l).find("steps must be in [0, 100000]"), std::string::npos) << validation_error(l);
  l.steps = kMaxSteps;
  EXPECT_EQ(validation_error(l), "");
}

}  // namespace
}  // namespace p3sim
