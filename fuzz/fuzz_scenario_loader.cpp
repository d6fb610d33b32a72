// libFuzzer target: bytes -> JSON text -> parse -> load_scenario (validation, defaults, pitfalls,
// build). Only InputError may come out; a crash, hang, sanitizer report or other exception is a bug.
#include <cstddef>
#include <cstdint>

#include "FuzzCommon.hpp"
#include "scenario/JsonReader.hpp"
#include "scenario/ScenarioLoader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = p3sim::fuzz::as_text(data, size);
  p3sim::fuzz::expect_only_input_errors("fuzz_scenario_loader", [&] {
    const p3sim::JsonReadResult read = p3sim::parse_json_text(text, "fuzz.json");
    if (!read.parsed || !read.errors.empty()) {
      for (const auto& e : read.errors) {
        if (e.id.empty()) std::abort();
      }
      return;
    }
    const p3sim::Scenario s = p3sim::load_scenario(read.value, "fuzz.json");
    if (s.organization_count() < 1) std::abort();
  });
  return 0;
}
