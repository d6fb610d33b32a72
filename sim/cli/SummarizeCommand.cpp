// `p3sim summarize`: per-metric, per-group estimates and 95% intervals of a p3sim result file, each
// by the estimator of the metric's kind (docs/estimators.md).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/Commands.hpp"
#include "io/OutputLock.hpp"
#include "io/ResultReader.hpp"
#include "stats/EstimateFormat.hpp"
#include "stats/Summary.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim::cli {
namespace {

struct SummarizeOptions {
  std::string file;
  std::string by;
  std::vector<std::string> metrics;
  bool json = false;
};

/// What the numbers of a metric of this kind are, for the header of its table.
std::string kind_note(MetricKind kind, double horizon) {
  switch (kind) {
    case MetricKind::Share: return "share of runs, Wilson interval";
    case MetricKind::Time:
      return "months until it happened, censored at the horizon of " + format_estimate(horizon) +
             ": Kaplan-Meier median, restricted mean";
    case MetricKind::Bounded: return "mean, t interval within [0, 1]";
    case MetricKind::Conditional: return "mean over the runs where it is defined, t interval";
    case MetricKind::Amount: break;
  }
  return "mean, t interval";
}

void print_json(const SummarizeOptions& opt, const Summary& s) {
  nlohmann::json j = {{"file", opt.file}, {"runs", s.runs_total}, {"done", s.runs_done},
                      {"by", s.by.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.by)}, {"horizon", s.horizon}};
  j["groups"] = nlohmann::json::array();
  for (const SummaryGroup& g : s.groups) {
    nlohmann::json metrics = nlohmann::json::object();
    for (std::size_t m = 0; m < s.metrics.size(); ++m) metrics[s.metrics[m]] = to_json(g.estimates[m]);
    j["groups"].push_back({{"label", g.label}, {"value", g.value}, {"metrics", metrics}});
  }
  std::cout << j.dump(2) << "\n";
}

void summarize_file(const SummarizeOptions& opt) {
  // A missing or foreign file is the user's input being wrong, not a runtime failure: exit 2.
  std::unique_ptr<ResultReader> reader;
  try {
    if (!std::filesystem::exists(opt.file)) {
      throw InputError({ValidationError{"io", opt.file, "", "an existing p3sim result file", "no such file", ""}});
    }
    reader = std::make_unique<ResultReader>(opt.file);
  } catch (const OutputError& e) {
    if (const long pid = OutputLock::holder(opt.file); pid > 0) {
      throw std::runtime_error("'" + opt.file + "' is being written by p3sim (process " + std::to_string(pid) +
                               "); summarize it when that has finished");
    }
    throw InputError({ValidationError{"not_p3sim_file", opt.file, "", "a p3sim result file (HDF5)", e.what(), ""}});
  }
  // A p3sim file that opens but lacks a dataset or attribute is damaged: say which file.
  const Summary s = [&] {
    try {
      return summarize(*reader, opt.by, opt.metrics);
    } catch (const OutputError& e) {
      throw InputError({ValidationError{"damaged_file", opt.file, "", "a complete p3sim result file", e.what(), ""}});
    }
  }();
  if (opt.json) {
    print_json(opt, s);
    return;
  }

  std::printf("%s: %zu runs, %zu done (only done runs are summarized)\n", opt.file.c_str(), s.runs_total, s.runs_done);
  if (!s.by.empty()) std::printf("grouped by %s\n", s.by.c_str());
  std::printf("95%% intervals; the estimator depends on the metric (docs/estimators.md)\n");
  for (std::size_t m = 0; m < s.metrics.size(); ++m) {
    const MetricKind kind = s.groups.empty() ? MetricKind::Amount : s.groups.front().estimates[m].kind;
    std::printf("\n%s  (%s)\n", s.metrics[m].c_str(), kind_note(kind, s.horizon).c_str());
    for (const SummaryGroup& g : s.groups) {
      std::printf("  %-20s %6zu  %s\n", g.label.c_str(), g.estimates[m].runs, describe(g.estimates[m]).c_str());
    }
  }
}

}  // namespace

void add_summarize_command(CLI::App& app) {
  auto opt = std::make_shared<SummarizeOptions>();
  CLI::App* cmd = app.add_subcommand("summarize", "Per-group estimates and 95% intervals of the final metrics in a result file");
  cmd->add_option("file", opt->file, "p3sim result file (HDF5) from run, compare or sweep")->required();
  cmd->add_option("--by", opt->by, "Group by this parameter (/params dataset name or JSON Pointer)");
  cmd->add_option("--metric", opt->metrics, "Final metric to summarize (repeatable; default all)");
  cmd->add_flag("--json", opt->json, "Print the estimates as JSON (fields: docs/estimators.md)");
  cmd->callback([opt]() { summarize_file(*opt); });
}

}  // namespace p3sim::cli
