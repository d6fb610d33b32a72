// The ordered thread pool: results reach the sink in job order whatever the thread count and the
// job durations; failures become Failed results; stop requests stop cleanly.
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sweep/Ensemble.hpp"

namespace p3sim {
namespace {

RunResult job_result(std::int64_t i) {
  // Uneven durations so that later jobs often finish before earlier ones.
  std::this_thread::sleep_for(std::chrono::microseconds((i * 7919) % 5 * 300));
  RunResult r;
  r.status = RunStatus::Done;
  r.seed = static_cast<std::uint64_t>(i);
  return r;
}

TEST(Ensemble, DeliversInOrderWithAnyThreadCount) {
  for (int threads : {1, 2, 8}) {
    std::vector<std::int64_t> order;
    EnsembleOptions options;
    options.threads = threads;
    const auto summary = run_ensemble(
        60, job_result,
        [&](std::int64_t i, RunResult& r) {
          EXPECT_EQ(r.seed, static_cast<std::uint64_t>(i));
          order.push_back(i);
        },
        options);
    ASSERT_EQ(order.size(), 60u) << threads;
    for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], static_cast<std::int64_t>(i));
    EXPECT_EQ(summary.delivered, 60);
    EXPECT_FALSE(summary.stopped);
  }
}

TEST(Ensemble, WorkersStayWithinAWindowOfTheSink) {
  std::atomic<std::int64_t> highest{-1};
  std::int64_t delivered = 0;
  EnsembleOptions options;
  options.threads = 4;
  run_ensemble(
      200,
      [&](std::int64_t i) {
        std::int64_t seen = highest.load();
        while (i > seen && !highest.compare_exchange_weak(seen, i)) {
        }
        return job_result(i);
      },
      [&](std::int64_t i, RunResult&) {
        // No job may start far ahead of what was delivered: the reorder buffer stays small.
        EXPECT_LE(highest.load(), i + 4 * 4);
        ++delivered;
      },
      options);
  EXPECT_EQ(delivered, 200);
}

TEST(Ensemble, ThrowingJobBecomesAFailedResultAndTheRestGoOn) {
  std::vector<RunStatus> statuses;
  std::string message;
  EnsembleOptions options;
  options.threads = 3;
  const auto summary = run_ensemble(
      10,
      [](std::int64_t i) -> RunResult {
        if (i == 4) throw std::runtime_error("boom");
        return job_result(i);
      },
      [&](std::int64_t i, RunResult& r) {
        statuses.push_back(r.status);
        if (i == 4) message = r.message;
      },
      options);
  ASSERT_EQ(statuses.size(), 10u);
  EXPECT_EQ(statuses[4], RunStatus::Failed);
  EXPECT_EQ(message, "boom");
  EXPECT_EQ(summary.failed, 1);
}

TEST(Ensemble, StopOnErrorStopsTakingJobs) {
  EnsembleOptions options;
  options.threads = 2;
  options.stop_on_error = true;
  std::int64_t last = -1;
  const auto summary = run_ensemble(
      1000,
      [](std::int64_t i) -> RunResult {
        if (i == 3) throw std::runtime_error("boom");
        return job_result(i);
      },
      [&](std::int64_t i, RunResult&) { last = i; }, options);
  EXPECT_TRUE(summary.stopped);
  EXPECT_EQ(last, 3);  // the failure itself is delivered, nothing after it
  EXPECT_EQ(summary.delivered, 4);
  EXPECT_EQ(summary.failed, 1);
}

TEST(Ensemble, StopOnErrorDeliversTheSameWhateverTheThreadCount) {
  // Jobs 5 and 6 fail; 6 is quick and 5 slow, so with several threads 6 often fails first. The
  // delivered prefix must still end at job 5, the first failure in index order (issue 20: two
  // threads wrote two failed runs).
  for (int threads : {1, 2, 4}) {
    EnsembleOptions options;
    options.threads = threads;
    options.stop_on_error = true;
    std::vector<std::int64_t> seen;
    const auto summary = run_ensemble(
        100,
        [](std::int64_t i) -> RunResult {
          if (i == 5) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            throw std::runtime_error("slow failure");
          }
          if (i == 6) throw std::runtime_error("quick failure");
          return job_result(i);
        },
        [&](std::int64_t i, RunResult&) { seen.push_back(i); }, options);
    EXPECT_EQ(seen, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5})) << threads << " threads";
    EXPECT_EQ(summary.failed, 1) << threads << " threads";
    EXPECT_TRUE(summary.stopped);
  }
}

TEST(Ensemble, StopFlagEndsWithAPrefix) {
  std::atomic<bool> stop{false};
  EnsembleOptions options;
  options.threads = 4;
  options.stop = &stop;
  std::int64_t count = 0;
  const auto summary = run_ensemble(
      100000, job_result,
      [&](std::int64_t i, RunResult&) {
        EXPECT_EQ(i, count);
        ++count;
        if (i == 20) stop.store(true);
      },
      options);
  EXPECT_TRUE(summary.stopped);
  EXPECT_EQ(summary.delivered, count);
  EXPECT_LT(count, 100);
}

TEST(Ensemble, SinkExceptionIsRethrownAfterJoin) {
  EnsembleOptions options;
  options.threads = 4;
  EXPECT_THROW(run_ensemble(
                   50, job_result,
                   [](std::int64_t i, RunResult&) {
                     if (i == 5) throw std::runtime_error("disk full");
                   },
                   options),
               std::runtime_error);
}

}  // namespace
}  // namespace p3sim
