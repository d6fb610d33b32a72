// `p3sim run`: one run of one scenario, its story, its final metrics, and optionally an HDF5 file.
#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/CommandLine.hpp"
#include "cli/StopSignals.hpp"
#include "cli/Terminal.hpp"
#include "cli/Commands.hpp"
#include "io/Provenance.hpp"
#include "io/OutputLock.hpp"
#include "io/ResultWriter.hpp"
#include "io/ScenarioLayout.hpp"
#include "model/PartnershipState.hpp"
#include "run/Narrative.hpp"
#include "run/ContributionWatch.hpp"
#include "run/SectorTrustWatch.hpp"
#include "run/Simulation.hpp"
#include "scenario/Pitfalls.hpp"
#include "scenario/ScenarioLoader.hpp"
#include "scenario/Utf8.hpp"
#include "scenario/ValidationError.hpp"
#include "stats/MetricKind.hpp"

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
  bool baseline = false;
  std::vector<int> trust_at;  ///< steps at which --json reports the trust matrix
};

/// The trust matrix and membership at chosen steps, captured while the run steps.
struct TrustSnapshots {
  nlohmann::json by_step = nlohmann::json::object();

  void capture(const PartnershipState& s) {
    nlohmann::json matrix = nlohmann::json::array(), members = nlohmann::json::array();
    for (Eigen::Index i = 0; i < s.trust.rows(); ++i) {
      nlohmann::json row = nlohmann::json::array();
      for (Eigen::Index j = 0; j < s.trust.cols(); ++j) row.push_back(s.trust(i, j));
      matrix.push_back(std::move(row));
      members.push_back(s.is_member(static_cast<int>(i)));
    }
    by_step[std::to_string(s.step)] = {{"members", std::move(members)}, {"trust", std::move(matrix)}};
  }
};

/// A run with what the command line tells about it besides the result.
struct WatchedRun {
  RunResult result;
  std::vector<std::string> story;  ///< narrate() lines plus sector trust collapses and contributions
  TrustSnapshots snapshots;        ///< trust matrices at the --trust-at steps
};

/// Runs `scenario` with `seed` step by step, watching sector trust for the story and capturing the
/// trust matrix after each step listed in `trust_at` (0 = initial state). Watching reads the state
/// only, so the result is the same as run_once's.
WatchedRun run_watched(const Scenario& scenario, std::uint64_t seed, const std::vector<int>& trust_at) {
  WatchedRun out;
  Simulation sim(scenario, seed);
  SectorTrustWatch watch(scenario);
  ContributionWatch contributions(scenario);
  auto wanted = [&](int step) { return std::find(trust_at.begin(), trust_at.end(), step) != trust_at.end(); };
  if (wanted(0)) out.snapshots.capture(sim.state());
  while (sim.current_step() < sim.total_steps()) {
    sim.step();
    watch.observe(sim.state());
    contributions.observe(sim.state());
    if (wanted(sim.current_step())) out.snapshots.capture(sim.state());
  }
  out.result = std::move(sim.run());  // no steps left: fills the final metrics
  // Collapses before contributions within a month: what broke, then what each player gave.
  std::vector<std::pair<int, std::string>> extra = watch.collapses();
  extra.insert(extra.end(), contributions.lines().begin(), contributions.lines().end());
  std::stable_sort(extra.begin(), extra.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out.story = merge_story(narrate(scenario, out.result), extra);
  return out;
}

/// A final metric's value in words where it is a code: "never" for a time that did not come,
/// "undefined" for a ratio without a denominator.
std::string metric_text(int m, double v) {
  if (v == kSentinel) {
    if (metric_kind(m) == MetricKind::Time) return "never";
    if (metric_kind(m) == MetricKind::Conditional) return "undefined";
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

/// pitfall - baseline, or NaN when either side is a code (never, undefined): a month against
/// "never" has no difference.
double metric_difference(int m, double base, double pit) {
  const MetricKind kind = metric_kind(m);
  const bool coded = kind == MetricKind::Time || kind == MetricKind::Conditional;
  if (coded && (base == kSentinel || pit == kSentinel)) return std::numeric_limits<double>::quiet_NaN();
  return pit - base;
}

void print_metrics(const RunResult& r) {
  std::printf("\nfinal metrics\n");
  for (int m = 0; m < kFinalCount; ++m) {
    std::printf("  %-20s %14s\n", kFinalMetrics[m], metric_text(m, r.final_metrics[static_cast<std::size_t>(m)]).c_str());
  }
}

nlohmann::json to_json(const Scenario& sc, const RunResult& r, const std::vector<std::string>& story,
                       const std::string& output) {
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
  j["story"] = story;
  j["verdict"] = verdict(sc, r);
  return j;
}

/// "a, b and c"
std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

/// The story lines of a run grouped by month ("month 7: X left (...)" -> 7, "X left (...)").
std::map<int, std::vector<std::string>> story_by_month(const std::vector<std::string>& story) {
  std::map<int, std::vector<std::string>> months;
  for (const std::string& line : story) {
    int month = -1, text = 0;
    if (std::sscanf(line.c_str(), "month %d: %n", &month, &text) >= 1 && text > 0) {
      months[month].push_back(line.substr(static_cast<std::size_t>(text)));
    } else {
      months[-1].push_back(line);
    }
  }
  return months;
}

std::string padded(const std::string& s, std::size_t width) {
  const std::size_t used = utf8::length(s);  // a character is taken as one column
  return used >= width ? s : s + std::string(width - used, ' ');
}

/// The two stories next to each other, month by month; '*' marks months that differ. The two
/// columns share the terminal's width (119 characters, two columns of 52, when not on a terminal).
void print_side_by_side(const WatchedRun& base, const WatchedRun& pit, const std::string& label) {
  const std::size_t width = terminal_width(119);
  const std::size_t column = width > 15 + 2 * 20 ? (width - 15) / 2 : 20;
  const auto left = story_by_month(base.story), right = story_by_month(pit.story);
  std::map<int, bool> months;
  for (const auto* side : {&left, &right}) {
    for (const auto& [month, lines] : *side) months[month] = true;
  }
  std::printf("    month %s | %s\n", padded("baseline", column).c_str(), label.c_str());
  std::printf("  %s\n", std::string(10 + column + 2 + column, '-').c_str());
  static const std::vector<std::string> kNone;
  for (const auto& [month, unused] : months) {
    const auto l = left.find(month), r = right.find(month);
    const std::vector<std::string>& a = l == left.end() ? kNone : l->second;
    const std::vector<std::string>& b = r == right.end() ? kNone : r->second;
    std::vector<std::string> wa, wb;
    for (const std::string& line : a) {
      for (std::string& w : wrap(line, column)) wa.push_back(std::move(w));
    }
    for (const std::string& line : b) {
      for (std::string& w : wrap(line, column)) wb.push_back(std::move(w));
    }
    for (std::size_t i = 0; i < std::max(wa.size(), wb.size()); ++i) {
      const char mark = i == 0 && a != b ? '*' : ' ';
      const std::string when = i == 0 && month >= 0 ? std::to_string(month) : "";
      std::printf("  %c %5s   %s | %s\n", mark, when.c_str(), padded(i < wa.size() ? wa[i] : "", column).c_str(),
                  i < wb.size() ? wb[i].c_str() : "");
    }
  }
  std::printf("  (* the month differs between the two runs)\n");
}

/// Final metrics of both runs with their difference.
void print_metric_table(const RunResult& base, const RunResult& pit, const std::string& label) {
  std::printf("\nfinal metrics (%s)\n  %-20s %14s %14s %14s\n", label.c_str(), "", "baseline", "pitfall", "difference");
  for (int m = 0; m < kFinalCount; ++m) {
    const auto i = static_cast<std::size_t>(m);
    const double a = base.final_metrics[i], b = pit.final_metrics[i];
    const double d = metric_difference(m, a, b);
    char diff[64];
    if (std::isnan(d)) std::snprintf(diff, sizeof diff, "%s", "-");
    else std::snprintf(diff, sizeof diff, "%+.4f", d);
    std::printf("  %-20s %14s %14s %14s%s\n", kFinalMetrics[m], metric_text(m, a).c_str(), metric_text(m, b).c_str(),
                diff, a != b ? "" : "  (same)");
  }
}

/// Who left in one run and not in the other, in plain words.
std::string exits_only_in(const Scenario& sc, const RunResult& r, const RunResult& other) {
  std::vector<std::string> names;
  for (const Event& e : r.events) {
    if (e.kind != EventKind::Exit || e.org < 0) continue;
    const bool also = std::any_of(other.events.begin(), other.events.end(), [&](const Event& o) {
      return o.kind == EventKind::Exit && o.org == e.org;
    });
    if (!also) {
      names.push_back(sc.organizations[static_cast<std::size_t>(e.org)].name + " (month " + std::to_string(e.step) +
                      ", " + kCauseNames[static_cast<int>(e.cause)] + ")");
    }
  }
  return names.empty() ? "nobody" : joined(names);
}

void run_with_baseline(const RunOptions& opt, const Scenario& scenario, const Scenario& base_sc, std::uint64_t seed,
                       const std::string& command_line) {
  const WatchedRun base_run = run_watched(base_sc, seed, {}), pit_run = run_watched(scenario, seed, {});
  const RunResult &base = base_run.result, &pit = pit_run.result;
  const std::string label = "with " + joined(opt.pitfalls);

  if (!opt.output.empty()) {
    // Run 0 is the baseline, run 1 the pitfall run: one replicate, two design points, a 0/1 flag
    // per pitfall in /params, as a sweep with a pitfall factor writes them.
    ResultLayout layout = scenario_layout(scenario, 2);
    const std::string difference = scenario_layout(base_sc, 2).difference(layout);
    if (!difference.empty())
      throw std::runtime_error("cannot write both runs to one file: the pitfall changes the layout (" + difference + ")");
    for (const std::string& p : opt.pitfalls) layout.params.push_back("pitfall." + p);
    const Provenance provenance = Provenance::current(command_line, scenario.resolved.dump(), "", seed);
    const OutputLock lock(opt.output);
    const RemoveOnSignal cleanup(opt.output + ".partial");  // a signal while writing leaves no half file
    ResultWriter writer(opt.output, layout, provenance, opt.overwrite);
    writer.write_run(0, 0, 0, base, std::vector<double>(opt.pitfalls.size(), 0.0));
    writer.write_run(1, 1, 0, pit, std::vector<double>(opt.pitfalls.size(), 1.0));
    writer.close();
  }
  if (opt.json) {
    nlohmann::json j;
    j["baseline"] = to_json(base_sc, base, base_run.story, "");
    j["pitfall"] = to_json(scenario, pit, pit_run.story, opt.output);
    j["pitfalls"] = opt.pitfalls;
    for (int m = 0; m < kFinalCount; ++m) {
      const auto i = static_cast<std::size_t>(m);
      const double d = metric_difference(m, base.final_metrics[i], pit.final_metrics[i]);
      j["difference"][kFinalMetrics[m]] = std::isnan(d) ? nlohmann::json(nullptr) : nlohmann::json(d);
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  if (opt.quiet) return;
  const std::size_t width = terminal_width(119);
  print_hanging(scenario.name + ": " + std::to_string(pit.steps) + " months, seed " + std::to_string(seed) +
                    ", the same seed with and without " + joined(opt.pitfalls), 0, 4, width);
  std::printf("\n");
  for (const std::string& name : opt.pitfalls) {
    print_hanging("pitfall " + name + ": " + find_pitfall(base_sc.resolved, name).description, 2, 6, width);
  }
  std::printf("\n");
  print_side_by_side(base_run, pit_run, label);
  print_metric_table(base, pit, label);
  std::printf("\n");
  print_hanging("baseline: " + verdict(base_sc, base), 0, 4, width);
  print_hanging(label + ": " + verdict(scenario, pit), 0, 4, width);
  print_hanging("left only " + label + ": " + exits_only_in(scenario, pit, base), 0, 4, width);
  print_hanging("left only in the baseline: " + exits_only_in(base_sc, base, pit), 0, 4, width);
  if (!opt.output.empty()) std::printf("wrote %s (run 0 baseline, run 1 %s)\n", opt.output.c_str(), label.c_str());
}

void run(const RunOptions& opt, const std::string& command_line) {
  ScenarioEdits edits;
  edits.sets = opt.sets;
  if (opt.steps) edits.sets.push_back("/steps=" + std::to_string(*opt.steps));
  edits.pitfalls = opt.pitfalls;
  if (opt.baseline && opt.pitfalls.empty()) {
    throw input_error("baseline_without_pitfall", "--baseline", "at least one --pitfall NAME to compare with the baseline",
                      "no --pitfall");
  }
  if (!opt.trust_at.empty() && !opt.json) {
    // The trust matrices are only in the JSON output; ignoring the option would hide that.
    throw input_error("trust_at_without_json", "--trust-at",
                      "--json as well (the trust matrices are reported in the JSON output)", "no --json");
  }
  const Scenario scenario = load_scenario_file(opt.scenario, edits);
  if (!opt.output.empty()) check_output_path(opt.output, opt.overwrite);
  if (opt.baseline && !opt.output.empty()) {
    // The pair's file has a 0/1 column per pitfall: refuse names that share one before running.
    std::vector<std::string> columns;
    for (const std::string& name : opt.pitfalls) columns.push_back("pitfall." + name);
    if (const std::string clash = param_name_clash(columns); !clash.empty()) {
      throw input_error("dataset_name", "--pitfall", "pitfalls whose /params columns differ (\"/\" becomes \".\")",
                        clash);
    }
  }
  if (scenario.steps == 0 && !opt.quiet) {
    std::fprintf(stderr, "p3sim: note: 0 steps: nothing is simulated; the results are the initial state\n");
  }

  const bool drawn = !opt.seed.has_value();
  const std::uint64_t seed = opt.seed.value_or((static_cast<std::uint64_t>(std::random_device{}()) << 32) ^
                                               std::random_device{}());
  if (drawn && !opt.json) std::fprintf(stderr, "seed %llu (drawn; pass --seed %llu to repeat this run)\n",
                                       static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));

  if (opt.baseline) {
    ScenarioEdits without = edits;
    without.pitfalls.clear();
    run_with_baseline(opt, scenario, load_scenario_file(opt.scenario, without), seed, command_line);
    return;
  }
  const WatchedRun watched = run_watched(scenario, seed, opt.trust_at);
  const RunResult& result = watched.result;

  if (!opt.output.empty()) {
    const Provenance provenance = Provenance::current(command_line, scenario.resolved.dump(), "", seed);
    const OutputLock lock(opt.output);
    const RemoveOnSignal cleanup(opt.output + ".partial");  // a signal while writing leaves no half file
    ResultWriter writer(opt.output, scenario_layout(scenario, 1), provenance, opt.overwrite);
    writer.write_run(0, 0, 0, result, {});
    writer.close();
  }

  if (opt.json) {
    nlohmann::json j = to_json(scenario, result, watched.story, opt.output);
    if (!opt.trust_at.empty()) {
      j["organizations"] = nlohmann::json::array();
      for (const Organization& o : scenario.organizations) j["organizations"].push_back(o.name);
      j["trust_at"] = watched.snapshots.by_step;
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  if (!opt.quiet) {
    std::printf("%s: %d months, seed %llu\n", scenario.name.c_str(), result.steps,
                static_cast<unsigned long long>(seed));
    const std::size_t width = terminal_width(119);
    for (const std::string& name : opt.pitfalls) {
      print_hanging("pitfall " + name + ": " + find_pitfall(scenario.resolved, name).description, 2, 6, width);
    }
    std::printf("\n");
    for (const std::string& line : watched.story) print_hanging(line, 2, 6, width);
    print_metrics(result);
    std::printf("\n");
    print_hanging(verdict(scenario, result), 0, 4, width);
  }
  if (!opt.output.empty() && !opt.quiet) std::printf("wrote %s\n", opt.output.c_str());
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto opt = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run one scenario once: story, final metrics, optional HDF5 output");
  cmd->add_option("scenario", opt->scenario, "Scenario file (JSON)")->required();
  cmd->add_option("-o,--output", opt->output, "Write the run to this HDF5 file");
  cmd->add_option("--seed", opt->seed, "Run seed (default: drawn, printed and stored)")
      ->check(seed_validator());
  cmd->add_option("--steps", opt->steps, "Number of steps (overrides the scenario)")->check(CLI::Range(0, 100000));
  cmd->add_option("--set", opt->sets, "Override a value: /json/pointer=VALUE (repeatable)");
  cmd->add_option("--pitfall", opt->pitfalls, "Switch on a pitfall by name (repeatable)");
  cmd->add_flag("--quiet", opt->quiet, "Print nothing but errors");
  cmd->add_flag("--json", opt->json, "Print the result as JSON");
  cmd->add_flag("--overwrite", opt->overwrite, "Replace an existing output file");
  cmd->add_option("--trust-at", opt->trust_at,
                  "With --json: report the trust matrix T[i][j] and membership after these steps (0 = initial)")
      ->delimiter(',')
      ->check(CLI::Range(0, 100000));
  cmd->add_flag("--baseline", opt->baseline,
                "With --pitfall: also run the same seed without the pitfalls and show both side by side");
  cmd->callback([opt]() { run(*opt, command_line()); });
}

}  // namespace p3sim::cli
