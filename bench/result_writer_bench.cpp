// Benchmark of the sweep writer: the amortized cost of writing one finished run (write_run plus
// its share of block writes and close), which must stay a small fraction of simulating one
// (docs/hdf5.md, "Performance"). A realistic result: 36 steps, 12 organizations in 4 sectors,
// 3 agenda dimensions, 30 events, every series recorded.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "io/ResultWriter.hpp"

namespace {

p3sim::ResultLayout bench_layout(std::int64_t runs) {
  p3sim::ResultLayout layout;
  layout.runs = runs;
  layout.steps = 36;
  layout.sectors = {"public", "private", "civil_society", "community"};
  for (int i = 0; i < 12; ++i) {
    layout.orgs.push_back("org" + std::to_string(i));
    layout.org_sectors.push_back(i % 4);
  }
  layout.dims = {"a", "b", "c"};
  layout.params = {"/governance/mode", "/agenda/epsilon"};
  return layout;
}

// Each iteration creates a file for `runs` runs (state.range(0)), writes them all and closes it;
// items_per_second is runs written per second, file creation (preallocation) included.
void BM_WriteSweep(benchmark::State& state) {
  const std::int64_t runs = state.range(0);
  const p3sim::ResultLayout layout = bench_layout(runs);
  p3sim::RunResult result;
  result.allocate(36, 4, 12, 3);
  result.status = p3sim::RunStatus::Done;
  for (int e = 0; e < 30; ++e) result.events.push_back({e, e % 12, p3sim::EventKind::Join, p3sim::Cause::Invited, 1.0});
  const std::string path = (std::filesystem::temp_directory_path() / "p3sim_bench_writer.h5").string();
  p3sim::Provenance provenance;
  for (auto _ : state) {
    p3sim::ResultWriter writer(path, layout, provenance, true, p3sim::WriteMode::InPlace);
    for (std::int64_t run = 0; run < runs; ++run) writer.write_run(run, run, 0, result, {0.0, 1.0});
    writer.close();
  }
  state.SetItemsProcessed(runs * static_cast<std::int64_t>(state.iterations()));  // runs written per second
  std::filesystem::remove(path);
}
BENCHMARK(BM_WriteSweep)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond);

}  // namespace
