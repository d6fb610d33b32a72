// Loading and validating sweep files (see SweepFile.hpp).
#include "sweep/SweepFile.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "io/ResultLayout.hpp"
#include "result/RunResult.hpp"
#include "sweep/SweepSchema.hpp"
#include "scenario/JsonPatch.hpp"
#include "scenario/JsonReader.hpp"
#include "scenario/Pitfalls.hpp"
#include "scenario/ScenarioLoader.hpp"
#include "scenario/SchemaValidator.hpp"

namespace p3sim {
namespace {

using ordered_json = nlohmann::ordered_json;

ValidationError error(std::string id, const std::string& file, std::string pointer, std::string expected,
                      std::string found, std::string hint = "") {
  ValidationError e;
  e.id = std::move(id);
  e.file = file;
  e.pointer = std::move(pointer);
  e.expected = std::move(expected);
  e.found = std::move(found);
  e.hint = std::move(hint);
  return e;
}

// The parts of a sweep that only exist once the schema is satisfied; semantic errors are appended.
void read_fields(const ordered_json& doc, const std::string& file, SweepSpec& spec,
                 std::vector<ValidationError>& errors) {
  spec.replications = doc.value("replications", std::int64_t{1});
  spec.seed = doc.value("seed", std::uint64_t{0});
  if (doc.contains("steps")) spec.steps = doc["steps"].get<int>();
  if (doc.contains("design") && doc["design"].is_object()) {
    const ordered_json& d = doc["design"];
    spec.design.type = *design_type_from_name(d["type"].get<std::string>());
    const bool sampled = spec.design.type != DesignType::Points;
    if (d.contains("samples") && sampled) spec.design.samples = d["samples"].get<std::int64_t>();
    if (sampled && !d.contains("samples")) {
      errors.push_back(error("required", file, "/design/samples",
                             "a value for the required key \"samples\" (how many points to draw)", "no samples"));
    }
    if (!sampled && d.contains("samples")) {
      errors.push_back(error("points_samples", file, "/design/samples",
                             "no \"samples\" (a points design runs the points its parameter lists give)",
                             d["samples"].dump()));
    }
    if (sampled && d.contains("generator")) {
      errors.push_back(error("generator", file, "/design/generator",
                             "\"generator\" only with \"type\": \"points\"", "a " + d["type"].get<std::string>() +
                             " design"));
    }
  }
  const bool points = spec.design.type == DesignType::Points;
  std::optional<std::pair<std::string, std::size_t>> first_list;  // points: the first list and its length
  if (doc.contains("parameters")) {
    for (const auto& [pointer, value] : doc["parameters"].items()) {
      const std::string where = "/parameters/" + pointer_token(pointer);
      ParameterSpec p;
      p.pointer = pointer;
      try {
        (void)split_pointer(pointer);
        if (pointer.empty()) throw std::invalid_argument("empty");
      } catch (const std::invalid_argument&) {
        errors.push_back(error("bad_pointer", file, where, "a JSON Pointer such as \"/governance/mode\"",
                               "\"" + pointer + "\""));
        continue;
      }
      if (value.is_array()) {
        p.kind = ParameterSpec::Kind::Categorical;
        for (const auto& v : value) p.values.push_back(v);
        if (points && !first_list) first_list.emplace(where, value.size());
        if (points && value.size() != first_list->second) {
          errors.push_back(error("points_length", file, where,
                                 std::to_string(first_list->second) + " values, one per point (as " +
                                     first_list->first + ")",
                                 std::to_string(value.size()) + " values"));
        }
      } else if (points) {
        errors.push_back(error("points_need_lists", file, where, "a list of values, one per point",
                               "a range (ranges are for grid and sampled designs)"));
        continue;
      } else {
        p.min = value["min"].get<double>();
        p.max = value["max"].get<double>();
        if (p.min > p.max) {
          errors.push_back(error("range", file, where + "/max", "a number >= min (" + format_number(p.min) + ")",
                                 format_number(p.max)));
        }
        if (value.contains("steps")) {
          p.kind = ParameterSpec::Kind::Stepped;
          p.steps = value["steps"].get<int>();
        } else {
          p.kind = ParameterSpec::Kind::Continuous;
          if (spec.design.type == DesignType::Grid) {
            errors.push_back(error("continuous_on_grid", file, where,
                                   "\"steps\" (a grid needs a finite number of levels)", "a continuous range",
                                   "add \"steps\", or use a sampled design such as {\"type\": \"lhs\", \"samples\": 64}"));
          }
        }
      }
      spec.parameters.push_back(std::move(p));
    }
  }
  if (points && doc.value("parameters", ordered_json::object()).empty()) {
    errors.push_back(error("points_need_lists", file, "/parameters",
                           "at least one parameter with a list of values, one per point", "no parameters"));
  }
  if (doc.contains("pitfalls")) {
    spec.pitfall_sets.clear();
    for (const auto& set : doc["pitfalls"]) spec.pitfall_sets.push_back(set.get<std::vector<std::string>>());
  }
  if (doc.contains("record")) {
    const ordered_json& r = doc["record"];
    if (r.contains("series")) spec.record.series = r["series"].get<std::vector<std::string>>();
    spec.record.every = r.value("every", 1);
    spec.record.events = r.value("events", true);
  }
}


// Every parameter and pitfall becomes a dataset under /params, where "/" turns into ".": two that
// map to one name ("/a/b" and "/a.b", pitfalls "x/y" and "x.y") cannot share a file. Refused here,
// with the entry at fault, rather than when the file is created.
void check_dataset_names(const SweepSpec& spec, const std::string& file, std::vector<ValidationError>& errors) {
  std::map<std::string, std::string> taken;  // dataset name -> what took it
  const auto claim = [&](const std::string& param, const std::string& pointer, const std::string& what) {
    std::string name;
    try {
      name = param_dataset_name(param);
    } catch (const std::invalid_argument&) {
      errors.push_back(error("dataset_name", file, pointer, "a name that can name a /params dataset", what));
      return;
    }
    const auto [it, added] = taken.emplace(name, what);
    if (!added) {
      errors.push_back(error("dataset_name", file, pointer,
                             "parameters and pitfalls with distinct /params dataset names (\"/\" becomes \".\")",
                             what + ", which maps to /params/" + name + " as " + it->second + " does"));
    }
  };
  for (const ParameterSpec& p : spec.parameters) {
    claim(p.pointer, "/parameters/" + pointer_token(p.pointer), "parameter \"" + p.pointer + "\"");
  }
  std::vector<std::string> seen;
  for (std::size_t s = 0; s < spec.pitfall_sets.size(); ++s) {
    for (std::size_t k = 0; k < spec.pitfall_sets[s].size(); ++k) {
      const std::string& name = spec.pitfall_sets[s][k];
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
      seen.push_back(name);
      claim("pitfall." + name, "/pitfalls/" + std::to_string(s) + "/" + std::to_string(k), "pitfall \"" + name + "\"");
    }
  }
}

void check_counts(const SweepSpec& spec, const std::string& file, std::vector<ValidationError>& errors) {
  std::int64_t points = 0;
  try {
    points = design_point_count(spec.parameters, spec.design);
  } catch (const std::overflow_error&) {
    errors.push_back(error("too_many_runs", file, "/parameters", "at most " + std::to_string(kMaxSweepPoints) +
                           " design points", "more than 2^63"));
    return;
  } catch (const std::invalid_argument& e) {
    errors.push_back(error("design", file, "/design", "a design its parameters can take", e.what()));
    return;
  }
  const auto sets = static_cast<std::int64_t>(spec.pitfall_sets.size());
  if (points > kMaxSweepPoints / sets) {
    errors.push_back(error("too_many_runs", file, "/parameters",
                           "at most " + std::to_string(kMaxSweepPoints) + " design points (parameters x pitfall sets)",
                           std::to_string(points) + " x " + std::to_string(sets)));
    return;
  }
  const std::int64_t all_points = points * sets;
  if (all_points > kMaxSweepRuns / spec.replications) {
    errors.push_back(error("too_many_runs", file, "/replications",
                           "at most " + std::to_string(kMaxSweepRuns) + " runs (design points x replications)",
                           std::to_string(all_points) + " x " + std::to_string(spec.replications)));
  }
}

}  // namespace

std::string SweepSpec::json_text() const {
  ordered_json resolved = document;
  if (!resolved.contains("replications")) resolved["replications"] = replications;
  if (!resolved.contains("seed")) resolved["seed"] = seed;
  if (!resolved.contains("design")) resolved["design"] = "grid";
  if (!resolved.contains("parameters")) resolved["parameters"] = ordered_json::object();
  if (!resolved.contains("pitfalls")) resolved["pitfalls"] = pitfall_sets;
  resolved["record"] = {{"series", record.series}, {"every", record.every}, {"events", record.events}};
  return resolved.dump();
}

std::string set_text(const std::string& pointer, const ordered_json& value) { return pointer + "=" + value.dump(); }

void read_base_scenario(const ordered_json& value, const std::string& file, const std::string& base_dir,
                        ordered_json& scenario, std::string& origin, std::vector<ValidationError>& errors) {
  if (value.is_object()) {
    scenario = value;
    origin = file + "#/scenario";
    return;
  }
  std::filesystem::path path(value.get<std::string>());
  if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
  origin = path.lexically_normal().string();
  JsonReadResult read = read_json_file(origin);
  if (!read.parsed) {
    errors.insert(errors.end(), read.errors.begin(), read.errors.end());
    return;
  }
  scenario = std::move(read.value);
}

std::vector<ValidationError> collapse_repeated_errors(std::vector<ValidationError> errors, const std::string& what) {
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<std::size_t, std::size_t>> first;  // -> (index, repeats)
  std::vector<ValidationError> out;
  for (ValidationError& e : errors) {
    auto [it, added] = first.try_emplace({e.id, e.pointer, e.expected}, out.size(), 0);
    if (added) {
      out.push_back(std::move(e));
    } else {
      ++it->second.second;
    }
  }
  for (const auto& [key, place] : first) {
    const auto [index, repeats] = place;
    if (repeats == 0) continue;
    std::string& hint = out[index].hint;
    hint += (hint.empty() ? "" : "; ") + std::string("the same in ") + std::to_string(repeats) + " more " + what;
  }
  return out;
}

void label_sweep_errors(std::vector<ValidationError>& errors, const std::string& sweep_file,
                        const std::string& context, SweepPitfallSet pitfalls) {
  const auto starts = [](const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
  };
  const auto place = [&](const std::string& detail) {
    std::string inside = context;
    if (!detail.empty()) inside += (inside.empty() ? "" : ", ") + detail;
    return inside.empty() ? sweep_file : sweep_file + " (" + inside + ")";
  };
  // Where pitfall `name` is listed in the sweep file.
  const auto pitfall_pointer = [&](const std::string& name) -> std::string {
    if (pitfalls.names == nullptr) return "/pitfalls";
    const auto& names = *pitfalls.names;
    const auto at = std::find(names.begin(), names.end(), name);
    const std::string set = "/pitfalls/" + std::to_string(pitfalls.index);
    return at == names.end() ? set : set + "/" + std::to_string(at - names.begin());
  };
  const std::string set = "--set ", pitfall = "--pitfall ", after = "after --pitfall ";
  for (ValidationError& e : errors) {
    if (starts(e.file, set)) {
      e.file = place(e.file.substr(set.size()));
    } else if (e.file == "--set") {
      e.file = place("");
      if (!e.pointer.empty()) e.pointer = "/parameters/" + pointer_token(e.pointer);
    } else if (e.file == "--pitfall") {
      // found is the quoted name (find_pitfall)
      const std::string name = e.found.size() >= 2 ? e.found.substr(1, e.found.size() - 2) : e.found;
      e.file = place("");
      e.pointer = pitfall_pointer(name);
    } else if (starts(e.file, pitfall) || starts(e.file, after)) {
      const std::string name = e.file.substr(starts(e.file, after) ? after.size() : pitfall.size());
      e.file = place("pitfall " + name + " at " + pitfall_pointer(name));
    }
  }
}

void SweepErrors::add(std::vector<ValidationError> found, const std::string& context, SweepPitfallSet pitfalls) {
  label_sweep_errors(found, sweep_file_, context, pitfalls);
  errors_.insert(errors_.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  ++failed_;
}

std::vector<ValidationError> SweepErrors::report(std::size_t unchecked) const {
  std::vector<ValidationError> out = collapse_repeated_errors(errors_, what_);
  if (unchecked > 0) {
    out.push_back(error("unchecked", sweep_file_, "/parameters", "a sweep whose scenarios load",
                        "errors in " + std::to_string(failed_) + " " + what_ + "; the remaining " +
                            std::to_string(unchecked) + " were skipped",
                        "fix these and run again to check the rest"));
  }
  return out;
}

bool is_sweep_document(const ordered_json& doc) {
  if (!doc.is_object()) return false;
  for (const char* key : {"scenario", "parameters", "design", "replications", "record", "seed"}) {
    if (doc.contains(key)) return true;
  }
  return false;
}

SweepSpec load_sweep(const ordered_json& doc, const std::string& file, const std::string& base_dir) {
  std::vector<ValidationError> errors;
  validate_against_schema(doc, sweep_schema(), file, errors);
  if (!errors.empty()) throw InputError(std::move(errors));
  SweepSpec spec;
  spec.file = file;
  spec.document = doc;
  spec.record.series.assign(std::begin(kSeriesMetrics), std::end(kSeriesMetrics));
  read_fields(doc, file, spec, errors);
  if (errors.empty()) check_dataset_names(spec, file, errors);
  if (errors.empty()) check_counts(spec, file, errors);
  read_base_scenario(doc["scenario"], file.empty() ? "<sweep>" : file, base_dir, spec.scenario, spec.scenario_origin,
                     errors);
  if (!errors.empty()) throw InputError(std::move(errors));
  return spec;
}

SweepSpec load_sweep_file(const std::string& path) {
  JsonReadResult read = read_json_file(path);
  if (!read.parsed || !read.errors.empty()) throw InputError(std::move(read.errors));
  return load_sweep(read.value, path, std::filesystem::path(path).parent_path().string());
}

std::vector<ValidationError> validate_sweep_file(const std::string& path) {
  SweepSpec spec;
  try {
    spec = load_sweep_file(path);
  } catch (const InputError& e) {
    return e.errors();
  }
  ScenarioEdits base;
  if (spec.steps) base.sets.push_back(set_text("/steps", *spec.steps));
  // The base first, so that a broken base is reported once instead of under every level.
  try {
    (void)load_scenario(spec.scenario, spec.scenario_origin, base);
  } catch (const InputError& e) {
    return e.errors();
  }
  // Then one load per check, each the base with the edits of one level, point or pitfall set.
  struct Check {
    ScenarioEdits edits;
    std::string origin, context;
    SweepPitfallSet pitfalls{};
  };
  std::vector<Check> checks;
  if (spec.design.type == DesignType::Points) {
    // Explicit points are checked as they will run, whole: their values need not make sense one
    // parameter at a time.
    const std::size_t count = spec.parameters.front().values.size();
    for (std::size_t k = 0; k < count; ++k) {
      Check c{base, "", "design point " + std::to_string(k)};
      for (const ParameterSpec& p : spec.parameters) c.edits.sets.push_back(set_text(p.pointer, p.values[k]));
      c.origin = path + " (" + c.context + ")";
      checks.push_back(std::move(c));
    }
  } else {
    for (const ParameterSpec& p : spec.parameters) {
      const std::vector<ordered_json> levels = p.kind == ParameterSpec::Kind::Continuous
                                                   ? std::vector<ordered_json>{p.min, p.max}
                                                   : parameter_levels(p);
      for (const ordered_json& v : levels) {
        Check c{base, path + " (parameter " + p.pointer + " = " + v.dump() + ")", ""};
        c.edits.sets.push_back(set_text(p.pointer, v));
        checks.push_back(std::move(c));
      }
    }
  }
  for (std::size_t i = 0; i < spec.pitfall_sets.size(); ++i) {
    Check c{base, path + " (/pitfalls/" + std::to_string(i) + ")", "", {i, &spec.pitfall_sets[i]}};
    c.edits.pitfalls = spec.pitfall_sets[i];
    checks.push_back(std::move(c));
  }
  SweepErrors errors(path, "checks");
  std::size_t done = 0;
  for (; done < checks.size() && !errors.full(); ++done) {
    try {
      (void)load_scenario(spec.scenario, checks[done].origin, checks[done].edits);
    } catch (const InputError& e) {
      errors.add(e.errors(), checks[done].context, checks[done].pitfalls);
    }
  }
  return errors.report(checks.size() - done);
}

}  // namespace p3sim
