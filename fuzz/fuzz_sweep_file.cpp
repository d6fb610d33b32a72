// libFuzzer target: bytes -> JSON text -> load_sweep -> SweepPlan (design points drawn, one
// scenario loaded per point). Only InputError may come out. A relative scenario path is resolved
// against tests/data/sweeps, so seeds that name a scenario file keep working.
#include <cstddef>
#include <cstdint>

#include "FuzzCommon.hpp"
#include "sweep/Design.hpp"
#include "sweep/SweepFile.hpp"
#include "sweep/SweepPlan.hpp"
#include "scenario/JsonReader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = p3sim::fuzz::as_text(data, size);
  p3sim::fuzz::expect_only_input_errors("fuzz_sweep_file", [&] {
    const p3sim::JsonReadResult read = p3sim::parse_json_text(text, "fuzz_sweep.json");
    if (!read.parsed || !read.errors.empty()) return;
    p3sim::SweepSpec spec = p3sim::load_sweep(read.value, "fuzz_sweep.json", P3SIM_SOURCE_DIR "/tests/data/sweeps");
    (void)spec.json_text();
    // Bounded work per input: the plan loads one scenario per design point (about 1 ms each at -O2,
    // 5 ms here), so a valid sweep of a few thousand points is slow by design, not a hang. Failing
    // sweeps stop after SweepErrors::kMaxFailedLoads failed loads whatever their size.
    if (spec.replications > 1000) return;
    if (p3sim::design_point_count(spec.parameters, spec.design) * static_cast<std::int64_t>(spec.pitfall_sets.size()) >
        256)
      return;
    const p3sim::SweepPlan plan(std::move(spec));
    if (plan.runs() > 0) (void)plan.run(plan.runs() - 1);
    (void)plan.layout();
  });
  return 0;
}
