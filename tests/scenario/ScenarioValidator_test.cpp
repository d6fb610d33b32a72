// The validator against the golden corpora (tests/data/pass, tests/data/fail with
// expectations.json), exact error texts, and robustness on documents of the wrong shape.
#include "scenario/ScenarioValidator.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenario/ScenarioLoader.hpp"

namespace p3sim {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

const std::string kData = P3SIM_TEST_DATA;

std::vector<std::string> json_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(kData + "/" + dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && name != "expectations.json") files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// (id, pointer, line, column); line and column are 0 where the expectation gives none.
using Key = std::tuple<std::string, std::string, int, int>;

TEST(ScenarioValidatorCorpus, EveryPassFileLoads) {
  const auto files = json_files("pass");
  ASSERT_GE(files.size(), 8u);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    const std::string path = kData + "/pass/" + f;
    EXPECT_TRUE(validate_scenario_file(path).empty());
    try {
      const Scenario s = load_scenario_file(path);
      EXPECT_GE(s.organization_count(), 1);
      EXPECT_FALSE(s.resolved.is_null());
    } catch (const InputError& e) {
      ADD_FAILURE() << e.what();
    }
  }
}

TEST(ScenarioValidatorCorpus, EveryFailFileGivesExactlyTheExpectedErrors) {
  std::ifstream in(kData + "/fail/expectations.json");
  ASSERT_TRUE(in) << "missing expectations.json";
  const ojson expectations = ojson::parse(in);
  const auto files = json_files("fail");
  ASSERT_GE(files.size(), 30u);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    ASSERT_TRUE(expectations.contains(f)) << f << " has no entry in expectations.json";
    std::vector<Key> expected;
    for (const auto& e : expectations[f]) {
      expected.emplace_back(e["id"], e["pointer"], e.value("line", 0), e.value("column", 0));
    }
    const std::string path = kData + "/fail/" + f;
    std::vector<Key> found;
    for (const ValidationError& e : validate_scenario_file(path)) {
      EXPECT_EQ(e.file, path);
      EXPECT_FALSE(e.expected.empty());
      EXPECT_FALSE(e.found.empty());
      found.emplace_back(e.id, e.pointer, e.line, e.column);
    }
    std::sort(expected.begin(), expected.end());
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, expected);
    // Loading must fail with the same errors.
    try {
      load_scenario_file(path);
      ADD_FAILURE() << "loaded a failing file";
    } catch (const InputError& e) {
      EXPECT_EQ(e.errors().size(), expected.size());
    }
  }
  for (const auto& [name, _] : expectations.items()) {
    EXPECT_TRUE(fs::exists(kData + "/fail/" + name)) << "expectation for a missing file " << name;
  }
}

std::vector<std::string> formatted(const std::string& fail_file) {
  std::vector<std::string> lines;
  for (const ValidationError& e : validate_scenario_file(kData + "/fail/" + fail_file)) lines.push_back(e.format());
  return lines;
}

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST(ScenarioValidatorText, EnumSuggestsClosestValue) {
  const std::string f = kData + "/fail/enum_values.json";
  EXPECT_TRUE(contains(formatted("enum_values.json"),
                       f + ": /governance/mode: error[enum]: expected one of \"isolated\", \"constellation\", "
                           "\"backbone\", \"hierarchy\", \"network\", found a string \"hierachy\" "
                           "(did you mean \"hierarchy\"?)"));
}

TEST(ScenarioValidatorText, SyntaxErrorNamesLineColumnAndTrailingComma) {
  const std::string f = kData + "/fail/syntax_trailing_comma_object.json";
  EXPECT_EQ(formatted("syntax_trailing_comma_object.json"),
            std::vector<std::string>{f + ":6:1: error[syntax]: expected a quoted object key, found '}' "
                                         "(remove the trailing comma)"});
  const std::string g = kData + "/fail/syntax_nan.json";
  EXPECT_EQ(formatted("syntax_nan.json"),
            std::vector<std::string>{g + ":3:71: /organizations/0/disclosure: error[syntax]: expected a JSON value, "
                                         "found the bare word NaN (JSON has no NaN or Infinity; write a finite number)"});
}

TEST(ScenarioValidatorText, RangeTypeAndNonFinite) {
  const std::string r = kData + "/fail/range_values.json";
  const auto lines = formatted("range_values.json");
  EXPECT_TRUE(contains(lines, r + ": /organizations/0/disclosure: error[range]: expected a number in [0, 1], found 1.5"));
  EXPECT_TRUE(contains(lines, r + ": /goal/target: error[range]: expected a number in (0, 1000000000000], found 0"));
  EXPECT_TRUE(contains(lines, r + ": /steps: error[range]: expected an integer in [0, 100000], found -1"));
  const std::string t = kData + "/fail/type_errors.json";
  EXPECT_TRUE(contains(formatted("type_errors.json"), t + ": /steps: error[type]: expected an integer, found a string \"36\""));
  const std::string n = kData + "/fail/non_finite_1e999.json";
  EXPECT_EQ(formatted("non_finite_1e999.json"),
            std::vector<std::string>{n + ":4:40: /capabilities/funding/need: error[non_finite]: expected a finite "
                                         "number, found 1e999"});
}

TEST(ScenarioValidatorText, UnknownKeysAndReferencesSuggest) {
  const std::string k = kData + "/fail/unknown_key_deep.json";
  EXPECT_TRUE(contains(formatted("unknown_key_deep.json"),
                       k + ": /governance/transparancy: error[unknown_key]: expected a key defined for this object, "
                           "found the key \"transparancy\" (did you mean \"transparency\"?)"));
  const std::string s = kData + "/fail/unknown_reference_sector.json";
  EXPECT_TRUE(contains(formatted("unknown_reference_sector.json"),
                       s + ": /organizations/0/sector: error[unknown_reference]: expected a sector name (government, "
                           "business, civil_society, or one declared under /sectors), found \"civil_soceity\" "
                           "(did you mean \"civil_society\"?)"));
  const std::string m = kData + "/fail/required_missing.json";
  EXPECT_TRUE(contains(formatted("required_missing.json"),
                       m + ": /organizations/0/sector: error[required]: expected a value for the required key "
                           "\"sector\", found no such key"));
}

TEST(ScenarioValidatorText, MissingFileIsAnIoError) {
  const auto errors = validate_scenario_file(kData + "/fail/does_not_exist.json");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "io");
  EXPECT_EQ(errors[0].format(), kData + "/fail/does_not_exist.json: (document): error[io]: expected a readable JSON "
                                        "file, found no file that can be read at this path");
}

// Semantic checks must skip what the schema already rejected, whatever its type.
TEST(ScenarioValidatorRobustness, WrongTypesEverywhereNeverCrash) {
  const char* docs[] = {
      R"(null)",
      R"("a scenario")",
      R"({"name": 1, "organizations": 5, "capabilities": [], "goal": "high"})",
      R"({"name": "x", "organizations": [null, 3, [], {"name": [], "sector": {}}], "capabilities": {"a": 1},
          "goal": {"target": "x", "metric": 3}, "sectors": [], "governance": [], "shocks": {}, "trust": 1})",
      R"({"name": "x", "organizations": [{"name": "a", "sector": "business", "goal": 7, "capabilities": [],
          "prehistory": [], "incentives": [0, 1]}], "capabilities": {"f": {}}, "goal": {"target": 1},
          "agenda": {"dimensions": "two"}, "population": {"units": "many", "degree": "six"},
          "sectors": {"new": 3, "business": {"mandate": {}, "cooperation": []}},
          "trust": {"priors": {"business": 3, "x": {"y": "z"}}}, "pitfalls": {"p": {"patch": [3, {"op": 4}]}},
          "shocks": [3, {"kind": 3, "step": "now"}], "lifecycle": {"pledge_min": "x"}})",
  };
  for (const char* text : docs) {
    SCOPED_TRACE(text);
    const auto errors = validate_scenario(ojson::parse(text), "doc.json");
    EXPECT_FALSE(errors.empty());
    for (const auto& e : errors) EXPECT_FALSE(e.id.empty());
  }
}

TEST(ScenarioValidatorRobustness, IntegralFloatIsAnInteger) {
  const ojson doc = ojson::parse(
      R"({"name": "x", "steps": 36.0, "organizations": [{"name": "a", "sector": "business", "patience": 4.0}],
          "capabilities": {"f": {}}, "goal": {"target": 1}})");
  EXPECT_TRUE(validate_scenario(doc, "doc.json").empty());
}

}  // namespace
}  // namespace p3sim
