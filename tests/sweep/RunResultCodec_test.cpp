// The RunResult byte encoding: every field survives the round trip bit for bit (NaN payloads,
// negative zero, events, messages), failed results stay small, and damaged buffers are refused.
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <gtest/gtest.h>

#include "sweep/RunResultCodec.hpp"

namespace p3sim {
namespace {

RunResult sample() {
  RunResult r;
  r.allocate(5, 2, 3, 2);
  r.seed = 0xfedcba9876543210ull;
  r.status = RunStatus::Done;
  double x = -2.5;
  for (auto* v : {&r.series, &r.sector_series, &r.final_metrics, &r.org_fields, &r.org_vectors}) {
    for (double& d : *v) d = (x += 0.37);
  }
  r.series[1] = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t payload = 0x7ff8000000abcdefull;  // a NaN with a payload of its own
  std::memcpy(&r.final_metrics[2], &payload, sizeof payload);
  r.org_fields[0] = -0.0;
  r.events = {{0, -1, EventKind::Phase, Cause::Scope, 0.0}, {3, 2, EventKind::Exit, Cause::Distrust, 0.25}};
  return r;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

RunResult round_trip(const RunResult& r) {
  std::vector<std::byte> bytes;
  encode_run_result(r, bytes);
  return decode_run_result(bytes.data(), bytes.size());
}

TEST(RunResultCodec, RoundTripKeepsEveryBit) {
  const RunResult r = sample();
  const RunResult back = round_trip(r);
  EXPECT_EQ(back.seed, r.seed);
  EXPECT_EQ(back.status, r.status);
  EXPECT_EQ(back.steps, 5);
  EXPECT_EQ(back.sectors, 2);
  EXPECT_EQ(back.orgs, 3);
  EXPECT_EQ(back.dims, 2);
  EXPECT_TRUE(same_bits(back.series, r.series));
  EXPECT_TRUE(same_bits(back.sector_series, r.sector_series));
  EXPECT_TRUE(same_bits(back.final_metrics, r.final_metrics));
  EXPECT_TRUE(same_bits(back.org_fields, r.org_fields));
  EXPECT_TRUE(same_bits(back.org_vectors, r.org_vectors));
  ASSERT_EQ(back.events.size(), 2u);
  EXPECT_EQ(back.events[1].step, 3);
  EXPECT_EQ(back.events[1].org, 2);
  EXPECT_EQ(back.events[1].kind, EventKind::Exit);
  EXPECT_EQ(back.events[1].cause, Cause::Distrust);
  EXPECT_EQ(back.events[1].value, 0.25);
  EXPECT_EQ(back.events[0].org, -1);
}

TEST(RunResultCodec, FailedResultCarriesSeedAndMessageOnly) {
  RunResult failed;
  failed.seed = 42;
  failed.status = RunStatus::Failed;
  failed.message = "scenario exploded: caf\xc3\xa9";
  std::vector<std::byte> bytes;
  encode_run_result(failed, bytes);
  EXPECT_LT(bytes.size(), 128u);
  const RunResult back = decode_run_result(bytes.data(), bytes.size());
  EXPECT_EQ(back.status, RunStatus::Failed);
  EXPECT_EQ(back.seed, 42u);
  EXPECT_EQ(back.message, failed.message);
  EXPECT_TRUE(back.series.empty() && back.events.empty());
}

TEST(RunResultCodec, AppendsAfterWhatIsAlreadyInTheBuffer) {
  std::vector<std::byte> bytes(8, std::byte{0x11});  // e.g. a message header
  encode_run_result(sample(), bytes);
  const RunResult back = decode_run_result(bytes.data() + 8, bytes.size() - 8);
  EXPECT_EQ(back.seed, sample().seed);
}

TEST(RunResultCodec, RefusesDamagedBuffers) {
  std::vector<std::byte> bytes;
  encode_run_result(sample(), bytes);
  auto message = [](const std::vector<std::byte>& b) {
    try {
      decode_run_result(b.data(), b.size());
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, std::size_t{40}, bytes.size() - 1}) {
    const std::vector<std::byte> truncated(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
    EXPECT_NE(message(truncated).find("expected an encoded RunResult"), std::string::npos) << cut;
  }
  std::vector<std::byte> longer = bytes;
  longer.push_back(std::byte{0});
  EXPECT_EQ(message(longer), "RunResult decoding: expected an encoded RunResult, found 1 bytes after its end");
  std::vector<std::byte> swapped = bytes;
  std::swap(swapped[0], swapped[3]);
  EXPECT_NE(message(swapped).find("another magic number"), std::string::npos);
  std::vector<std::byte> reshaped = bytes;
  reshaped[4 + 4 + 8 + 1] = std::byte{9};  // steps: 5 -> 9, so the series length no longer fits
  EXPECT_NE(message(reshaped).find("series of a length that does not match the shape"), std::string::npos);
}

}  // namespace
}  // namespace p3sim
