#pragma once
// MpiSession: MPI initialized for the lifetime of the object (only in builds with P3SIM_MPI).
//
// p3sim initializes MPI only when a launcher (mpirun, mpiexec, srun) started it, so the MPI-enabled
// binary run on its own behaves exactly like the normal one: no MPI_Init, no daemon, no delay.
#include <functional>

namespace p3sim::mpi {

/// MPI_Init_thread(MPI_THREAD_SERIALIZED) on construction, MPI_Finalize on destruction.
class MpiSession {
 public:
  /// True when an MPI launcher started this process (its environment names a rank).
  static bool launched();

  /// Throws std::runtime_error when MPI cannot provide MPI_THREAD_SERIALIZED (the workers' threads
  /// call MPI one at a time, under a lock).
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  /// This process's rank in MPI_COMM_WORLD (0 is the coordinator).
  int rank() const { return rank_; }
  /// Number of ranks in MPI_COMM_WORLD.
  int size() const { return size_; }

 private:
  int rank_ = 0;
  int size_ = 1;
};

/// How a command runs under an MPI launcher with more than one rank: MPI is initialized, rank 0
/// runs `coordinator` and every other rank `worker`, then MPI is finalized and the result is true.
/// Without a launcher, or with one rank, nothing is initialized and the result is false: the
/// command then runs on its own threads.
bool run_on_ranks(const std::function<void()>& coordinator, const std::function<void()>& worker);

}  // namespace p3sim::mpi
