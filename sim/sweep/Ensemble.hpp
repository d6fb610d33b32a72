#pragma once
// Ensemble: a thread pool that runs many independent jobs and hands their results back IN ORDER.
//
// Workers take job indices in increasing order from a shared counter, but never more than a
// bounded window ahead of the next result to be delivered; finished results wait in a small
// reorder buffer keyed by index. The calling thread delivers them to the sink one by one in index
// order. So memory stays bounded whatever the job count, and the sink (the HDF5 writer, which is
// single-threaded) sees exactly the same sequence whatever the thread count.
#include <atomic>
#include <cstdint>
#include <functional>

#include "result/RunResult.hpp"

namespace p3sim {

/// How the ensemble runs.
struct EnsembleOptions {
  int threads = 1;                        ///< worker threads, >= 1
  bool stop_on_error = false;             ///< stop after the first failed job (in index order)
  const std::atomic<bool>* stop = nullptr;  ///< set (e.g. by a signal handler) to stop taking jobs
};

/// What happened.
struct EnsembleSummary {
  std::int64_t delivered = 0;  ///< results handed to the sink (a prefix of the job indices)
  std::int64_t failed = 0;     ///< of which failed
  bool stopped = false;        ///< stopped early (stop flag, or stop_on_error after a failure)
};

/// Runs job `i` for i in [0, count) and returns its result. May throw: the exception becomes a
/// result with status Failed and the exception's message. Called concurrently from workers.
using EnsembleJob = std::function<RunResult(std::int64_t i)>;
/// Receives result `i`; called on the calling thread, for i = 0, 1, 2... in order.
using EnsembleSink = std::function<void(std::int64_t i, RunResult& result)>;

/// Runs the jobs and delivers the results in order. When stopped early, jobs already running are
/// finished and the contiguous prefix of results is delivered; later results are dropped. With
/// stop_on_error the delivered prefix ends with the first failed job, whatever the thread count. An
/// exception thrown by the sink stops the workers and is rethrown after they have joined.
EnsembleSummary run_ensemble(std::int64_t count, const EnsembleJob& job, const EnsembleSink& sink,
                             const EnsembleOptions& options);

}  // namespace p3sim
