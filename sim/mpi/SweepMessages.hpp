#pragma once
// SweepMessages: the protocol between the sweep coordinator (rank 0) and its workers (ranks > 0).
//
//   worker -> 0   kRequest   int64 threads          "send me runs" (at most one outstanding)
//   0 -> worker   kOrder     int64 kind, then (position, job) pairs for kWork
//   worker -> 0   kResult    int64 position, then the RunResultCodec bytes of the result
//   worker -> 0   kFinished  nothing                 "I have sent every result I will send"
//   worker -> 0   kSetupError  the message (chars)   "I cannot run this sweep" (e.g. file missing)
//   0 -> worker   kOrder kBye                        last message to a worker after kFinished
//
// `position` indexes the coordinator's list of jobs (runs still to do, in run order) and `job` is
// the run index. Messages between two ranks arrive in the order sent (MPI's non-overtaking rule), so
// a kStop sent before kBye is always seen first.
#include <cstdint>

namespace p3sim::mpi {

enum Tag : int { kRequest = 1, kOrder = 2, kResult = 3, kFinished = 4, kSetupError = 5 };

enum class Order : std::int64_t {
  kWork = 0,        ///< (position, job) pairs follow
  kNoMoreWork = 1,  ///< nothing left: finish the runs you hold, then send kFinished
  kStop = 2,        ///< stopping: drop runs not started, finish those running, then send kFinished
  kBye = 3          ///< the coordinator has your kFinished; finalize
};

}  // namespace p3sim::mpi
