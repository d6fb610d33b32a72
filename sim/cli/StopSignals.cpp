// SIGINT and SIGTERM handlers of the commands (see StopSignals.hpp).
#include "cli/StopSignals.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

#include "cli/Commands.hpp"

namespace p3sim::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_stop_signal{0};  // which signal set g_stop
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free flag");

// The file RemoveOnSignal removes: a fixed buffer, since a handler may not allocate.
char g_partial[4096];

void write_stderr(const char* text) {
  [[maybe_unused]] const ssize_t ignored = write(STDERR_FILENO, text, std::strlen(text));  // async-signal-safe
}

// A second signal while stopping ends the process at once: in-flight runs are abandoned, and the
// file stays resumable because the writer keeps it valid at every moment (ResultWriter.hpp).
extern "C" void on_stop_signal(int sig) {
  if (g_stop_signal.load() == 0) g_stop_signal.store(sig);
  if (g_stop.exchange(true)) {
    write_stderr("\np3sim: second interrupt: stopping now; --resume redoes the unfinished runs\n");
    std::_Exit(128 + sig);
  }
}

extern "C" void on_signal_remove_partial(int sig) {
  if (g_partial[0] != '\0') unlink(g_partial);  // async-signal-safe
  write_stderr("\np3sim: stopped: nothing was written\n");
  std::_Exit(128 + sig);
}

}  // namespace

StopSignals::StopSignals() {
  g_stop.store(false);
  g_stop_signal.store(0);
  previous_int_ = std::signal(SIGINT, on_stop_signal);
  previous_term_ = std::signal(SIGTERM, on_stop_signal);
}

StopSignals::~StopSignals() {
  // A command stopping on a signal leaves its handler in place while it exits, so that a second
  // Ctrl-C still ends it with 128 + signal rather than the default action's death by signal (a
  // sweep stopped before any run had started reached here within milliseconds of the first).
  if (g_stop.load()) return;
  std::signal(SIGINT, previous_int_);
  std::signal(SIGTERM, previous_term_);
}

const std::atomic<bool>& StopSignals::flag() { return g_stop; }

int StopSignals::signal() { return g_stop_signal.load(); }

void StopSignals::throw_if_stopped(const std::string& message) {
  if (const int sig = g_stop_signal.load(); sig != 0) throw Stopped(sig, message);
}

RemoveOnSignal::RemoveOnSignal(const std::string& partial) {
  // A path too long for the buffer is not removed (HDF5 would have refused it anyway).
  g_partial[0] = '\0';
  if (partial.size() < sizeof g_partial) std::memcpy(g_partial, partial.c_str(), partial.size() + 1);
  previous_int_ = std::signal(SIGINT, on_signal_remove_partial);
  previous_term_ = std::signal(SIGTERM, on_signal_remove_partial);
}

RemoveOnSignal::~RemoveOnSignal() {
  std::signal(SIGINT, previous_int_);
  std::signal(SIGTERM, previous_term_);
  g_partial[0] = '\0';
}

}  // namespace p3sim::cli
