// libFuzzer target: `p3sim run IN.json --steps 12 --seed 1 -o OUT.h5 --overwrite --quiet`, then
// `p3sim run IN.json --steps 12 --seed 1 --json`, end to end (cli::run_main). --steps 12 keeps an
// input fast whatever steps it declares (a scenario may still declare a large population; a valid
// slow input is judged by -timeout). Allowed: exit 0 and 2 (bad input with pointered errors); exit
// 1 is a finding (a runtime failure on a local temporary folder), and so is a --json run that
// disagrees with the first about whether the input is valid.
#include <cstddef>
#include <cstdint>

#include "FuzzCommon.hpp"

namespace fz = p3sim::fuzz;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fz::input_dir();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const char* const target = "fuzz_command_run";
  const std::string text = fz::as_text(data, size);
  const std::string in = (fz::input_dir() / "fuzz_input.json").string();
  const std::string out = (fz::work_dir() / "run.h5").string();
  fz::write_file(in, text);
  const fz::CommandOutput a = fz::run_command(
      target, {"run", in, "--steps", "12", "--seed", "1", "-o", out, "--overwrite", "--quiet"});
  fz::expect_clean_exit(target, a, {0, 2}, {text, ""});
  const fz::CommandOutput b = fz::run_command(target, {"run", in, "--steps", "12", "--seed", "1", "--json"});
  fz::expect_clean_exit(target, b, {0, 2}, {text, ""});
  if (a.code != b.code) fz::report_finding(target, b, "exit " + std::to_string(a.code) + " without --json");
  if (b.code == 0 && (b.out.empty() || b.out.front() != '{')) fz::report_finding(target, b, "--json printed no JSON");
  return 0;
}
