// libFuzzer target: `--set` texts. The input is split at newlines: every line is one --set text,
// (or, "!NAME", a --pitfall) applied to a small valid scenario through the whole loading pipeline (parse_set_override,
// apply_set_override, validation with --set labels). Only InputError may come out.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "FuzzCommon.hpp"
#include "scenario/JsonPatch.hpp"
#include "scenario/ScenarioLoader.hpp"

namespace {

const nlohmann::ordered_json& base_scenario() {
  static const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(R"({
    "name": "fuzz", "steps": 3,
    "agenda": {"dimensions": ["a", "b"]},
    "capabilities": {"funding": {"need": 1.0, "weight": 1.0, "channel": "payments"},
                     "reach": {"need": 0.5, "weight": 1.0, "channel": "reputation"}},
    "organizations": [
      {"name": "Gov", "sector": "government", "goal": [0.3, 0.5], "capabilities": {"funding": 1.0}},
      {"name": "Biz", "sector": "business", "goal": [0.6, 0.1], "capabilities": {"funding": 0.5}},
      {"name": "Ngo", "sector": "civil_society", "goal": [0.9, 0.2], "capabilities": {"reach": 0.8}}
    ],
    "governance": {"mode": "backbone", "lead": "Gov"},
    "population": {"units": 50, "degree": 4},
    "goal": {"metric": "adopters", "target": 20}
  })");
  return doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = p3sim::fuzz::as_text(data, size);
  p3sim::ScenarioEdits edits;
  std::istringstream lines(text);
  // A line "!NAME" is a --pitfall NAME instead (pitfalls are applied after the overrides).
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() == '!') {
      edits.pitfalls.push_back(line.substr(1));
    } else {
      edits.sets.push_back(line);
    }
  }
  p3sim::fuzz::expect_only_input_errors("fuzz_set_override", [&] {
    if (!edits.sets.empty()) {
      // The parser alone, on the first text.
      try {
        const p3sim::SetOverride o = p3sim::parse_set_override(edits.sets.front());
        if (o.path.empty() || o.path.front() != '/') std::abort();
      } catch (const p3sim::InputError&) {
      }
    }
    (void)p3sim::load_scenario(base_scenario(), "fuzz.json", edits);
  });
  return 0;
}
