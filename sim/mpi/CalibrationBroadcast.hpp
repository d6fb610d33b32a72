#pragma once
// CalibrationBroadcast: what the worker ranks of an MPI calibration need besides the calibration
// file, sent by rank 0 before every batch of runs: the generation the proposals belong to and the
// particles (values and weights) of the generation before, from which a worker builds the same
// Proposal as rank 0 and so runs any job id (sweep/Calibration.hpp). Then the batch's runs go out
// through the sweep protocol (SweepCoordinator / serve_sweep).
#include <atomic>
#include <string>

#include "sweep/Calibration.hpp"

namespace p3sim::mpi {

/// Rank 0: tells every worker that a batch of generation `generation` follows. Collective.
void broadcast_generation(const Calibration& calibration, int generation);

/// Rank 0: tells every worker that the calibration is over. Collective.
void broadcast_done();

/// A worker rank: until broadcast_done(), receives each batch's generation and serves its runs
/// (serve_sweep) with `threads` threads. `calibration` is null when the worker could not load the
/// file; `setup_error` then says why and goes to rank 0 with every batch.
void serve_calibration(const Calibration* calibration, const std::string& setup_error, int threads,
                       const std::atomic<bool>* interrupt);

}  // namespace p3sim::mpi
