// `p3sim run`: one run of one scenario, its story, its final metrics, and optionally an HDF5 file.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/CommandLine.hpp"
#include "cli/Commands.hpp"
#include "io/Provenance.hpp"
#include "io/ResultWriter.hpp"
#include "io/ScenarioLayout.hpp"
#include "run/Narrative.hpp"
#include "run/Simulation.hpp"
#include "scenario/ScenarioLoader.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim::cli {
namespace {

struct RunOptions {
  std::string scenario;
  std::string output;
  std::optional<std::uint64_t> seed;
  std::optional<int> steps;
  std::vector<std::string> sets;
  std::vector<std::string> pitfalls;
  bool quiet = false;
  bool json = false;
  bool overwrite = false;
};

void print_metrics(const RunResult& r) {
  std::printf("\nfinal metrics\n");
  for (int m = 0; m < kFinalCount; ++m) std::printf("  %-20s %14.4f\n", kFinalMetrics[m], r.final_metrics[static_cast<std::size_t>(m)]);
}

nlohmann::json to_json(const Scenario& sc, const RunResult& r, const std::string& output) {
  nlohmann::json j;
  j["scenario"] = sc.name;
  j["seed"] = r.seed;
  j["steps"] = r.steps;
  j["output"] = output.empty() ? nlohmann::json(nullptr) : nlohmann::json(output);
  for (int m = 0; m < kFinalCount; ++m) j["final"][kFinalMetrics[m]] = r.final_metrics[static_cast<std::size_t>(m)];
  j["events"] = nlohmann::json::array();
  for (const Event& e : r.events)
    j["events"].push_back({{"step", e.step},
                           {"org", e.org >= 0 ? nlohmann::json(sc.organizations[static_cast<std::size_t>(e.org)].name)
                                              : nlohmann::json(nullptr)},
                           {"kind", kEventKindNames[static_cast<int>(e.kind)]},
                           {"cause", kCauseNames[static_cast<int>(e.cause)]},
                           {"value", e.value}});
  j["verdict"] = verdict(sc, r);
  return j;
}

void run(const RunOptions& opt, const std::string& command_line) {
  ScenarioEdits edits;
  edits.sets = opt.sets;
  if (opt.steps) edits.sets.push_back("/steps=" + std::to_string(*opt.steps));
  edits.pitfalls = opt.pitfalls;
  const Scenario scenario = load_scenario_file(opt.scenario, edits);
  if (!opt.output.empty()) check_output_path(opt.output, opt.overwrite);

  const bool drawn = !opt.seed.has_value();
  const std::uint64_t seed = opt.seed.value_or((static_cast<std::uint64_t>(std::random_device{}()) << 32) ^
                                               std::random_device{}());
  if (drawn && !opt.json) std::fprintf(stderr, "seed %llu (drawn; pass --seed %llu to repeat this run)\n",
                                       static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));

  RunResult result = run_once(scenario, seed);

  if (!opt.output.empty()) {
    const Provenance provenance = Provenance::current(command_line, scenario.resolved.dump(), "", seed);
    ResultWriter writer(opt.output, scenario_layout(scenario, 1), provenance, opt.overwrite);
    writer.write_run(0, 0, 0, result, {});
    writer.close();
  }

  if (opt.json) {
    std::cout << to_json(scenario, result, opt.output).dump(2) << "\n";
    return;
  }
  if (!opt.quiet) {
    std::printf("%s: %d months, seed %llu\n\n", scenario.name.c_str(), result.steps,
                static_cast<unsigned long long>(seed));
    for (const std::string& line : narrate(scenario, result)) std::printf("  %s\n", line.c_str());
    print_metrics(result);
    std::printf("\n%s\n", verdict(scenario, result).c_str());
  }
  if (!opt.output.empty() && !opt.quiet) std::printf("wrote %s\n", opt.output.c_str());
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto opt = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run one scenario once: story, final metrics, optional HDF5 output");
  cmd->add_option("scenario", opt->scenario, "Scenario file (JSON)")->required();
  cmd->add_option("-o,--output", opt->output, "Write the run to this HDF5 file");
  cmd->add_option("--seed", opt->seed, "Run seed (default: drawn, printed and stored)");
  cmd->add_option("--steps", opt->steps, "Number of steps (overrides the scenario)")->check(CLI::Range(0, 100000));
  cmd->add_option("--set", opt->sets, "Override a value: /json/pointer=VALUE (repeatable)");
  cmd->add_option("--pitfall", opt->pitfalls, "Switch on a pitfall by name (repeatable)");
  cmd->add_flag("--quiet", opt->quiet, "Print nothing but errors");
  cmd->add_flag("--json", opt->json, "Print the result as JSON");
  cmd->add_flag("--overwrite", opt->overwrite, "Replace an existing output file");
  cmd->callback([opt]() { run(*opt, command_line()); });
}

}  // namespace p3sim::cli
