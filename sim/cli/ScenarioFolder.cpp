#include "cli/ScenarioFolder.hpp"

#include <cstdlib>
#include <system_error>

namespace p3sim::cli {

namespace fs = std::filesystem;

fs::path scenario_folder(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("P3SIM_SCENARIOS"); env != nullptr && *env != '\0') return env;
  return fs::path(P3SIM_SOURCE_DIR) / "scenarios";
}

fs::path find_scenario(const std::string& name_or_path, const std::string& folder_option) {
  std::error_code ec;
  if (fs::is_regular_file(name_or_path, ec)) return name_or_path;
  if (name_or_path.find('/') != std::string::npos) return {};
  const fs::path folder = scenario_folder(folder_option);
  for (const fs::path& candidate : {folder / name_or_path, folder / (name_or_path + ".json")}) {
    if (candidate.extension() == ".json" && fs::is_regular_file(candidate, ec)) return candidate;
  }
  return {};
}

}  // namespace p3sim::cli
