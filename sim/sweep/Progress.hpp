#pragma once
// Progress: the runs-done report of a long sweep, on stderr.
//
// On a terminal it redraws one bar line in place (runs done/total, runs per second, time left);
// otherwise (a log file, CI) it prints a plain line every few seconds, because carriage returns
// make logs unreadable. Disabled, it prints nothing.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>

namespace p3sim {

/// Reports sweep progress; call update() from one thread.
class Progress {
 public:
  using Clock = std::chrono::steady_clock;
  /// Where the time comes from (tests pass a fake clock).
  using Now = std::function<Clock::time_point()>;

  /// `total` runs to do now (already finished runs excluded); `enabled` false silences it.
  /// `terminal` chooses the redrawn bar over plain lines.
  Progress(std::int64_t total, bool enabled, bool terminal, std::FILE* out = stderr, Now now = Clock::now);
  /// What is counted and its rate, as printed: "runs" and "runs/s" unless told (planning counts
  /// "design points checked", "points/s").
  void set_unit(std::string unit, std::string rate_unit) {
    unit_ = std::move(unit);
    rate_unit_ = std::move(rate_unit);
  }
  /// `done` runs of `total` finished; prints at most a few times per second (bar) or every few
  /// seconds (plain).
  void update(std::int64_t done);
  /// Prints the final line (with a newline after a bar); nothing when there was nothing to do.
  void finish(std::int64_t done);
  std::int64_t total() const { return total_; }
  /// Whether anything was printed yet.
  bool shown() const { return shown_; }
  /// Runs per second so far (0 before the first run).
  double rate(std::int64_t done) const;

 private:
  void print(std::int64_t done, bool final);

  std::int64_t total_;
  bool enabled_;
  bool terminal_;
  std::FILE* out_;
  Now now_;
  Clock::time_point start_;
  Clock::time_point last_;
  bool shown_ = false;
  std::string unit_ = "runs";
  std::string rate_unit_ = "runs/s";
};

/// A duration in seconds as "1h02m", "3m05s" or "12s".
const char* format_duration(double seconds, char* buffer, std::size_t size);

}  // namespace p3sim
