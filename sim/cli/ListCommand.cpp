// `p3sim list`: the bundled scenarios, sweeps, calibrations and pitfalls, one line each.
//
// Scenarios and sweeps are read from the scenarios/ folder of the source tree the binary was built
// from (or --dir, or $P3SIM_SCENARIOS); only the few fields a listing needs are read, so a broken
// file is listed as such instead of stopping the listing.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/Commands.hpp"
#include "cli/ScenarioFolder.hpp"
#include "cli/Terminal.hpp"
#include "scenario/JsonReader.hpp"
#include "scenario/Pitfalls.hpp"
#include "scenario/Utf8.hpp"

namespace p3sim::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr std::size_t kLineWidth = 132;  // when not on a terminal

/// `text` cut to its first sentence and to `width` characters (on a UTF-8 boundary, with "...").
std::string one_line(std::string text, std::size_t width) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (const std::size_t stop = text.find(". "); stop != std::string::npos) text.resize(stop + 1);
  return utf8::truncate(text, width);
}

/// "  NAME  PREFIX first sentence of TEXT", cut to the line width; with `note` (the long listing)
/// the whole text and then the note follow, wrapped and indented.
void print_entry(const std::string& name, const std::string& prefix, const std::string& text, std::size_t name_width,
                 const std::string* note = nullptr) {
  const std::size_t line_width = terminal_width(kLineWidth);
  if (note != nullptr) {
    std::printf("  %s%s%s\n", name.c_str(), prefix.empty() ? "" : "  ", prefix.c_str());
    print_wrapped(text, 6, line_width);
    if (!note->empty()) {
      std::printf("\n");
      print_wrapped("Note: " + *note, 6, line_width);
    }
    std::printf("\n");
    return;
  }
  const std::size_t used = std::max(name.size(), name_width) + 4 + prefix.size();
  const std::size_t width = line_width > used + 20 ? line_width - used : 20;
  std::printf("  %-*s  %s%s\n", static_cast<int>(name_width), name.c_str(), prefix.c_str(),
              one_line(text, width).c_str());
}


struct Listed {
  std::string name;    ///< scenario name, or sweep file path relative to the folder
  std::string prefix;  ///< e.g. "4 orgs, 36 steps: "
  std::string text;    ///< description, or why the file could not be read
  json pitfalls;     ///< a scenario's own /pitfalls (object), else null
  std::string note = {};  ///< its note (shown by the long listing)
};

void list(const std::string& dir_option, bool long_listing) {
  const fs::path dir = scenario_folder(dir_option);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw std::runtime_error("no scenario folder at '" + dir.string() + "' (pass --dir or set P3SIM_SCENARIOS)");
  }
  std::vector<fs::path> files;
  for (const fs::path& folder : {dir, dir / "sweeps", dir / "calibration"}) {
    if (!fs::is_directory(folder, ec)) continue;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Listed> scenarios, sweeps, calibrations;
  for (const fs::path& file : files) {
    const std::string relative = fs::relative(file, dir).string();
    // Read as every command reads a file (depth limit, strict syntax); a file that is not a
    // scenario or sweep, or has a field of the wrong type, is listed as unreadable by its path,
    // and the others are still listed.
    const JsonReadResult read = read_json_file(file.string());
    if (!read.parsed) {
      const std::string why = read.errors.empty() ? std::string("not JSON") : read.errors.front().format();
      scenarios.push_back({relative, "", "(cannot read: " + why + ")", nullptr});
      continue;
    }
    const json& doc = read.value;
    // JSON that is neither (an array, a number, an object of other keys) is named too: a file
    // silently left out of a listing looks like a file that is not there.
    const std::string not_either = "(neither a scenario nor a sweep: run p3sim validate " + relative + ")";
    if (!doc.is_object()) {
      scenarios.push_back({relative, "", not_either, nullptr});
      continue;
    }
    try {
      const std::string description = doc.value("description", std::string("(no description)"));
      const std::string note = doc.contains("note") && doc["note"].is_string() ? doc["note"].get<std::string>() : "";
      if (doc.contains("organizations")) {
        std::string prefix;
        const json& steps = doc.contains("steps") ? doc["steps"] : json(nullptr);
        if (doc["organizations"].is_array() && steps.is_number_integer() && steps.get<long long>() > 0) {
          prefix = std::to_string(doc["organizations"].size()) + " orgs, " + std::to_string(steps.get<long long>()) +
                   " steps: ";
        }
        scenarios.push_back({doc.value("name", relative), prefix, description, doc.value("pitfalls", json(nullptr)), note});
      } else if (doc.contains("scenario") && doc.contains("targets")) {
        calibrations.push_back({relative, "", description, nullptr, note});
      } else if (doc.contains("scenario")) {
        sweeps.push_back({relative, "", description, nullptr, note});
      } else {
        scenarios.push_back({relative, "", not_either, nullptr});
      }
    } catch (const json::exception&) {
      scenarios.push_back({relative, "", "(not a valid scenario or sweep: run p3sim validate " + relative + ")", nullptr});
    }
  }
  std::size_t width = 0;
  for (const auto* group : {&scenarios, &sweeps, &calibrations}) {
    for (const Listed& l : *group) width = std::max(width, l.name.size());
  }
  for (const Pitfall& p : builtin_pitfalls()) width = std::max(width, p.name.size());
  width = std::min<std::size_t>(width, 36);

  auto entry = [&](const Listed& l) { print_entry(l.name, l.prefix, l.text, width, long_listing ? &l.note : nullptr); };
  std::printf("Scenarios in %s (p3sim run FILE; p3sim show NAME for one in full):\n", dir.string().c_str());
  for (const Listed& l : scenarios) entry(l);
  if (!sweeps.empty()) {
    std::printf("\nSweeps (p3sim sweep FILE -o OUT.h5):\n");
    for (const Listed& l : sweeps) entry(l);
  }
  if (!calibrations.empty()) {
    std::printf("\nCalibrations (p3sim calibrate FILE -o POST.h5):\n");
    for (const Listed& l : calibrations) entry(l);
  }
  std::printf("\nPitfalls (p3sim run SCENARIO --pitfall NAME [--baseline]):\n");
  static const std::string kNoNote;
  for (const Pitfall& p : builtin_pitfalls()) print_entry(p.name, "", p.description, width, long_listing ? &kNoNote : nullptr);
  bool header = false;
  for (const Listed& l : scenarios) {
    if (!l.pitfalls.is_object()) continue;
    for (const auto& [name, pitfall] : l.pitfalls.items()) {
      if (!header) std::printf("\nPitfalls defined by a scenario (only with that scenario):\n");
      header = true;
      const std::string text = pitfall.is_object() ? pitfall.value("description", std::string()) : std::string();
      print_entry(name, "[" + l.name + "] ", text, width, long_listing ? &kNoNote : nullptr);
    }
  }
}

}  // namespace

void add_list_command(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto long_listing = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("list", "Show the bundled scenarios, sweeps and pitfalls, one line each");
  cmd->add_option("--dir", *dir, "Folder of scenarios to list (default: the bundled scenarios/)");
  cmd->add_flag("--long", *long_listing, "Each entry's whole description and its note, wrapped to the terminal");
  cmd->callback([dir, long_listing]() { list(*dir, *long_listing); });
}

}  // namespace p3sim::cli
