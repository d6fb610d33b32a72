// A worker rank of an MPI sweep (see SweepWorker.hpp and SweepMessages.hpp).
#include "mpi/SweepWorker.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <mpi.h>

#include "mpi/SweepMessages.hpp"
#include "sweep/Ensemble.hpp"
#include "sweep/RunResultCodec.hpp"

namespace p3sim::mpi {
namespace {

struct Assignment {
  std::int64_t position = 0;  ///< in the coordinator's job list
  std::int64_t job = 0;
};

// One order from rank 0, or nothing if none has arrived and `wait` is false. Waits by polling so
// that a waiting rank sleeps instead of spinning in MPI.
std::vector<std::int64_t> receive_order(bool wait) {
  int flag = 0;
  MPI_Status status;
  for (;;) {
    MPI_Iprobe(0, kOrder, MPI_COMM_WORLD, &flag, &status);
    if (flag || !wait) break;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (!flag) return {};
  int count = 0;
  MPI_Get_count(&status, MPI_INT64_T, &count);
  std::vector<std::int64_t> order(static_cast<std::size_t>(count));
  MPI_Recv(order.data(), count, MPI_INT64_T, 0, kOrder, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return order;
}

// After kFinished or kSetupError: orders still on their way (a kStop) are moot; kBye ends it.
void await_bye() {
  for (;;) {
    const std::vector<std::int64_t> order = receive_order(true);
    if (!order.empty() && order[0] == static_cast<std::int64_t>(Order::kBye)) return;
  }
}

// The runs this worker has been given, in the order received: local job i of the Ensemble is
// assignment i. Every MPI call of the process goes through here, under one mutex (the process
// asked for MPI_THREAD_SERIALIZED). Waiting never holds the mutex, so the sink can always send.
class WorkQueue {
 public:
  WorkQueue(int threads, const std::atomic<bool>* interrupt) : threads_(threads), interrupt_(interrupt) {
    std::lock_guard lock(mutex_);
    request_more();
  }

  /// Set when the Ensemble must take no more jobs.
  std::atomic<bool> halt{false};

  /// Assignment i, waiting for rank 0 if needed; nothing when there is no more work for this worker.
  std::optional<Assignment> take(std::int64_t i) {
    std::unique_lock lock(mutex_);
    for (;;) {
      poll();
      if (interrupt_ != nullptr && interrupt_->load()) stopped_ = true;
      if (!stopped_ && i < static_cast<std::int64_t>(assigned_.size())) {
        taken_ = std::max(taken_, i + 1);
        // Ask for the next chunk while this one still keeps every thread busy.
        if (static_cast<std::int64_t>(assigned_.size()) - taken_ < 4 * threads_) request_more();
        return assigned_[static_cast<std::size_t>(i)];
      }
      if (stopped_ || no_more_) {
        halt = true;
        return std::nullopt;
      }
      request_more();
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      lock.lock();
    }
  }

  /// Sends result i (position and encoded result) to rank 0 without waiting for it to arrive: a
  /// blocking send of a large message waits (spinning) for rank 0 to match it, while the Ensemble's
  /// bounded window holds every thread of this rank up behind it.
  void send_result(std::int64_t i, const RunResult& result) {
    std::lock_guard lock(mutex_);
    reap_sends();
    std::vector<std::byte>& message = sends_.emplace_back().bytes;
    const std::int64_t position = assigned_.at(static_cast<std::size_t>(i)).position;
    const auto* p = reinterpret_cast<const std::byte*>(&position);
    message.insert(message.end(), p, p + sizeof position);
    encode_run_result(result, message);
    MPI_Isend(message.data(), static_cast<int>(message.size()), MPI_BYTE, 0, kResult, MPI_COMM_WORLD,
              &sends_.back().request);
  }

  /// Tells rank 0 this worker is done, once every result has arrived. Call after the Ensemble ends.
  void finish() {
    std::unique_lock lock(mutex_);
    while (!reap_sends()) {
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      lock.lock();
    }
    MPI_Send(nullptr, 0, MPI_BYTE, 0, kFinished, MPI_COMM_WORLD);
  }

 private:
  void poll() {
    for (std::vector<std::int64_t> order = receive_order(false); !order.empty(); order = receive_order(false)) {
      apply(order);
    }
  }

  void apply(const std::vector<std::int64_t>& order) {
    switch (static_cast<Order>(order.at(0))) {
      case Order::kWork:
        for (std::size_t k = 1; k + 1 < order.size(); k += 2) assigned_.push_back({order[k], order[k + 1]});
        requested_ = false;
        break;
      case Order::kNoMoreWork:
        no_more_ = true;
        requested_ = false;
        break;
      case Order::kStop:
        stopped_ = true;
        break;
      case Order::kBye:
        break;
    }
  }

  // Forgets the sends that have completed; true when none is left.
  bool reap_sends() {
    for (auto it = sends_.begin(); it != sends_.end();) {
      int done = 0;
      MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
      it = done ? sends_.erase(it) : std::next(it);
    }
    return sends_.empty();
  }

  void request_more() {
    if (requested_ || no_more_ || stopped_) return;
    const std::int64_t threads = threads_;
    MPI_Send(&threads, 1, MPI_INT64_T, 0, kRequest, MPI_COMM_WORLD);
    requested_ = true;
  }

  std::mutex mutex_;
  const int threads_;
  const std::atomic<bool>* interrupt_;
  std::vector<Assignment> assigned_;
  std::int64_t taken_ = 0;
  bool requested_ = false;
  bool no_more_ = false;
  bool stopped_ = false;
  struct Send {
    std::vector<std::byte> bytes;
    MPI_Request request = MPI_REQUEST_NULL;
  };
  std::list<Send> sends_;  ///< results on their way to rank 0
};

// The failing-rank test hook (SweepWorker.hpp). Reads the environment once.
class DieHook {
 public:
  DieHook() {
    const char* after = std::getenv("P3SIM_TEST_MPI_DIE_AFTER");
    if (after == nullptr) return;
    const char* which = std::getenv("P3SIM_TEST_MPI_DIE_RANK");
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == (which != nullptr ? std::atoi(which) : 1)) after_ = std::atoll(after);
  }
  void sent_one() {
    if (after_ >= 0 && ++sent_ >= after_) std::raise(SIGKILL);
  }

 private:
  long long after_ = -1;
  long long sent_ = 0;
};

}  // namespace

void serve_sweep(const std::string& setup_error, int threads, const std::function<RunResult(std::int64_t)>& job,
                 const std::atomic<bool>* interrupt) {
  if (!setup_error.empty()) {
    MPI_Send(setup_error.data(), static_cast<int>(setup_error.size()), MPI_BYTE, 0, kSetupError, MPI_COMM_WORLD);
    await_bye();
    return;
  }
  WorkQueue queue(threads, interrupt);
  DieHook die;
  EnsembleOptions options;
  options.threads = threads;
  options.stop = &queue.halt;
  run_ensemble(
      std::numeric_limits<std::int64_t>::max() / 2,
      [&](std::int64_t i) {
        const std::optional<Assignment> a = queue.take(i);
        if (!a) return RunResult{};  // status Pending: nothing to run, nothing to send
        return job(a->job);
      },
      [&](std::int64_t i, RunResult& result) {
        if (result.status == RunStatus::Pending) return;
        queue.send_result(i, result);
        die.sent_one();
      },
      options);
  queue.finish();
  await_bye();
}

}  // namespace p3sim::mpi
