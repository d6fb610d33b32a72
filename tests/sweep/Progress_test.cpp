// Progress: what a sweep prints on stderr, driven by a fake clock.
#include "sweep/Progress.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace p3sim {
namespace {

using namespace std::chrono_literals;

/// Captures what a Progress prints, with a clock the test moves by hand.
struct Capture {
  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&text, &size);
  Progress::Clock::time_point now{};

  Progress make(std::int64_t total, bool enabled, bool terminal) {
    return Progress(total, enabled, terminal, out, [this] { return now; });
  }
  std::string printed() {
    std::fflush(out);
    return std::string(text, size);
  }
  ~Capture() {
    std::fclose(out);
    std::free(text);
  }
};

TEST(Progress, PrintsAPlainLineEveryFiveSecondsWhenNotATerminal) {
  Capture c;
  Progress p = c.make(1000, true, false);
  c.now += 1s;
  p.update(50);
  EXPECT_EQ(c.printed(), "") << "nothing before five seconds";
  c.now += 4s;
  p.update(250);  // 250 runs in 5 s: 50 runs/s, 750 left: 15 s
  EXPECT_EQ(c.printed(), "250/1000 runs (25%), 50.0 runs/s, 15s left\n");
  c.now += 2s;
  p.update(300);
  EXPECT_EQ(c.printed(), "250/1000 runs (25%), 50.0 runs/s, 15s left\n") << "next line only 5 s later";
  c.now += 3s;
  p.update(500);
  p.finish(1000);
  EXPECT_EQ(c.printed(),
            "250/1000 runs (25%), 50.0 runs/s, 15s left\n"
            "500/1000 runs (50%), 50.0 runs/s, 10s left\n"
            "1000/1000 runs (100%), 100.0 runs/s, 0s left\n");
}

TEST(Progress, RedrawsOneBarLineOnATerminal) {
  Capture c;
  Progress p = c.make(200, true, true);
  c.now += 100ms;
  p.update(10);
  EXPECT_EQ(c.printed(), "") << "at most five redraws a second";
  c.now += 400ms;
  p.update(100);  // half done in 0.5 s
  const std::string half = "\r[###############...............] 100/200 runs  200.0 runs/s  1s left ";
  EXPECT_EQ(c.printed(), half);
  c.now += 500ms;
  p.finish(200);
  EXPECT_EQ(c.printed(), half + "\r[##############################] 200/200 runs  200.0 runs/s  0s left \n");
}

TEST(Progress, SaysTimeLeftIsUnknownBeforeTheFirstRun) {
  Capture c;
  Progress p = c.make(10, true, false);
  c.now += 6s;
  p.update(0);
  EXPECT_EQ(c.printed(), "0/10 runs (0%), 0.0 runs/s, ? left\n");
  EXPECT_EQ(p.rate(0), 0.0);
}

TEST(Progress, PrintsNothingWhenDisabled) {
  Capture c;
  Progress p = c.make(10, false, true);
  c.now += 10s;
  p.update(5);
  p.finish(10);
  EXPECT_EQ(c.printed(), "");
}

TEST(Progress, FormatsDurations) {
  char b[32];
  EXPECT_STREQ(format_duration(0, b, sizeof b), "0s");
  EXPECT_STREQ(format_duration(59.4, b, sizeof b), "59s");
  EXPECT_STREQ(format_duration(61, b, sizeof b), "1m01s");
  EXPECT_STREQ(format_duration(3600 + 120 + 59, b, sizeof b), "1h02m");
  EXPECT_STREQ(format_duration(-5, b, sizeof b), "0s");
}

TEST(Progress, CountsWhatItIsTold) {
  Capture c;
  Progress p = c.make(1000, true, false);
  p.set_unit("design points checked", "points/s");
  c.now += 5s;
  p.update(250);
  EXPECT_EQ(c.printed(), "250/1000 design points checked (25%), 50.0 points/s, 15s left\n");
}

TEST(Progress, FinishingWithNothingToDoPrintsNothing) {
  // --resume of a finished sweep has 0 runs to do: "0/0 runs (100%), 0.0 runs/s, ? left" said nothing useful.
  Capture c;
  Progress p = c.make(0, true, false);
  c.now += 6s;
  p.finish(0);
  EXPECT_EQ(c.printed(), "");
}

}  // namespace
}  // namespace p3sim
