// Rank 0 of an MPI sweep (see SweepCoordinator.hpp and SweepMessages.hpp for the protocol).
#include "mpi/SweepCoordinator.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <list>
#include <map>
#include <set>
#include <string>
#include <thread>

#include <mpi.h>

#include "mpi/SweepMessages.hpp"
#include "sweep/RunResultCodec.hpp"

namespace p3sim::mpi {
namespace {

class Coordinator {
 public:
  Coordinator(const std::vector<std::int64_t>& jobs, const EnsembleSink& sink, const EnsembleOptions& options,
              bool quiet)
      : jobs_(jobs), sink_(sink), options_(options), quiet_(quiet) {
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    workers_.resize(static_cast<std::size_t>(size));
    active_ = size - 1;
  }

  EnsembleSummary run() {
    try {
      loop();
    } catch (const std::exception& e) {
      // Not the sink (its errors are kept until the workers are done): a broken protocol. The workers
      // cannot be released in order, so end the job; the file stays resumable (ResultWriter.hpp).
      std::fprintf(stderr, "p3sim: error: MPI sweep coordinator: %s\n", e.what());
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    summary_.stopped = next_out_ < static_cast<std::int64_t>(jobs_.size());
    if (sink_error_) std::rethrow_exception(sink_error_);
    return summary_;
  }

 private:
  void loop() {
    while (active_ > 0) {
      if (!stopping_ && options_.stop != nullptr && options_.stop->load()) begin_stop();
      bool busy = false;
      for (int flag = 1, n = 0; flag && n < 64; ++n) {
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
        if (flag) {
          receive(status);
          busy = true;
        }
      }
      serve_requests();
      deliver();
      reap_sends(false);
      // An idle coordinator sleeps rather than spinning in MPI: its core is usually shared with a worker.
      if (!busy) std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    reap_sends(true);
  }

  struct Worker {
    bool active = true;
    bool wants = false;  ///< has an unanswered request
    std::int64_t threads = 1;
    std::set<std::int64_t> outstanding;  ///< positions handed out, result not yet back
  };
  struct Send {
    std::vector<std::int64_t> payload;
    MPI_Request request = MPI_REQUEST_NULL;
  };

  void receive(const MPI_Status& status) {
    int bytes = 0;
    MPI_Get_count(&status, MPI_BYTE, &bytes);
    buffer_.resize(static_cast<std::size_t>(bytes));
    MPI_Recv(buffer_.data(), bytes, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    Worker& w = workers_.at(static_cast<std::size_t>(status.MPI_SOURCE));
    switch (status.MPI_TAG) {
      case kRequest:
        w.wants = true;
        if (bytes >= 8) std::memcpy(&w.threads, buffer_.data(), 8);
        break;
      case kResult: {
        std::int64_t position = 0;
        std::memcpy(&position, buffer_.data(), 8);
        RunResult result = decode_run_result(buffer_.data() + 8, buffer_.size() - 8);
        w.outstanding.erase(position);
        if (result.status == RunStatus::Failed && options_.stop_on_error) begin_stop();
        ready_.emplace(position, std::move(result));
        break;
      }
      case kSetupError:
        if (!quiet_) {
          std::fprintf(stderr, "p3sim: warning: rank %d cannot run the sweep and takes no runs: %.*s\n",
                       status.MPI_SOURCE, bytes, reinterpret_cast<const char*>(buffer_.data()));
        }
        [[fallthrough]];
      case kFinished:
        // Runs this worker was given but did not finish (it was interrupted) go to the others.
        requeued_.insert(w.outstanding.begin(), w.outstanding.end());
        w.outstanding.clear();
        w.active = false;
        w.wants = false;
        --active_;
        send(status.MPI_SOURCE, {static_cast<std::int64_t>(Order::kBye)});
        break;
      default:
        break;
    }
  }

  bool work_left() const {
    return !requeued_.empty() || next_fresh_ < static_cast<std::int64_t>(jobs_.size());
  }

  void serve_requests() {
    std::int64_t threads = 0;
    for (const Worker& w : workers_) threads += w.active ? w.threads : 0;
    // Bounds the results waiting behind a slow run: a few per thread of every worker, and at most
    // 16384 (about 180 MB of 11 KB results) however many ranks there are.
    const std::int64_t window = std::clamp<std::int64_t>(16 * threads, 64, 16384);
    for (std::size_t rank = 1; rank < workers_.size(); ++rank) {
      Worker& w = workers_[rank];
      if (!w.wants) continue;
      if (stopping_ || !work_left()) {
        send(static_cast<int>(rank), {static_cast<std::int64_t>(Order::kNoMoreWork)});
        w.wants = false;
        continue;
      }
      const std::int64_t left = static_cast<std::int64_t>(requeued_.size()) +
                                static_cast<std::int64_t>(jobs_.size()) - next_fresh_;
      const std::int64_t chunk = std::clamp<std::int64_t>(left / (2 * std::max(active_, 1)), 1, 8 * w.threads);
      std::vector<std::int64_t> order{static_cast<std::int64_t>(Order::kWork)};
      for (std::int64_t n = 0; n < chunk; ++n) {
        std::int64_t position;
        if (!requeued_.empty()) {
          position = *requeued_.begin();
          requeued_.erase(requeued_.begin());
        } else if (next_fresh_ < static_cast<std::int64_t>(jobs_.size()) && next_fresh_ < next_out_ + window) {
          position = next_fresh_++;
        } else {
          break;
        }
        order.push_back(position);
        order.push_back(jobs_[static_cast<std::size_t>(position)]);
        w.outstanding.insert(position);
      }
      if (order.size() == 1) continue;  // the window is full: answer when the oldest run is in
      send(static_cast<int>(rank), std::move(order));
      w.wants = false;
    }
  }

  void deliver() {
    for (auto it = ready_.find(next_out_); it != ready_.end() && !sink_error_ && !ended_by_failure_;
         it = ready_.find(next_out_)) {
      RunResult result = std::move(it->second);
      ready_.erase(it);
      try {
        sink_(next_out_, result);
      } catch (...) {
        sink_error_ = std::current_exception();
        begin_stop();
        return;
      }
      ++summary_.delivered;
      if (result.status == RunStatus::Failed) ++summary_.failed;
      ++next_out_;
      // As run_ensemble: with stop_on_error nothing after the first failed run (in run order) is
      // delivered, so the file does not depend on which ranks finished what meanwhile.
      if (result.status == RunStatus::Failed && options_.stop_on_error) {
        ended_by_failure_ = true;
        begin_stop();
      }
    }
  }

  void begin_stop() {
    if (stopping_) return;
    stopping_ = true;
    for (std::size_t rank = 1; rank < workers_.size(); ++rank) {
      if (workers_[rank].active) send(static_cast<int>(rank), {static_cast<std::int64_t>(Order::kStop)});
    }
  }

  // Non-blocking, so a worker busy simulating never holds the coordinator up.
  void send(int rank, std::vector<std::int64_t> payload) {
    Send& s = sends_.emplace_back();
    s.payload = std::move(payload);
    MPI_Isend(s.payload.data(), static_cast<int>(s.payload.size()), MPI_INT64_T, rank, kOrder, MPI_COMM_WORLD,
              &s.request);
  }

  void reap_sends(bool wait) {
    for (auto it = sends_.begin(); it != sends_.end();) {
      int done = 0;
      if (wait) {
        MPI_Wait(&it->request, MPI_STATUS_IGNORE);
        done = 1;
      } else {
        MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
      }
      it = done ? sends_.erase(it) : std::next(it);
    }
  }

  const std::vector<std::int64_t>& jobs_;
  const EnsembleSink& sink_;
  const EnsembleOptions& options_;
  bool quiet_;
  std::vector<Worker> workers_;  ///< indexed by rank; [0] unused
  int active_ = 0;               ///< workers that have not finished
  std::int64_t next_fresh_ = 0;  ///< next position never handed out
  std::set<std::int64_t> requeued_;
  std::map<std::int64_t, RunResult> ready_;  ///< the reorder buffer
  std::int64_t next_out_ = 0;
  bool stopping_ = false;
  bool ended_by_failure_ = false;  ///< stop_on_error: the first failed run was delivered
  std::exception_ptr sink_error_;
  EnsembleSummary summary_;
  std::list<Send> sends_;
  std::vector<std::byte> buffer_;
};

}  // namespace

EnsembleSummary coordinate_sweep(const std::vector<std::int64_t>& jobs, const EnsembleSink& sink,
                                 const EnsembleOptions& options) {
  return Coordinator(jobs, sink, options, false).run();
}

void release_workers() {
  const std::vector<std::int64_t> none;
  const EnsembleSink sink = [](std::int64_t, RunResult&) {};
  const EnsembleOptions options;
  Coordinator(none, sink, options, true).run();
}

}  // namespace p3sim::mpi
