#pragma once
// Where the bundled scenarios are, and a scenario named by path or by its bundled name.
#include <filesystem>
#include <string>

namespace p3sim::cli {

/// `option` if given, else $P3SIM_SCENARIOS, else the scenarios/ folder of the source tree the
/// binary was built from.
std::filesystem::path scenario_folder(const std::string& option);

/// `name_or_path` when it is a file; else the bundled scenario of that name (NAME.json in the
/// scenario folder, with or without the .json). Returns an empty path when neither exists.
std::filesystem::path find_scenario(const std::string& name_or_path, const std::string& folder_option);

}  // namespace p3sim::cli
