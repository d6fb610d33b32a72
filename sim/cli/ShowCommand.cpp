// `p3sim show SCENARIO`: one scenario in full, for reading before a run: what it represents, who
// is in it, how it is governed, its own pitfalls, its note and its sources, wrapped to the terminal.
// The scenario is validated as `p3sim run` would (errors with their JSON Pointers, exit 2).
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/CommandLine.hpp"
#include "cli/Commands.hpp"
#include "cli/ScenarioFolder.hpp"
#include "cli/Terminal.hpp"
#include "scenario/ScenarioLoader.hpp"

namespace p3sim::cli {
namespace {

using json = nlohmann::ordered_json;

std::string text_of(const json& doc, const char* key) {
  return doc.contains(key) && doc[key].is_string() ? doc[key].get<std::string>() : std::string();
}

void show(const std::string& name, const std::string& dir) {
  const std::filesystem::path path = find_scenario(name, dir);
  if (path.empty()) {
    throw input_error("not_found", "SCENARIO", "a scenario file or the name of a bundled scenario (p3sim list)",
                      "\"" + name + "\"");
  }
  const Scenario sc = load_scenario_file(path.string());
  const json& doc = sc.resolved;
  const std::size_t width = terminal_width(100);

  print_hanging(sc.name + "  (" + path.string() + ")", 0, 4, width);
  print_wrapped(text_of(doc, "description").empty() ? "(no description)" : text_of(doc, "description"), 2, width);

  const auto& g = sc.governance;
  std::string governance = std::string(to_string(g.mode)) + ", led by " + sc.organizations[static_cast<std::size_t>(g.lead)].name;
  if (g.backbone >= 0) governance += ", backbone " + sc.organizations[static_cast<std::size_t>(g.backbone)].name;
  std::printf("\n");
  print_hanging(std::to_string(sc.organization_count()) + " organizations, " + std::to_string(sc.steps) +
                    " steps, governance: " + governance, 2, 6, width);
  if (sc.population.enabled) {
    print_hanging("population: " + std::to_string(sc.population.units) + " " + sc.population.unit_label, 2, 6, width);
  }
  for (const Organization& o : sc.organizations) {
    const std::string sector = sc.sectors[static_cast<std::size_t>(o.sector)].name + (o.local ? ", local" : "");
    print_hanging(o.name + std::string(o.name.size() < 36 ? 36 - o.name.size() : 1, ' ') + " " + sector, 4, 8, width);
  }

  if (doc.contains("pitfalls") && doc["pitfalls"].is_object() && !doc["pitfalls"].empty()) {
    std::printf("\n");
    print_hanging("Pitfalls of this scenario (also every built-in one: p3sim list):", 2, 6, width);
    for (const auto& [pitfall, def] : doc["pitfalls"].items()) {
      print_hanging(pitfall, 4, 8, width);
      print_wrapped(def.is_object() ? text_of(def, "description") : std::string(), 6, width);
    }
  }
  if (const std::string note = text_of(doc, "note"); !note.empty()) {
    std::printf("\n  Note\n");
    print_wrapped(note, 4, width);
  }
  if (doc.contains("sources") && doc["sources"].is_array() && !doc["sources"].empty()) {
    std::printf("\n  Sources\n");
    for (const json& source : doc["sources"])
      if (source.is_string()) print_wrapped("- " + source.get<std::string>(), 4, width);
  }
}

}  // namespace

void add_show_command(CLI::App& app) {
  auto name = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("show", "Print one scenario in full: description, organizations, governance, "
                                             "pitfalls, note and sources");
  cmd->add_option("SCENARIO", *name, "A scenario file, or the name of a bundled scenario (p3sim list)")->required();
  cmd->add_option("--dir", *dir, "Folder of scenarios to look names up in (default: the bundled scenarios/)");
  cmd->callback([name, dir]() { show(*name, *dir); });
}

}  // namespace p3sim::cli
