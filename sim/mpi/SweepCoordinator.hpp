#pragma once
// SweepCoordinator: rank 0 of an MPI sweep. Hands out runs to the worker ranks in chunks, on
// request, and delivers their results to the sink (the HDF5 writer) in run order.
//
// Dynamic load balancing: a worker asks for more runs when its queue runs low, so fast workers
// take more. Chunks shrink as the sweep nears its end (a share of what is left, at most a few runs
// per worker thread), so no worker is left holding many runs while others idle. Like Ensemble,
// the coordinator never hands out a run more than a window ahead of the next run to deliver, so the
// reorder buffer stays bounded whatever the spread of run costs. Rank 0 runs no simulations: it
// waits for messages (polling, with short sleeps, so it uses little CPU) and writes.
#include <cstdint>
#include <vector>

#include "sweep/Ensemble.hpp"

namespace p3sim::mpi {

/// Has the workers run job `jobs[i]` for every i and delivers result i to `sink` in order of i,
/// on the calling thread. `options.stop` (a signal) and `options.stop_on_error` stop the workers as
/// Ensemble does: runs in progress are finished, the contiguous prefix of results is delivered.
/// A worker that finishes early (its own stop signal) has its unfinished runs handed to others.
/// A worker that cannot set up reports why; the message is printed on stderr and the others go on.
/// An exception from the sink stops the workers and is rethrown once they have finished.
/// Call on rank 0 of MPI_COMM_WORLD with every other rank calling serve_sweep().
EnsembleSummary coordinate_sweep(const std::vector<std::int64_t>& jobs, const EnsembleSink& sink,
                                 const EnsembleOptions& options);

/// Tells every worker there is nothing to do and waits until they have finished (for a sweep that
/// ends before its first run: a dry run, bad input on rank 0). Prints nothing.
void release_workers();

}  // namespace p3sim::mpi
