// PairedComparison: common-random-numbers replicates of scenario variants, paired differences.
#include "stats/PairedComparison.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <stdexcept>
#include <thread>

#include "random/RandomStreams.hpp"
#include "run/Simulation.hpp"

namespace p3sim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Runs replicates [first, last) of every variant; slot (r - first) * V + v holds the result.
std::vector<RunResult> run_batch(const ComparisonSpec& spec, int first, int last) {
  const std::size_t variants = spec.variants.size();
  const std::size_t jobs = static_cast<std::size_t>(last - first) * variants;
  std::vector<RunResult> out(jobs);
  std::atomic<std::size_t> next{0};
  auto worker = [&]() {
    for (std::size_t j = next++; j < jobs; j = next++) {
      const int replicate = first + static_cast<int>(j / variants);
      const std::size_t v = j % variants;
      const std::uint64_t seed = derive_run_seed(spec.master_seed, static_cast<std::uint64_t>(replicate));
      try {
        out[j] = run_once(*spec.variants[v], seed);
        out[j].status = RunStatus::Done;
      } catch (const std::exception& e) {
        // One broken run should not lose the others; it is excluded from the pairs and reported.
        RunResult failed;
        failed.seed = seed;
        failed.status = RunStatus::Failed;
        failed.message = e.what();
        out[j] = std::move(failed);
      }
    }
  };
  const int threads = std::max(1, std::min<int>(spec.threads, static_cast<int>(jobs)));
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  }
  return out;
}

/// Replications to aim for next under until_ci: the half-width shrinks like 1/sqrt(n), so
/// n * (hw / W)^2 is the estimate; 20% more to avoid stopping just short, at least 10 more so
/// that a noisy early estimate cannot stall progress, never beyond the cap.
int next_target(int n, double half_width, double width, int cap) {
  double wanted = static_cast<double>(n) + 10;
  if (std::isfinite(half_width) && width > 0) {
    wanted = std::max(wanted, std::ceil(1.2 * n * (half_width / width) * (half_width / width)));
  } else {
    wanted = 2.0 * n;
  }
  return static_cast<int>(std::min<double>(wanted, cap));
}

}  // namespace

double ComparisonResult::primary_half_width() const {
  double worst = 0;
  for (std::size_t v = 1; v < stats.size(); ++v) {
    const double hw = primary >= stats[v].size() ? kNaN : stats[v][primary].difference.ci.half_width();
    // NaN (fewer than two valid pairs) must count as "not narrow enough".
    if (!(hw <= worst)) worst = std::isnan(hw) ? std::numeric_limits<double>::infinity() : hw;
  }
  return worst;
}

void aggregate_comparison(ComparisonResult& result) {
  const std::size_t variants = result.values.size();
  result.stats.assign(variants, {});
  if (variants == 0) return;
  for (std::size_t v = 0; v < variants; ++v) {
    for (std::size_t m = 0; m < result.values[v].size(); ++m) {
      VariantMetric vm;
      const int metric = result.metrics.at(m);
      vm.level = summarize_metric(result.values[v][m], metric, result.horizon);
      if (v > 0) vm.difference = compare_metric(result.values[0][m], result.values[v][m], metric, result.horizon);
      result.stats[v].push_back(vm);
    }
  }
  // The table is one family of tests: Holm over every (variant, metric) difference.
  std::vector<double> p;
  for (std::size_t v = 1; v < variants; ++v) {
    for (const VariantMetric& vm : result.stats[v]) p.push_back(vm.difference.p);
  }
  const std::vector<double> adjusted = holm_adjust(p);
  std::size_t i = 0;
  for (std::size_t v = 1; v < variants; ++v) {
    for (VariantMetric& vm : result.stats[v]) vm.holm_p = adjusted[i++];
  }
}

ComparisonResult run_comparison(const ComparisonSpec& spec, const RunSink& sink) {
  if (spec.variants.empty()) throw std::invalid_argument("comparison: no variants");
  if (spec.metrics.empty()) throw std::invalid_argument("comparison: no metrics");
  if (spec.primary >= spec.metrics.size()) throw std::invalid_argument("comparison: primary metric out of range");
  if (spec.replications < 2) throw std::invalid_argument("comparison: at least 2 replications are needed");
  if (spec.until_ci > 0 && spec.max_replications < spec.replications) {
    throw std::invalid_argument("comparison: max_replications below replications");
  }
  for (int m : spec.metrics) {
    if (m < 0 || m >= kFinalCount) throw std::invalid_argument("comparison: metric index out of range");
  }

  // Keep the primary metric first internally so primary_half_width() can find it; the caller's
  // order is restored at the end.
  std::vector<int> order = spec.metrics;
  std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(spec.primary),
              order.begin() + static_cast<std::ptrdiff_t>(spec.primary) + 1);

  const std::size_t variants = spec.variants.size();
  ComparisonResult result;
  result.metrics = order;
  result.horizon = static_cast<double>(spec.variants.front()->steps);
  result.values.assign(variants, std::vector<std::vector<double>>(order.size()));
  int done = 0;
  int target = spec.replications;
  for (;;) {
    std::vector<RunResult> batch = run_batch(spec, done, target);
    for (int r = done; r < target; ++r) {
      for (std::size_t v = 0; v < variants; ++v) {
        const RunResult& run = batch[static_cast<std::size_t>(r - done) * variants + v];
        for (std::size_t m = 0; m < order.size(); ++m) {
          result.values[v][m].push_back(run.status == RunStatus::Done
                                            ? run.final_metrics[static_cast<std::size_t>(order[m])]
                                            : kNaN);
        }
        if (sink) sink(static_cast<int>(v), r, run);
      }
    }
    done = target;
    aggregate_comparison(result);
    if (spec.until_ci <= 0) break;
    const double hw = result.primary_half_width();
    if (hw < spec.until_ci) break;
    if (done >= spec.max_replications) {
      result.target_reached = false;
      break;
    }
    target = next_target(done, hw, spec.until_ci, spec.max_replications);
  }
  result.replications = done;

  // Back to the caller's metric order.
  for (std::size_t v = 0; v < variants; ++v) {
    std::rotate(result.values[v].begin(), result.values[v].begin() + 1,
                result.values[v].begin() + static_cast<std::ptrdiff_t>(spec.primary) + 1);
  }
  result.metrics = spec.metrics;
  result.primary = spec.primary;
  aggregate_comparison(result);
  return result;
}

}  // namespace p3sim
