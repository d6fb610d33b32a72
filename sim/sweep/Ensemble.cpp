// The ordered thread pool (see Ensemble.hpp).
#include "sweep/Ensemble.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace p3sim {

EnsembleSummary run_ensemble(std::int64_t count, const EnsembleJob& job, const EnsembleSink& sink,
                             const EnsembleOptions& options) {
  const int threads = options.threads < 1 ? 1 : options.threads;
  // A few jobs per thread ahead of the writer keeps every worker busy while one slow run holds
  // up delivery, yet bounds the reorder buffer to a handful of results.
  const std::int64_t window = 4 * static_cast<std::int64_t>(threads);

  std::mutex mutex;
  std::condition_variable cv;
  std::map<std::int64_t, RunResult> ready;  // the reorder buffer
  std::int64_t next_job = 0;                // next index a worker takes
  std::int64_t next_out = 0;                // next index the sink receives
  int running = threads;
  bool halt = false;
  EnsembleSummary summary;

  auto stop_requested = [&] { return halt || (options.stop && options.stop->load()); };

  auto worker = [&] {
    std::unique_lock lock(mutex);
    for (;;) {
      cv.wait(lock, [&] { return stop_requested() || next_job >= count || next_job < next_out + window; });
      if (stop_requested() || next_job >= count) break;
      const std::int64_t i = next_job++;
      lock.unlock();
      RunResult result;
      try {
        result = job(i);
      } catch (const std::exception& e) {
        result = RunResult{};
        result.status = RunStatus::Failed;
        result.message = e.what();
      } catch (...) {
        result = RunResult{};
        result.status = RunStatus::Failed;
        result.message = "unknown exception";
      }
      lock.lock();
      if (result.status == RunStatus::Failed && options.stop_on_error) halt = true;
      ready.emplace(i, std::move(result));
      cv.notify_all();
    }
    --running;
    cv.notify_all();
  };

  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);

  std::exception_ptr sink_error;
  {
    std::unique_lock lock(mutex);
    while (next_out < count) {
      // A stop flag set by a signal handler does not notify: poll it now and then.
      cv.wait_for(lock, std::chrono::milliseconds(100),
                  [&] { return ready.count(next_out) || running == 0; });
      auto it = ready.find(next_out);
      if (it == ready.end()) {
        if (running == 0) break;  // stopped: the rest will never come
        if (options.stop && options.stop->load()) cv.notify_all();
        continue;
      }
      RunResult result = std::move(it->second);
      ready.erase(it);
      lock.unlock();
      try {
        sink(next_out, result);
      } catch (...) {
        sink_error = std::current_exception();
      }
      lock.lock();
      if (sink_error) {
        halt = true;
        cv.notify_all();
        break;
      }
      ++summary.delivered;
      if (result.status == RunStatus::Failed) ++summary.failed;
      ++next_out;
      cv.notify_all();
      // Stopping on an error ends delivery at the first failed job in index order: jobs after it
      // that other threads finished meanwhile are dropped (they stay to do), so that what the
      // sink receives is the same whatever the thread count.
      if (result.status == RunStatus::Failed && options.stop_on_error) {
        halt = true;
        break;
      }
    }
    summary.stopped = next_out < count;
  }
  for (std::thread& t : pool) t.join();
  if (sink_error) std::rethrow_exception(sink_error);
  return summary;
}

}  // namespace p3sim
