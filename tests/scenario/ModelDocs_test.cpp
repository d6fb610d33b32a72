// The model documentation (docs/model.md) must stay in step with the code: every scenario key of
// the schema has a row in a parameter table with the schema's default, range and unit, no row
// documents a key the schema no longer has, and every output name (metrics, per-organization
// fields, event kinds, causes, random streams, built-in pitfalls) is written down.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "random/RandomStreams.hpp"
#include "result/RunResult.hpp"
#include "scenario/GovernancePresets.hpp"
#include "scenario/Pitfalls.hpp"
#include "scenario/ScenarioSchema.hpp"
#include "scenario/SectorProfiles.hpp"

namespace p3sim {
namespace {

using nlohmann::json;

const json& follow_refs(const json& root, const json& node) {
  const json* n = &node;
  while (n->is_object() && n->contains("$ref")) {
    const std::string ref = (*n)["$ref"].get<std::string>();
    const std::string prefix = "#/$defs/";
    if (ref.rfind(prefix, 0) != 0) break;
    n = &root["$defs"][ref.substr(prefix.size())];
  }
  return *n;
}

// An array whose elements are plain values (numbers, strings) is documented by its own row; an
// array of objects gets a row for its element ("/shocks/*") and for each of the element's fields.
bool has_structure(const json& root, const json& node) {
  const json& n = follow_refs(root, node);
  if (!n.is_object()) return false;
  return n.contains("properties") || n.contains("oneOf") || n.contains("items") ||
         (n.contains("additionalProperties") && n["additionalProperties"].is_object());
}

struct Parameter {
  std::string path;
  const json* schema;  // with $ref followed
};

// Every parameter path of the schema below `path`, in the notation of docs/model.md: JSON Pointer
// segments, "*" for every map key and array element.
void collect(const json& root, const json& node, const std::string& path, std::vector<Parameter>& out) {
  const json& n = follow_refs(root, node);
  if (!n.is_object()) return;
  auto add = [&](const std::string& child_path, const json& child) {
    out.push_back(Parameter{child_path, &follow_refs(root, child)});
    collect(root, child, child_path, out);
  };
  if (n.contains("oneOf")) {
    for (const json& branch : n["oneOf"]) collect(root, branch, path, out);
  }
  if (n.contains("properties")) {
    for (const auto& [key, child] : n["properties"].items()) add(path + "/" + key, child);
  }
  if (n.contains("additionalProperties") && n["additionalProperties"].is_object()) {
    add(path + "/*", n["additionalProperties"]);
  }
  if (n.contains("items") && n["items"].is_object() && has_structure(root, n["items"])) {
    add(path + "/*", n["items"]);
  }
}

std::vector<Parameter> schema_parameters() {
  const json& schema = scenario_schema();
  std::vector<Parameter> out;
  collect(schema, schema, "", out);
  return out;
}

std::string read_doc() {
  std::ifstream in(P3SIM_SOURCE_DIR "/docs/model.md");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Cells of a Markdown table row; "\|" inside a cell is not a separator.
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t k = 1; k < line.size(); ++k) {
    if (line[k] == '|' && line[k - 1] != '\\') {
      out.push_back(trim(cell));
      cell.clear();
    } else {
      cell += line[k];
    }
  }
  return out;
}

// Parameter rows of the document: first cell exactly `/some/path`. Maps the path to its cells.
std::map<std::string, std::vector<std::string>> parameter_rows(const std::string& doc) {
  std::map<std::string, std::vector<std::string>> rows;
  std::istringstream lines(doc);
  std::string line;
  const std::regex key("^`(/[^`]*)`$");
  while (std::getline(lines, line)) {
    if (line.rfind("|", 0) != 0) continue;
    const std::vector<std::string> c = cells(line);
    std::smatch m;
    if (!c.empty() && std::regex_match(c[0], m, key)) rows[m[1].str()] = c;
  }
  return rows;
}

std::vector<double> numbers_in(const std::string& text) {
  std::vector<double> out;
  const std::regex number(R"((^|[^\w.])(-?\d+(\.\d+)?([eE][+-]?\d+)?))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it) {
    out.push_back(std::stod((*it)[2].str()));
  }
  return out;
}

bool mentions_number(const std::string& text, double value) {
  for (double v : numbers_in(text)) {
    if (std::abs(v - value) <= 1e-12 * std::max(1.0, std::abs(value))) return true;
  }
  return false;
}

constexpr int kMeaning = 1, kDefault = 2, kRange = 3, kUnit = 4;

TEST(ModelDocs, DocumentExists) {
  EXPECT_FALSE(read_doc().empty()) << "docs/model.md is missing or empty";
}

TEST(ModelDocs, SchemaWalkFindsNestedKeys) {
  // Guards the walk itself: keys behind $ref, additionalProperties, items and oneOf are reached.
  std::set<std::string> paths;
  for (const Parameter& p : schema_parameters()) paths.insert(p.path);
  for (const char* expected : {"/trust/gain", "/organizations/*/disclosure", "/capabilities/*/need",
                               "/sectors/*/champion", "/trust/priors/*/*", "/pitfalls/*/patch",
                               "/pitfalls/*/patch/*/op", "/organizations/*/cooperation/slope",
                               "/population/forced/relapse", "/shocks/*/kind", "/lifecycle/prospects/impact",
                               "/cooperation_types/free_rider/intercept"}) {
    EXPECT_TRUE(paths.count(expected)) << expected;
  }
}

TEST(ModelDocs, EverySchemaKeyHasATableRow) {
  const auto rows = parameter_rows(read_doc());
  for (const Parameter& p : schema_parameters()) {
    EXPECT_TRUE(rows.count(p.path)) << "docs/model.md has no parameter table row for `" << p.path << "`";
  }
}

TEST(ModelDocs, NoRowDocumentsAKeyTheSchemaLacks) {
  std::set<std::string> paths;
  for (const Parameter& p : schema_parameters()) paths.insert(p.path);
  for (const auto& [path, _] : parameter_rows(read_doc())) {
    EXPECT_TRUE(paths.count(path)) << "docs/model.md documents `" << path << "`, which is not in the schema";
  }
}

TEST(ModelDocs, RowsCarryTheSchemaDefaultRangeAndUnit) {
  const auto rows = parameter_rows(read_doc());
  for (const Parameter& p : schema_parameters()) {
    const auto it = rows.find(p.path);
    if (it == rows.end()) continue;  // reported by EverySchemaKeyHasATableRow
    const std::vector<std::string>& c = it->second;
    ASSERT_GE(c.size(), 5u) << "`" << p.path << "`: a parameter row has 5 columns (key, meaning, default, range, unit)";
    const json& s = *p.schema;
    EXPECT_FALSE(c[kMeaning].empty()) << "`" << p.path << "`: empty meaning";
    if (s.contains("default")) {
      const json& d = s["default"];
      if (d.is_number()) {
        EXPECT_TRUE(mentions_number(c[kDefault], d.get<double>()))
            << "`" << p.path << "`: default column \"" << c[kDefault] << "\" does not give the schema default "
            << d.dump();
      } else if (d.is_boolean() || d.is_string()) {
        const std::string text = d.is_string() ? d.get<std::string>() : d.dump();
        EXPECT_NE(c[kDefault].find(text), std::string::npos)
            << "`" << p.path << "`: default column \"" << c[kDefault] << "\" does not give the schema default "
            << text;
      }
    }
    for (const char* bound : {"minimum", "exclusiveMinimum", "maximum"}) {
      if (s.contains(bound) && s[bound].is_number()) {
        EXPECT_TRUE(mentions_number(c[kRange], s[bound].get<double>()))
            << "`" << p.path << "`: range column \"" << c[kRange] << "\" does not give the schema " << bound << " "
            << s[bound].dump();
      }
    }
    if (s.contains("enum")) {
      for (const json& v : s["enum"]) {
        EXPECT_NE(c[kRange].find(v.get<std::string>()), std::string::npos)
            << "`" << p.path << "`: range column does not list the allowed value " << v.dump();
      }
    }
    if (s.contains("x-unit")) {
      const std::string unit = s["x-unit"].get<std::string>();
      EXPECT_NE(c[kUnit].find(unit), std::string::npos)
          << "`" << p.path << "`: unit column \"" << c[kUnit] << "\" does not give the schema unit \"" << unit
          << "\"";
    }
  }
}

void expect_named(const std::string& doc, const std::string& name, const char* what) {
  EXPECT_NE(doc.find("`" + name + "`"), std::string::npos) << "docs/model.md does not name the " << what << " `"
                                                           << name << "`";
}

TEST(ModelDocs, EveryOutputNameIsDocumented) {
  const std::string doc = read_doc();
  for (const char* n : kSeriesMetrics) expect_named(doc, n, "series metric");
  for (const char* n : kSectorSeriesMetrics) expect_named(doc, n, "by-sector series metric");
  for (const char* n : kFinalMetrics) expect_named(doc, n, "final metric");
  for (const char* n : kOrgFields) expect_named(doc, n, "per-organization field");
  for (const char* n : kOrgVectorFields) expect_named(doc, n, "per-organization vector field");
  for (const char* n : kEventKindNames) expect_named(doc, n, "event kind");
  for (const char* n : kCauseNames) expect_named(doc, n, "event cause");
}

TEST(ModelDocs, EveryRandomStreamAndBuiltinPitfallIsDocumented) {
  const std::string doc = read_doc();
  for (const char* n : kStreamNames) expect_named(doc, n, "random stream");
  for (const Pitfall& p : builtin_pitfalls()) expect_named(doc, p.name, "built-in pitfall");
}

// Rows (cells) of the first table after the Markdown heading `heading`, header and rule excluded.
std::vector<std::vector<std::string>> table_after(const std::string& doc, const std::string& heading) {
  std::vector<std::vector<std::string>> rows;
  const auto at = doc.find("\n" + heading + "\n");
  if (at == std::string::npos) return rows;
  std::istringstream lines(doc.substr(at + 1));
  std::string line;
  std::getline(lines, line);  // the heading
  bool in_table = false;
  int seen = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("|", 0) != 0) {
      if (in_table) break;
      continue;
    }
    in_table = true;
    if (++seen > 2) rows.push_back(cells(line));
  }
  return rows;
}

const std::vector<std::string>* row_named(const std::vector<std::vector<std::string>>& rows, const std::string& name) {
  for (const auto& r : rows) {
    if (!r.empty() && r[0] == "`" + name + "`") return &r;
  }
  return nullptr;
}

// Numbers of cells 1.. of a row, in order.
std::vector<double> row_numbers(const std::vector<std::string>& row) {
  std::vector<double> out;
  for (std::size_t k = 1; k < row.size(); ++k) {
    for (double v : numbers_in(row[k])) out.push_back(v);
  }
  return out;
}

void expect_same_numbers(const std::vector<double>& doc, const std::vector<double>& code, const std::string& what) {
  ASSERT_EQ(doc.size(), code.size()) << what << ": the documented row has " << doc.size() << " numbers, the code "
                                     << code.size();
  for (std::size_t k = 0; k < doc.size(); ++k) {
    EXPECT_NEAR(doc[k], code[k], 1e-12) << what << ", number " << k + 1;
  }
}

TEST(ModelDocs, GovernancePresetTableMatchesTheCode) {
  const auto rows = table_after(read_doc(), "### Governance presets");
  ASSERT_FALSE(rows.empty()) << "no table after \"### Governance presets\"";
  for (const char* name : kGovernanceModes) {
    const auto* row = row_named(rows, name);
    ASSERT_NE(row, nullptr) << "governance presets table has no row `" << name << "`";
    const GovernanceColumns c = governance_columns(*governance_mode_from_string(name));
    std::vector<double> code;
    for (int k = 0; k < 7; ++k) code.push_back(column_value(c, k));
    expect_same_numbers(row_numbers(*row), code, std::string("preset of ") + name);
  }
}

TEST(ModelDocs, SectorProfileTableMatchesTheCode) {
  const auto rows = table_after(read_doc(), "### Built-in sector profiles");
  ASSERT_FALSE(rows.empty()) << "no table after \"### Built-in sector profiles\"";
  for (const std::string& name : builtin_sector_names()) {
    const auto* row = row_named(rows, name);
    ASSERT_NE(row, nullptr) << "sector profile table has no row `" << name << "`";
    const Sector s = builtin_sector(name, 1);
    std::vector<double> code(s.incentives.begin(), s.incentives.end());
    code.insert(code.end(), {s.disclosure, s.hierarchy_preference, s.reliability});
    code.insert(code.end(), s.cooperation_mix.begin(), s.cooperation_mix.end());
    code.push_back(s.champion);
    code.insert(code.end(), s.culture.begin(), s.culture.end());
    code.insert(code.end(), {static_cast<double>(s.patience), s.participation_cost});
    expect_same_numbers(row_numbers(*row), code, "profile of " + name);
    ASSERT_GE(row->size(), 11u);
    EXPECT_EQ((*row)[8], s.local ? "true" : "false") << "profile of " << name << ": local";
  }
}

TEST(ModelDocs, TrustPriorTableMatchesTheCode) {
  const auto rows = table_after(read_doc(), "### Built-in trust priors");
  ASSERT_FALSE(rows.empty()) << "no table after \"### Built-in trust priors\"";
  for (const std::string& truster : builtin_sector_names()) {
    const auto* row = row_named(rows, truster);
    ASSERT_NE(row, nullptr) << "trust prior table has no row `" << truster << "`";
    std::vector<double> code;
    for (const std::string& trustee : builtin_sector_names()) code.push_back(*builtin_trust_prior(truster, trustee));
    expect_same_numbers(row_numbers(*row), code, "priors of " + truster);
  }
}

}  // namespace
}  // namespace p3sim
