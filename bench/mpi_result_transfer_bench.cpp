// Benchmark of what an MPI sweep adds per run on top of simulating and writing it: encoding the
// result on the worker and decoding it on rank 0 (RunResultCodec). The message itself is timed
// end to end by sweeps of near-empty runs (docs/cluster.md, "Measurements"). The same realistic
// result as result_writer_bench: 36 steps, 12 organizations in 4 sectors, 3 dimensions, 30 events.
#include <benchmark/benchmark.h>

#include <vector>

#include "sweep/RunResultCodec.hpp"

namespace {

void BM_RunResultRoundTrip(benchmark::State& state) {
  p3sim::RunResult result;
  result.allocate(36, 4, 12, 3);
  result.status = p3sim::RunStatus::Done;
  result.events.assign(30, {5, 3, p3sim::EventKind::Exit, p3sim::Cause::Distrust, 0.5});
  std::vector<std::byte> bytes;
  for (auto _ : state) {
    bytes.clear();
    p3sim::encode_run_result(result, bytes);
    p3sim::RunResult back = p3sim::decode_run_result(bytes.data(), bytes.size());
    benchmark::DoNotOptimize(back);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));  // results per second
  state.counters["bytes_per_result"] = static_cast<double>(bytes.size());
}
BENCHMARK(BM_RunResultRoundTrip);

}  // namespace
