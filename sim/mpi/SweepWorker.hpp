#pragma once
// SweepWorker: a rank > 0 of an MPI sweep. Asks rank 0 for runs, runs them on its own threads
// (an Ensemble) and sends every result back (protocol: SweepMessages.hpp).
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "result/RunResult.hpp"

namespace p3sim::mpi {

/// Runs job ids handed out by coordinate_sweep() on rank 0 with `threads` threads until told there is
/// no more work or to stop, or until `interrupt` (a signal) is set; then reports and returns.
/// `job(id)` may throw: the run is then reported as failed with the exception's message.
/// With a non-empty `setup_error` the worker takes no runs: it reports the error and returns.
///
/// Test hook (tests only, see docs/cluster.md): with P3SIM_TEST_MPI_DIE_AFTER=N in the environment,
/// the rank named by P3SIM_TEST_MPI_DIE_RANK (default 1) kills itself with SIGKILL after sending N
/// results, as a crashed node would.
void serve_sweep(const std::string& setup_error, int threads, const std::function<RunResult(std::int64_t)>& job,
                 const std::atomic<bool>* interrupt);

}  // namespace p3sim::mpi
