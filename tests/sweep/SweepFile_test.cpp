// Sweep files: what a valid file gives, and that bad files fail with every error, each with its id
// and JSON Pointer.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "sweep/SweepFile.hpp"
#include "sweep/SweepPlan.hpp"
#include "sweep/SweepSchema.hpp"

namespace p3sim {
namespace {

std::string data(const std::string& name) { return std::string(P3SIM_TEST_DATA) + "/sweeps/" + name; }

std::vector<ValidationError> load_errors(const std::string& name) {
  try {
    (void)load_sweep_file(data(name));
  } catch (const InputError& e) {
    return e.errors();
  }
  return {};
}

bool has(const std::vector<ValidationError>& errors, const std::string& id, const std::string& pointer) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const ValidationError& e) { return e.id == id && e.pointer == pointer; });
}

TEST(SweepFile, GridWithPitfallsReadsEveryField) {
  const SweepSpec spec = load_sweep_file(data("pass_grid_pitfalls.json"));
  EXPECT_EQ(spec.replications, 2);
  EXPECT_EQ(spec.seed, 7u);
  ASSERT_TRUE(spec.steps.has_value());
  EXPECT_EQ(*spec.steps, 6);
  EXPECT_EQ(spec.design.type, DesignType::Grid);
  ASSERT_EQ(spec.parameters.size(), 2u);
  EXPECT_EQ(spec.parameters[0].pointer, "/governance/mode");  // file order kept
  EXPECT_EQ(spec.parameters[0].kind, ParameterSpec::Kind::Categorical);
  EXPECT_EQ(spec.parameters[0].values.size(), 3u);
  EXPECT_EQ(spec.parameters[1].kind, ParameterSpec::Kind::Stepped);
  EXPECT_EQ(spec.parameters[1].steps, 2);
  ASSERT_EQ(spec.pitfall_sets.size(), 2u);
  EXPECT_TRUE(spec.pitfall_sets[0].empty());
  EXPECT_EQ(spec.pitfall_sets[1], std::vector<std::string>{"hidden_incentives"});
  EXPECT_EQ(spec.record.series, (std::vector<std::string>{"outcome", "trust"}));
  EXPECT_EQ(spec.record.every, 2);
  EXPECT_FALSE(spec.record.events);
  EXPECT_EQ(spec.scenario["name"], "tiny_partnership");  // path resolved against the sweep's folder
  EXPECT_TRUE(validate_sweep_file(data("pass_grid_pitfalls.json")).empty());
}

TEST(SweepFile, InlineScenarioAndSampledDesign) {
  const SweepSpec spec = load_sweep_file(data("pass_lhs_inline.json"));
  EXPECT_EQ(spec.design.type, DesignType::LatinHypercube);
  EXPECT_EQ(spec.design.samples, 4);
  EXPECT_EQ(spec.parameters.at(0).kind, ParameterSpec::Kind::Continuous);
  EXPECT_EQ(spec.pitfall_sets.size(), 1u);
  for (const auto& e : validate_sweep_file(data("pass_lhs_inline.json"))) ADD_FAILURE() << e.format();
}

TEST(SweepFile, UnknownKeySuggestsTheRightOne) {
  const auto errors = load_errors("fail_unknown_key.json");
  ASSERT_TRUE(has(errors, "unknown_key", "/replication"));
  const auto it = std::find_if(errors.begin(), errors.end(), [](const auto& e) { return e.id == "unknown_key"; });
  EXPECT_NE(it->hint.find("replications"), std::string::npos) << it->format();
}

TEST(SweepFile, EveryTypeAndRangeErrorAtOnce) {
  const auto errors = load_errors("fail_types.json");
  EXPECT_TRUE(has(errors, "range", "/replications"));
  EXPECT_TRUE(has(errors, "range", "/seed"));
  EXPECT_TRUE(has(errors, "range", "/record/every"));
  EXPECT_TRUE(has(errors, "enum", "/record/series/0"));
  EXPECT_GE(errors.size(), 5u);
}

TEST(SweepFile, ContinuousRangeNeedsASampledDesign) {
  EXPECT_TRUE(has(load_errors("fail_continuous_on_grid.json"), "continuous_on_grid",
                  "/parameters/~1organizations~1*~1disclosure"));
}

TEST(SweepFile, AbsurdRunCountsAreRefused) {
  EXPECT_TRUE(has(load_errors("fail_too_many_runs.json"), "too_many_runs", "/replications"));
}

TEST(SweepFile, MissingScenarioFile) {
  const auto errors = load_errors("fail_missing_scenario.json");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "io");
}

TEST(SweepFile, ValidateChecksEveryLevelAgainstTheScenario) {
  const auto errors = validate_sweep_file(data("fail_bad_level.json"));
  ASSERT_FALSE(errors.empty());
  EXPECT_TRUE(std::any_of(errors.begin(), errors.end(), [](const ValidationError& e) {
    return e.pointer == "/governance/mode" && e.hint.find("hierarchy") != std::string::npos;
  })) << errors[0].format();
  EXPECT_TRUE(load_errors("fail_bad_level.json").empty());  // the sweep itself is well formed
}

TEST(SweepFile, ExplicitPointsKeepTheirListsAndGenerator) {
  const SweepSpec spec = load_sweep_file(data("pass_points.json"));
  EXPECT_EQ(spec.design.type, DesignType::Points);
  ASSERT_EQ(spec.parameters.size(), 2u);
  EXPECT_EQ(spec.parameters[1].values.size(), 3u);
  // The generator is not p3sim's to read, but it reaches the result file untouched.
  const auto stored = nlohmann::ordered_json::parse(spec.json_text());
  EXPECT_EQ(stored["design"]["generator"]["points"][2]["label"], "c");
  for (const auto& e : validate_sweep_file(data("pass_points.json"))) ADD_FAILURE() << e.format();
}

TEST(SweepFile, ExplicitPointsNeedListsOfOneLengthAndNoSamples) {
  const auto errors = load_errors("fail_points.json");
  EXPECT_TRUE(has(errors, "points_samples", "/design/samples"));
  EXPECT_TRUE(has(errors, "points_length", "/parameters/~1trust~1gain"));
  EXPECT_TRUE(has(errors, "points_need_lists", "/parameters/~1trust~1loss"));
  EXPECT_EQ(errors.size(), 3u);
  const auto length = std::find_if(errors.begin(), errors.end(), [](const auto& e) { return e.id == "points_length"; });
  EXPECT_EQ(length->expected, "3 values, one per point (as /parameters/~1governance~1mode)");
  EXPECT_EQ(length->found, "2 values");
}

TEST(SweepFile, ValidateChecksEachExplicitPointWhole) {
  EXPECT_TRUE(load_errors("fail_points_bad_value.json").empty());  // well formed as a sweep
  const auto errors = validate_sweep_file(data("fail_points_bad_value.json"));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].pointer, "/trust/gain");
  EXPECT_NE(errors[0].file.find("(design point 1, /trust/gain=1.5)"), std::string::npos) << errors[0].format();
  EXPECT_EQ(errors[1].pointer, "/trust/loss");
  EXPECT_NE(errors[1].file.find("(design point 2, /trust/loss=-0.2)"), std::string::npos) << errors[1].format();
}

TEST(SweepFile, AnErrorRepeatedOverManyPointsIsReportedOnceAndCounted) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(R"({
    "scenario": "../../../scenarios/tiny_partnership.json",
    "design": {"type": "points"},
    "parameters": {"/trust/gain": [0.1, 2, 3, 0.2, 4, 5, 6], "/trust/loss": [0.4, 0.4, 0.4, 0.4, 0.4, 0.4, -1]}
  })");
  // Written beside the other sweeps, so that the relative scenario path resolves.
  const std::string beside = data("repeated_points.generated.json");
  {
    std::ofstream out(beside);
    out << doc.dump();
  }
  const auto errors = validate_sweep_file(beside);
  std::remove(beside.c_str());
  ASSERT_EQ(errors.size(), 2u);  // the first gain error, counting the other four, and the loss error
  EXPECT_EQ(errors[0].pointer, "/trust/gain");
  EXPECT_NE(errors[0].file.find("(design point 1, /trust/gain=2)"), std::string::npos) << errors[0].format();
  EXPECT_EQ(errors[0].hint, "the same in 4 more checks");
  EXPECT_EQ(errors[1].pointer, "/trust/loss");
  EXPECT_EQ(errors[1].hint, "");
}

TEST(SweepFile, SampledDesignsNeedSamplesAndTakeNoGenerator) {
  const auto errors = load_errors("fail_sampled_without_samples.json");
  EXPECT_TRUE(has(errors, "required", "/design/samples"));
  EXPECT_TRUE(has(errors, "generator", "/design/generator"));
  EXPECT_EQ(errors.size(), 2u);
}

// Inputs the sweep fuzzer (scripts/fuzz) found to crash, kept as fuzz_*.json: each must now end in
// InputError at every stage, as any bad input must (run under the sanitizers in CI).
TEST(SweepFile, FuzzFindingsFailOnlyWithInputErrors) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(data(""))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("fuzz_", 0) == 0) found.push_back(name);
  }
  ASSERT_FALSE(found.empty());
  for (const std::string& name : found) {
    SCOPED_TRACE(name);
    try {
      const SweepPlan plan(load_sweep_file(data(name)));
      ADD_FAILURE() << "loaded without an error";
    } catch (const InputError& e) {
      EXPECT_FALSE(e.errors().empty());
    }
    EXPECT_FALSE(validate_sweep_file(data(name)).empty());
  }
  // 11,000 design points, all with the same misspelt pointer, once took minutes to check one by one.
  const auto slow = validate_sweep_file(data("fuzz_timeout_sweep_file_c7a3ff93.json"));
  ASSERT_FALSE(slow.empty());
  EXPECT_EQ(slow.back().id, "unchecked");
  EXPECT_EQ(slow.back().found, "errors in 50 checks; the remaining 10951 were skipped");
  EXPECT_EQ(slow.front().hint, "did you mean \"disclosure\"?; the same in 49 more checks");
  // A population degree of 4e37 (the schema's maximum is 100) once reached an overflowing cast.
  EXPECT_TRUE(has(validate_sweep_file(data("fuzz_crash_sweep_file_b60ec05c.json")), "range", "/population/degree"));
}

TEST(SweepFile, ValidateChecksPitfallNames) {
  const auto errors = validate_sweep_file(data("fail_unknown_pitfall.json"));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].id, "unknown_pitfall");
  // Named in the sweep file, where it is listed: not "--pitfall", an option nobody typed.
  EXPECT_EQ(errors[0].file, data("fail_unknown_pitfall.json"));
  EXPECT_EQ(errors[0].pointer.rfind("/pitfalls/", 0), 0u) << errors[0].pointer;
}

TEST(SweepFile, ErrorsOfTheLoaderAreLabelledWithTheSweepEntry) {
  const std::vector<std::string> set = {"short_cut", "funding_cutt"};
  std::vector<ValidationError> errors(5);
  errors[0].file = "--set /trust/gain=2";  // the scenario rejects a value the sweep wrote
  errors[0].pointer = "/trust/gain";
  errors[1].file = "--set";  // the parameter's pointer cannot be applied
  errors[1].pointer = "/shocks/*/fraction";
  errors[2].file = "--pitfall";  // an unknown name
  errors[2].found = "\"funding_cutt\"";
  errors[3].file = "after --pitfall short_cut";  // the pitfall leaves the scenario invalid
  errors[3].pointer = "/governance/transparency";
  errors[4].file = "other.json";
  label_sweep_errors(errors, "s.json", "design point 7", {3, &set});
  EXPECT_EQ(errors[0].file, "s.json (design point 7, /trust/gain=2)");
  EXPECT_EQ(errors[0].pointer, "/trust/gain");
  EXPECT_EQ(errors[1].file, "s.json (design point 7)");
  EXPECT_EQ(errors[1].pointer, "/parameters/~1shocks~1*~1fraction");
  EXPECT_EQ(errors[2].file, "s.json (design point 7)");
  EXPECT_EQ(errors[2].pointer, "/pitfalls/3/1");
  EXPECT_EQ(errors[3].file, "s.json (design point 7, pitfall short_cut at /pitfalls/3/0)");
  EXPECT_EQ(errors[3].pointer, "/governance/transparency");
  EXPECT_EQ(errors[4].file, "other.json");
}

TEST(SweepFile, ParametersAndPitfallsMustHaveDistinctDatasetNames) {
  const auto doc = nlohmann::ordered_json::parse(R"({"scenario": {"name": "x"},
      "parameters": {"/a/b": [1, 2], "/a.b": [3, 4]}, "pitfalls": [[], ["x/y"], ["x.y"]]})");
  try {
    (void)load_sweep(doc, "s.json", "");
    FAIL() << "accepted two parameters of one dataset name";
  } catch (const InputError& e) {
    ASSERT_EQ(e.errors().size(), 2u);
    EXPECT_EQ(e.errors()[0].id, "dataset_name");
    EXPECT_EQ(e.errors()[0].pointer, "/parameters/~1a.b");
    EXPECT_EQ(e.errors()[1].pointer, "/pitfalls/2/0");
  }
}

TEST(SweepFile, SweepDocumentsAreRecognized) {
  EXPECT_TRUE(is_sweep_document(nlohmann::ordered_json::parse(R"({"scenario": "x", "replications": 2})")));
  EXPECT_FALSE(is_sweep_document(nlohmann::ordered_json::parse(R"({"name": "x", "steps": 2})")));
  // Only keys a scenario cannot have decide: a sweep of just a scenario, steps and a seed is one.
  EXPECT_TRUE(is_sweep_document(nlohmann::ordered_json::parse(R"({"scenario": "x", "steps": 5, "seed": 3})")));
}

TEST(SweepFile, SchemaDescribesEveryTopLevelKey) {
  for (const char* key : {"scenario", "replications", "seed", "steps", "design", "parameters", "pitfalls", "record"}) {
    ASSERT_TRUE(sweep_schema()["properties"].contains(key)) << key;
    EXPECT_TRUE(sweep_schema()["properties"][key].contains("description")) << key;
  }
}

}  // namespace
}  // namespace p3sim
