// libFuzzer target: `p3sim validate IN.json` end to end (cli::run_main). The input is written as a
// file into a private temporary folder in which the scenario paths of sweep seeds resolve
// (FuzzCommon.hpp, input_dir()), so scenario and sweep files are both exercised. Allowed: exit 0
// (valid) and 2 (bad input, with pointered errors); anything else is a finding (expect_clean_exit).
#include <cstddef>
#include <cstdint>

#include "FuzzCommon.hpp"

namespace fz = p3sim::fuzz;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fz::input_dir();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fz::as_text(data, size);
  const std::string in = (fz::input_dir() / "fuzz_input.json").string();
  fz::write_file(in, text);
  const fz::CommandOutput c = fz::run_command("fuzz_command_validate", {"validate", in});
  fz::expect_clean_exit("fuzz_command_validate", c, {0, 2}, {text, ""});
  if (c.code == 0 && c.out.find(in + ": ok") == std::string::npos) {
    fz::report_finding("fuzz_command_validate", c, "exit 0 without \"FILE: ok\"");
  }
  return 0;
}
