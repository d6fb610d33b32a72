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
#include "io/PosteriorFile.hpp"
#include "io/ResultLayout.hpp"
#include "io/ResultReader.hpp"
#include "stats/EstimateFormat.hpp"
#include "stats/Summary.hpp"
#include "sweep/PosteriorSummary.hpp"
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

// A level as the tables print it: "0.1" -> "0.1", "\"backbone\"" -> "backbone".
std::string level_label(const std::string& json_text) {
  if (json_text.size() >= 2 && json_text.front() == '"' && json_text.back() == '"') {
    return json_text.substr(1, json_text.size() - 2);
  }
  return json_text;
}

nlohmann::json posterior_json(const std::string& file, const PosteriorSummary& s) {
  nlohmann::json j = {{"file", file},           {"generations", s.generations},
                      {"particles", s.particles}, {"simulations", s.simulations},
                      {"tolerance", s.tolerance}, {"acceptance_rate", s.acceptance_rate},
                      {"ess", s.ess},             {"stop_reason", s.stop_reason},
                      {"complete", s.complete},   {"level", s.level}};
  j["parameters"] = nlohmann::json::array();
  for (const ParameterPosterior& p : s.parameters) {
    nlohmann::json entry = {{"name", p.name}, {"categorical", p.categorical}};
    if (p.categorical) {
      nlohmann::json levels = nlohmann::json::array();
      for (std::size_t i = 0; i < p.levels.size(); ++i) {
        levels.push_back({{"level", nlohmann::json::parse(p.levels[i])},
                          {"probability", p.probabilities[i]},
                          {"prior_probability", p.prior_probabilities[i]}});
      }
      entry["levels"] = levels;
    } else {
      entry.update({{"mean", p.mean}, {"sd", p.sd}, {"median", p.median}, {"lo", p.low}, {"hi", p.high},
                    {"prior_lo", p.prior_low}, {"prior_hi", p.prior_high}});
    }
    j["parameters"].push_back(entry);
  }
  j["targets"] = nlohmann::json::array();
  for (const TargetCheck& t : s.targets) {
    j["targets"].push_back({{"name", t.name}, {"observed", t.observed}, {"median", t.median}, {"lo", t.low},
                            {"hi", t.high}, {"z", t.z}, {"fit", t.good ? "good" : "poor"}});
  }
  return j;
}

// `p3sim summarize post.h5`: the posterior of each parameter and the predictive check.
void summarize_posterior_file(const SummarizeOptions& opt) {
  PosteriorData data;
  try {
    data = read_posterior_file(opt.file);
  } catch (const OutputError& e) {
    throw InputError({ValidationError{"damaged_file", opt.file, "", "a complete posterior file", e.what(), ""}});
  }
  if (data.generations.empty()) {
    throw InputError({ValidationError{"no_generation", opt.file, "", "a calibration with at least one generation",
                                      "none completed yet", "wait for generation 0, or --resume the calibration"}});
  }
  const PosteriorSummary s = summarize_posterior(data);
  if (opt.json) {
    std::cout << posterior_json(opt.file, s).dump(2) << "\n";
    return;
  }
  std::printf("%s: calibration, %d generations of %lld particles, %lld runs; %s\n", opt.file.c_str(), s.generations,
              static_cast<long long>(s.particles), static_cast<long long>(s.simulations),
              s.complete ? ("finished (" + s.stop_reason + ")").c_str() : "NOT finished (interrupted or running)");
  std::printf("last generation: tolerance %s (every particle within that distance of the data, in scale units), "
              "acceptance %.1f%%, effective sample size %.0f\n",
              format_estimate(s.tolerance).c_str(), 100 * s.acceptance_rate, s.ess);
  std::printf("\nposterior (weighted particles of the last generation; %.0f%% equal-tailed credible intervals)\n",
              100 * s.level);
  std::printf("  %-36s %12s %12s %27s %27s\n", "parameter", "mean", "median", "credible interval", "prior interval");
  for (const ParameterPosterior& p : s.parameters) {
    if (p.categorical) {
      std::printf("  %s\n", p.name.c_str());
      for (std::size_t i = 0; i < p.levels.size(); ++i) {
        std::printf("    %-34s posterior %5.1f%%   prior %5.1f%%\n", level_label(p.levels[i]).c_str(),
                    100 * p.probabilities[i], 100 * p.prior_probabilities[i]);
      }
      continue;
    }
    const std::string ci = "[" + format_estimate(p.low) + ", " + format_estimate(p.high) + "]";
    const std::string prior = "[" + format_estimate(p.prior_low) + ", " + format_estimate(p.prior_high) + "]";
    std::printf("  %-36s %12s %12s %27s %27s\n", p.name.c_str(), format_estimate(p.mean).c_str(),
                format_estimate(p.median).c_str(), ci.c_str(), prior.c_str());
  }
  std::printf("\nposterior predictive check (the particles' simulated statistics; %.0f%% bands)\n", 100 * s.level);
  std::printf("  %-28s %12s %12s %27s %8s  %s\n", "target", "observed", "median", "band", "z", "fit");
  std::size_t poor = 0;
  for (const TargetCheck& t : s.targets) {
    const std::string band = "[" + format_estimate(t.low) + ", " + format_estimate(t.high) + "]";
    std::printf("  %-28s %12s %12s %27s %8.2f  %s\n", t.name.c_str(), format_estimate(t.observed).c_str(),
                format_estimate(t.median).c_str(), band.c_str(), t.z, t.good ? "good" : "POOR FIT");
    poor += t.good ? 0 : 1;
  }
  if (poor > 0) {
    std::printf("\n%zu of %zu targets fit poorly (outside the posterior predictive band, or more than %.0f scales from "
                "its median): the model with these priors does not reproduce them, or the calibration stopped before its "
                "particles came close (docs/calibration.md, \"Judging a fit\")\n",
                poor, s.targets.size(), kPoorFitZ);
  }
}

void summarize_file(const SummarizeOptions& opt) {
  if (std::filesystem::exists(opt.file) && is_posterior_file(opt.file)) {
    summarize_posterior_file(opt);
    return;
  }
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
  cmd->add_option("file", opt->file, "p3sim result file (HDF5) from run, compare, sweep or calibrate")->required();
  cmd->add_option("--by", opt->by, "Group by this parameter (/params dataset name or JSON Pointer)");
  cmd->add_option("--metric", opt->metrics, "Final metric to summarize (repeatable; default all)");
  cmd->add_flag("--json", opt->json, "Print the estimates as JSON (fields: docs/estimators.md)");
  cmd->callback([opt]() { summarize_file(*opt); });
}

}  // namespace p3sim::cli
