// `p3sim schema scenario`: prints the JSON Schema (draft 2020-12) of a file format, so that
// editors and other tools can validate scenario files without p3sim.
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/Commands.hpp"
#include "sweep/CalibrationSchema.hpp"
#include "sweep/SweepSchema.hpp"
#include "scenario/ScenarioSchema.hpp"
#include "scenario/Suggest.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim::cli {
namespace {

// One entry per file format.
const std::map<std::string, std::function<const nlohmann::json&()>>& formats() {
  static const std::map<std::string, std::function<const nlohmann::json&()>> table = {
      {"scenario", [] () -> const nlohmann::json& { return scenario_schema(); }},
      {"sweep", [] () -> const nlohmann::json& { return sweep_schema(); }},
      {"calibration", [] () -> const nlohmann::json& { return calibration_schema(); }},
  };
  return table;
}

}  // namespace

void add_schema_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("schema", "Print the JSON Schema (draft 2020-12) of a file format");
  auto format = std::make_shared<std::string>();
  cmd->add_option("format", *format, "File format: scenario or sweep")->required();
  cmd->callback([format]() {
    const auto it = formats().find(*format);
    if (it == formats().end()) {
      std::vector<std::string> names;
      std::string list;
      for (const auto& [name, _] : formats()) {
        names.push_back(name);
        list += (list.empty() ? "" : ", ") + ("\"" + name + "\"");
      }
      ValidationError e;
      e.id = "enum";
      e.file = "p3sim schema";
      e.expected = "one of " + list;
      e.found = "\"" + *format + "\"";
      e.hint = did_you_mean(*format, names);
      throw InputError({std::move(e)});
    }
    std::cout << it->second().dump(2) << '\n';
  });
}

}  // namespace p3sim::cli
