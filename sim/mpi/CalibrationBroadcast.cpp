// The generation broadcast of MPI calibrations (see CalibrationBroadcast.hpp).
//
// Message: int64 header [generation + 1, particles, parameters] (all 0: done), then, for a
// generation after the first, particles x parameters values and the particles' weights as doubles.
#include "mpi/CalibrationBroadcast.hpp"

#include <cstdint>
#include <vector>

#include <mpi.h>

#include "mpi/SweepWorker.hpp"

namespace p3sim::mpi {
namespace {

void broadcast_header(std::int64_t (&header)[3]) { MPI_Bcast(header, 3, MPI_INT64_T, 0, MPI_COMM_WORLD); }

void broadcast_doubles(std::vector<double>& values) {
  if (!values.empty()) MPI_Bcast(values.data(), static_cast<int>(values.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD);
}

}  // namespace

void broadcast_generation(const Calibration& calibration, int generation) {
  const std::int64_t p = static_cast<std::int64_t>(calibration.priors().size());
  std::int64_t header[3] = {generation + 1, 0, p};
  std::vector<double> values, weights;
  if (generation > 0) {
    const AbcGeneration& previous = calibration.generations().at(static_cast<std::size_t>(generation - 1));
    header[1] = previous.size();
    values = previous.values;
    weights = previous.weights;
  }
  broadcast_header(header);
  broadcast_doubles(values);
  broadcast_doubles(weights);
}

void broadcast_done() {
  std::int64_t header[3] = {0, 0, 0};
  broadcast_header(header);
}

void serve_calibration(const Calibration* calibration, const std::string& setup_error, int threads,
                       const std::atomic<bool>* interrupt) {
  for (;;) {
    std::int64_t header[3] = {0, 0, 0};
    broadcast_header(header);
    if (header[0] == 0) return;
    const int generation = static_cast<int>(header[0] - 1);
    AbcGeneration previous;
    previous.values.resize(static_cast<std::size_t>(header[1] * header[2]));
    previous.weights.resize(static_cast<std::size_t>(header[1]));
    broadcast_doubles(previous.values);
    broadcast_doubles(previous.weights);
    if (calibration == nullptr) {
      serve_sweep(setup_error, threads, {}, interrupt);
      continue;
    }
    const double stay = calibration->spec().abc.stay_probability;
    const Proposal proposal = generation == 0 ? Proposal(calibration->priors(), stay)
                                              : Proposal(calibration->priors(), stay, previous);
    serve_sweep("", threads, [&](std::int64_t id) { return calibration->run_job(proposal, generation, id); },
                interrupt);
  }
}

}  // namespace p3sim::mpi
