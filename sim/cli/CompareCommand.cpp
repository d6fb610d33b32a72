// `p3sim compare`: variants of one scenario under common random numbers -- per-variant means and
// paired differences against the first variant, each with a 95% confidence interval.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/CommandLine.hpp"
#include "cli/StopSignals.hpp"
#include "cli/Commands.hpp"
#include "io/Provenance.hpp"
#include "io/OutputLock.hpp"
#include "scenario/JsonPatch.hpp"
#include "io/ResultWriter.hpp"
#include "io/ScenarioLayout.hpp"
#include "stats/EstimateFormat.hpp"
#include "stats/PairedComparison.hpp"
#include "stats/Summary.hpp"
#include "scenario/ScenarioLoader.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim::cli {
namespace {

/// Upper bound on replications under --until-ci, so that a width that cannot be reached (or a
/// metric with no variance left to shrink) still ends.
constexpr int kMaxReplications = 10000;
/// Upper bound on --replications.
constexpr int kMaxCompareReplications = 100000;

struct CompareOptions {
  std::string scenario;
  std::string vary;
  int replications = 20;
  std::optional<std::uint64_t> seed;
  std::optional<double> until_ci;
  std::vector<std::string> metrics;
  std::vector<std::string> sets;
  std::vector<std::string> pitfalls;
  std::string output;
  bool overwrite = false;
  bool json = false;
  int threads = 0;
};

[[noreturn]] void bad(const std::string& what, const std::string& expected, const std::string& found) {
  throw input_error("bad_option", what, expected, found);
}

/// Splits "/pointer=A,B,C" into the pointer and its values.
std::pair<std::string, std::vector<std::string>> parse_vary(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || text.front() != '/') {
    bad("--vary", "/json/pointer=A,B[,C...]", "\"" + text + "\"");
  }
  std::vector<std::string> values;
  std::string rest = text.substr(eq + 1);
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = rest.find(',', start);
    values.push_back(rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (values.size() < 2) bad("--vary", "at least two comma-separated values after '='", "\"" + text + "\"");
  for (const std::string& v : values) {
    if (v.empty()) bad("--vary", "non-empty values", "\"" + text + "\"");
  }
  return {text.substr(0, eq), values};
}

int metric_index(const std::string& name) {
  for (int m = 0; m < kFinalCount; ++m) {
    if (name == kFinalMetrics[m]) return m;
  }
  std::string all;
  for (const char* m : kFinalMetrics) all += (all.empty() ? "" : ", ") + std::string(m);
  bad("--metric", "a final metric (" + all + ")", "\"" + name + "\"");
}

std::vector<int> default_metrics() {
  std::vector<int> out;
  for (const char* name : {"goal_reached", "outcome", "adopters", "retention", "mean_trust", "acceptability",
                           "cost_per_outcome"}) {
    out.push_back(metric_index(name));
  }
  for (int m = kFExitsHierarchy; m <= kFExitsShock; ++m) out.push_back(m);
  return out;
}

ResultLayout layout_for(const Scenario& sc, std::int64_t runs, const std::string& pointer) {
  ResultLayout layout = scenario_layout(sc, runs);
  layout.params = {pointer};
  return layout;
}

void print_table(const ComparisonSpec& spec, const ComparisonResult& res, const std::vector<std::string>& values) {
  for (std::size_t m = 0; m < spec.metrics.size(); ++m) {
    std::printf("\n%s%s\n", kFinalMetrics[spec.metrics[m]], m == spec.primary ? "  (primary)" : "");
    for (std::size_t v = 0; v < values.size(); ++v) {
      const VariantMetric& vm = res.stats[v][m];
      std::printf("  %-16s %s\n", values[v].c_str(), describe(vm.level).c_str());
      if (v > 0) {
        std::printf("  %-16s   vs %s: %s; Holm p %s\n", "", values.front().c_str(), describe(vm.difference).c_str(),
                    format_estimate(vm.holm_p).c_str());
      }
    }
  }
}

void compare(const CompareOptions& opt) {
  const auto [pointer, values] = parse_vary(opt.vary);
  if (opt.replications < 2) bad("--replications", "at least 2", std::to_string(opt.replications));
  // Every value of every run is kept for the paired statistics: beyond this a sweep, which
  // writes as it goes, is the tool (100,000,000 died of std::bad_alloc).
  if (opt.replications > kMaxCompareReplications) {
    bad("--replications", "at most " + std::to_string(kMaxCompareReplications) + " (for more, use p3sim sweep)",
        std::to_string(opt.replications));
  }
  if (opt.until_ci && !(*opt.until_ci > 0)) bad("--until-ci", "a width > 0", std::to_string(*opt.until_ci));
  if (opt.until_ci && opt.replications > kMaxReplications) {
    bad("--replications", "at most " + std::to_string(kMaxReplications) + " with --until-ci",
        std::to_string(opt.replications));
  }

  ComparisonSpec spec;
  if (opt.metrics.empty()) {
    spec.metrics = default_metrics();
    spec.primary = 1;  // outcome
  } else {
    for (const std::string& m : opt.metrics) spec.metrics.push_back(metric_index(m));
    spec.primary = 0;
  }

  // A --set of the varied value (or of what holds it, or lies in it) would be replaced by --vary,
  // or replace it, without a word: --set /trust/gain=NaN with --vary /trust/gain=... ran silently.
  for (const std::string& text : opt.sets) {
    const std::string path = parse_set_override(text).path;
    const auto within = [](const std::string& a, const std::string& b) {
      return a == b || (a.size() > b.size() && a.compare(0, b.size(), b) == 0 && a[b.size()] == '/');
    };
    if (within(path, pointer) || within(pointer, path)) {
      bad("--set", "a value that --vary " + pointer + " does not also set", "\"" + text + "\"");
    }
  }

  // Each variant is loaded (and so validated) once, with the user's edits then the varied value.
  std::vector<Scenario> scenarios;
  scenarios.reserve(values.size());
  for (const std::string& value : values) {
    ScenarioEdits edits;
    edits.sets = opt.sets;
    edits.sets.push_back(pointer + "=" + value);
    edits.pitfalls = opt.pitfalls;
    scenarios.push_back(load_scenario_file(opt.scenario, edits));
  }
  for (const Scenario& sc : scenarios) spec.variants.push_back(&sc);

  if (!opt.output.empty()) {
    check_output_path(opt.output, opt.overwrite);
    // One file has one shape: variants that change the step count or the organizations cannot share it.
    const ResultLayout base = layout_for(scenarios.front(), 1, pointer);
    for (std::size_t v = 1; v < scenarios.size(); ++v) {
      const std::string diff = layout_for(scenarios[v], 1, pointer).difference(base);
      if (!diff.empty()) {
        bad("--vary", "variants of the same shape for -o (steps, sectors, organizations, dimensions)",
            "variant \"" + values[v] + "\": " + diff);
      }
    }
  }

  const bool drawn = !opt.seed.has_value();
  spec.master_seed = opt.seed.value_or((static_cast<std::uint64_t>(std::random_device{}()) << 32) ^
                                       std::random_device{}());
  if (drawn && !opt.json) {
    std::fprintf(stderr, "seed %llu (drawn; pass --seed %llu to repeat this comparison)\n",
                 static_cast<unsigned long long>(spec.master_seed), static_cast<unsigned long long>(spec.master_seed));
  }
  spec.replications = opt.replications;
  spec.until_ci = opt.until_ci.value_or(0);
  spec.max_replications = kMaxReplications;
  spec.threads = opt.threads > 0 ? opt.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  // With --until-ci the run count is known only at the end, so runs are kept until then.
  struct Kept {
    int variant, replicate;
    RunResult result;
  };
  std::vector<Kept> kept;
  RunSink sink;
  if (!opt.output.empty()) {
    sink = [&kept](int v, int r, const RunResult& run) { kept.push_back({v, r, run}); };
  }
  const ComparisonResult res = run_comparison(spec, sink);

  if (!opt.output.empty()) {
    const std::int64_t variants = static_cast<std::int64_t>(values.size());
    const Provenance provenance =
        Provenance::current(command_line(), scenarios.front().resolved.dump(),
                            compare_variants_json(pointer, values, res.replications, spec.master_seed),
                            spec.master_seed);
    const OutputLock lock(opt.output);
    const RemoveOnSignal cleanup(opt.output + ".partial");  // a signal while writing leaves no half file
    ResultWriter writer(opt.output, layout_for(scenarios.front(), variants * res.replications, pointer), provenance,
                        opt.overwrite);
    // Replicate-major (as in a sweep): run = replicate * variants + variant, point = variant.
    for (const Kept& k : kept) {
      writer.write_run(static_cast<std::int64_t>(k.replicate) * variants + k.variant, k.variant, k.replicate,
                       k.result, {static_cast<double>(k.variant)});
    }
    writer.close();
  }

  const std::string primary = kFinalMetrics[spec.metrics[spec.primary]];
  if (opt.json) {
    nlohmann::json j;
    j["scenario"] = scenarios.front().name;
    j["parameter"] = pointer;
    j["values"] = values;
    j["seed"] = spec.master_seed;
    j["replications"] = res.replications;
    j["primary_metric"] = primary;
    j["until_ci"] = opt.until_ci ? nlohmann::json(*opt.until_ci) : nlohmann::json(nullptr);
    j["max_replications"] = kMaxReplications;
    j["target_reached"] = res.target_reached;
    j["output"] = opt.output.empty() ? nlohmann::json(nullptr) : nlohmann::json(opt.output);
    j["metrics"] = nlohmann::json::object();
    for (std::size_t m = 0; m < spec.metrics.size(); ++m) {
      nlohmann::json rows = nlohmann::json::array();
      for (std::size_t v = 0; v < values.size(); ++v) {
        const VariantMetric& vm = res.stats[v][m];
        nlohmann::json row = to_json(vm.level);
        row["value"] = values[v];
        nlohmann::json difference = nullptr;
        if (v > 0) {
          difference = to_json(vm.difference);
          difference["half_width"] = std::isfinite(vm.difference.ci.half_width())
                                         ? nlohmann::json(vm.difference.ci.half_width())
                                         : nlohmann::json(nullptr);
          difference["holm_p"] = std::isfinite(vm.holm_p) ? nlohmann::json(vm.holm_p) : nlohmann::json(nullptr);
        }
        row["difference"] = difference;
        rows.push_back(row);
      }
      j["metrics"][kFinalMetrics[spec.metrics[m]]] = rows;
    }
    std::cout << j.dump(2) << "\n";
    return;
  }

  std::printf("%s: %s = %zu variants, baseline %s; %d replications per variant, master seed %llu\n",
              scenarios.front().name.c_str(), pointer.c_str(), values.size(), values.front().c_str(),
              res.replications, static_cast<unsigned long long>(spec.master_seed));
  std::printf("common random numbers: replicate r of every variant uses the same seed, so differences are\n"
              "paired by replicate. 95%% intervals by the metric's kind: Wilson and Newcombe for shares,\n"
              "restricted mean time within the %g steps for times that may never come (never counts %g),\n"
              "t intervals cut to the metric's range otherwise; Holm p adjusts the table's p-values for\n"
              "multiple comparisons (docs/estimators.md).\n",
              res.horizon, res.horizon);
  if (opt.until_ci) {
    if (res.target_reached) {
      std::printf("--until-ci %g: reached (largest half-width of the %s difference %.4g)\n", *opt.until_ci,
                  primary.c_str(), res.primary_half_width());
    } else {
      std::printf("--until-ci %g: NOT reached after the cap of %d replications (largest half-width %.4g)\n",
                  *opt.until_ci, kMaxReplications, res.primary_half_width());
    }
  }
  print_table(spec, res, values);
  if (!opt.output.empty()) std::printf("\nwrote %s\n", opt.output.c_str());
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto opt = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Paired comparison of scenario variants under common random numbers: means, differences, 95% CIs");
  cmd->add_option("scenario", opt->scenario, "Scenario file (JSON)")->required();
  cmd->add_option("--vary", opt->vary, "The varied value: /json/pointer=A,B[,C...]; the first is the baseline")
      ->required();
  cmd->add_option("-r,--replications", opt->replications, "Replications per variant (default 20; first batch with --until-ci)");
  cmd->add_option("--seed", opt->seed, "Master seed (default: drawn, printed and stored)")
      ->check(seed_validator());
  cmd->add_option("--until-ci", opt->until_ci,
                  "Add replications until the 95% half-width of the primary metric's difference is below W "
                  "(cap 10000)");
  cmd->add_option("--metric", opt->metrics, "Final metric to report (repeatable; the first is primary)");
  cmd->add_option("--set", opt->sets, "Override a value in every variant: /json/pointer=VALUE (repeatable)");
  cmd->add_option("--pitfall", opt->pitfalls, "Switch on a pitfall in every variant (repeatable)");
  cmd->add_option("-o,--output", opt->output, "Write every run to this HDF5 file");
  cmd->add_flag("--overwrite", opt->overwrite, "Replace an existing output file");
  cmd->add_flag("--json", opt->json, "Print the results as JSON");
  cmd->add_option("--threads", opt->threads, "Worker threads (default: hardware concurrency; results do not depend on it)")
      ->check(CLI::Range(1, 1024));
  cmd->callback([opt]() { compare(*opt); });
}

}  // namespace p3sim::cli
