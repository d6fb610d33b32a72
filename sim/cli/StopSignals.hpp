#pragma once
// What SIGINT and SIGTERM do while a command works.
//
// A sweep stops gracefully: the first signal sets a flag that the planning loop and the ensemble
// poll, the file is closed in order and the command exits 128 + signal (Stopped); a second signal
// ends the process at once. A single run or comparison writes its file in a moment at the end:
// a signal then removes the half-written OUT.h5.partial and exits 128 + signal.
#include <atomic>
#include <string>

namespace p3sim::cli {

/// Installs the graceful stop handlers for the lifetime of the object (a sweep installs them
/// before it reads its file, so that no signal finds the default action) and restores the previous
/// ones, unless a signal came: a stopping command keeps them until it exits.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// Set by the first signal.
  static const std::atomic<bool>& flag();
  /// The signal that set the flag (SIGINT, SIGTERM), 0 if none.
  static int signal();
  /// Throws Stopped(signal(), message) when a signal has come.
  static void throw_if_stopped(const std::string& message);

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
};

/// While it lives, SIGINT and SIGTERM remove `partial` (the working file of an output being
/// written; call only once this process holds the output's lock, so the file is ours) and end the
/// process with 128 + signal. Restores the previous handlers.
class RemoveOnSignal {
 public:
  explicit RemoveOnSignal(const std::string& partial);
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
};

}  // namespace p3sim::cli
