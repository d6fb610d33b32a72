// `p3sim validate FILE...`: checks scenario files without running them.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/Commands.hpp"
#include "cli/PlanningProgress.hpp"
#include "sweep/CalibrationFile.hpp"
#include "sweep/SweepFile.hpp"
#include "sweep/SweepPlan.hpp"
#include "scenario/JsonReader.hpp"
#include "scenario/ScenarioLoader.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim::cli {
namespace {

// What `p3sim sweep` checks before it runs, with progress on stderr when the design points take a
// while (each is loaded and checked whole).
std::vector<ValidationError> check_sweep(const std::string& file) {
  PlanningProgress progress(true);
  std::vector<ValidationError> errors = validate_sweep(file, progress.observer());
  progress.finish();
  return errors;
}

}  // namespace

void add_validate_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check scenario, sweep and calibration files: print FILE: ok for each valid one, every error of the others (exit 2)");
  auto files = std::make_shared<std::vector<std::string>>();
  // No CLI::ExistingFile check: a missing file is bad input like any other and is reported with
  // the others (id "io", exit 2), instead of stopping at the first.
  cmd->add_option("files", *files, "Scenario or sweep files (JSON)")->required();
  cmd->callback([files]() {
    std::vector<ValidationError> all;
    for (const std::string& file : *files) {
      // A sweep is recognized by its own top-level keys; it is checked together with its scenario.
      const JsonReadResult read = read_json_file(file);
      std::vector<ValidationError> errors =
          read.parsed && is_calibration_document(read.value) ? validate_calibration_file(file)
          : read.parsed && is_sweep_document(read.value)     ? check_sweep(file)
                                                             : validate_scenario_file(file);
      if (errors.empty()) {
        std::cout << file << ": ok\n";
      } else {
        all.insert(all.end(), errors.begin(), errors.end());
      }
    }
    std::cout.flush();
    // main() prints every error (InputError::what(), one per line) on stderr and exits with 2.
    if (!all.empty()) throw InputError(std::move(all));
  });
}

}  // namespace p3sim::cli
