// Sweep progress on stderr (see Progress.hpp).
#include "sweep/Progress.hpp"

#include <cmath>
#include <utility>

namespace p3sim {

Progress::Progress(std::int64_t total, bool enabled, bool terminal, std::FILE* out, Now now)
    : total_(total), enabled_(enabled), terminal_(terminal), out_(out), now_(std::move(now)), start_(now_()),
      last_(start_) {}

double Progress::rate(std::int64_t done) const {
  const double elapsed = std::chrono::duration<double>(now_() - start_).count();
  return elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
}

void Progress::update(std::int64_t done) {
  if (!enabled_) return;
  const auto now = now_();
  // A bar is cheap to redraw; a log line every few seconds keeps logs short.
  const auto interval = terminal_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000);
  if (now - last_ < interval) return;
  last_ = now;
  print(done, false);
}

void Progress::finish(std::int64_t done) {
  if (!enabled_ || total_ == 0) return;
  print(done, true);
}

void Progress::print(std::int64_t done, bool final) {
  shown_ = true;
  const double r = rate(done);
  char left[32] = "?";
  if (r > 0) format_duration(static_cast<double>(total_ - done) / r, left, sizeof left);
  const double fraction = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  if (terminal_) {
    constexpr int kWidth = 30;
    char bar[kWidth + 1];
    const int filled = static_cast<int>(fraction * kWidth);
    for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kWidth] = '\0';
    std::fprintf(out_, "\r[%s] %lld/%lld %s  %.1f %s  %s left ", bar, static_cast<long long>(done),
                 static_cast<long long>(total_), unit_.c_str(), r, rate_unit_.c_str(), left);
    if (final) std::fputc('\n', out_);
  } else {
    std::fprintf(out_, "%lld/%lld %s (%.0f%%), %.1f %s, %s left\n", static_cast<long long>(done),
                 static_cast<long long>(total_), unit_.c_str(), 100.0 * fraction, r, rate_unit_.c_str(), left);
  }
  std::fflush(out_);
}

const char* format_duration(double seconds, char* buffer, std::size_t size) {
  const long s = std::lround(seconds < 0 ? 0 : seconds);
  if (s >= 3600) {
    std::snprintf(buffer, size, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  } else if (s >= 60) {
    std::snprintf(buffer, size, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buffer, size, "%lds", s);
  }
  return buffer;
}

}  // namespace p3sim
