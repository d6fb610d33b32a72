// MPI start and end (see MpiSession.hpp).
#include "mpi/MpiSession.hpp"

#include <cstdlib>
#include <stdexcept>

#include <mpi.h>

namespace p3sim::mpi {

bool MpiSession::launched() {
  // Open MPI's mpirun, PMIx launchers (srun --mpi=pmix, prterun) and PMI-1/2 launchers.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

MpiSession::MpiSession() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw std::runtime_error("this MPI library does not support MPI_THREAD_SERIALIZED, which p3sim sweeps need");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

bool run_on_ranks(const std::function<void()>& coordinator, const std::function<void()>& worker) {
  if (!MpiSession::launched()) return false;
  MpiSession session;
  if (session.size() < 2) return false;
  if (session.rank() == 0) {
    coordinator();
  } else {
    worker();
  }
  return true;
}

}  // namespace p3sim::mpi
