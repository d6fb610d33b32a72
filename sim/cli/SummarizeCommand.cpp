// `p3sim summarize`: per-metric, per-group n, mean, sd and 95% CI of a p3sim result file.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/Commands.hpp"
#include "io/ResultReader.hpp"
#include "stats/Summary.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim::cli {
namespace {

struct SummarizeOptions {
  std::string file;
  std::string by;
  std::vector<std::string> metrics;
};

void summarize_file(const SummarizeOptions& opt) {
  // A missing or foreign file is the user's input being wrong, not a runtime failure: exit 2.
  std::unique_ptr<ResultReader> reader;
  try {
    if (!std::filesystem::exists(opt.file)) {
      throw InputError({ValidationError{"io", opt.file, "", "an existing p3sim result file", "no such file", ""}});
    }
    reader = std::make_unique<ResultReader>(opt.file);
  } catch (const OutputError& e) {
    throw InputError({ValidationError{"not_p3sim_file", opt.file, "", "a p3sim result file (HDF5)", e.what(), ""}});
  }
  const Summary s = summarize(*reader, opt.by, opt.metrics);

  std::printf("%s: %zu runs, %zu done (only done runs are summarized)\n", opt.file.c_str(), s.runs_total, s.runs_done);
  if (!s.by.empty()) std::printf("grouped by %s\n", s.by.c_str());
  for (std::size_t m = 0; m < s.metrics.size(); ++m) {
    std::printf("\n%s\n", s.metrics[m].c_str());
    std::printf("  %-20s %6s %12s %12s %27s\n", s.by.empty() ? "" : "group", "n", "mean", "sd", "95% CI");
    for (const SummaryGroup& g : s.groups) {
      const Estimate& e = g.estimates[m];
      std::printf("  %-20s %6zu %12.4g %12.4g   [%11.4g, %11.4g]\n", g.label.c_str(), e.n, e.mean, e.sd, e.lo(),
                  e.hi());
    }
  }
}

}  // namespace

void add_summarize_command(CLI::App& app) {
  auto opt = std::make_shared<SummarizeOptions>();
  CLI::App* cmd = app.add_subcommand("summarize", "Per-group n, mean, sd and 95% CI of the final metrics in a result file");
  cmd->add_option("file", opt->file, "p3sim result file (HDF5) from run, compare or sweep")->required();
  cmd->add_option("--by", opt->by, "Group by this parameter (/params dataset name or JSON Pointer)");
  cmd->add_option("--metric", opt->metrics, "Final metric to summarize (repeatable; default all)");
  cmd->callback([opt]() { summarize_file(*opt); });
}

}  // namespace p3sim::cli
