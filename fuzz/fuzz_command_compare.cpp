// libFuzzer target: `p3sim compare IN.json --vary /trust/gain=0.1,0.2 -r 2 --seed 1 --threads 1
// --json -o OUT.h5 --overwrite --set /steps=12`, end to end (cli::run_main), then
// `p3sim summarize OUT.h5 --json` on the file it wrote. /trust/gain has a default, so it exists in
// every valid scenario; --set /steps=12 keeps an input fast. Allowed: compare exits 0 or 2 (bad
// input with pointered errors); summarize of the file compare just wrote must exit 0.
#include <cstddef>
#include <cstdint>

#include "FuzzCommon.hpp"

namespace fz = p3sim::fuzz;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fz::input_dir();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const char* const target = "fuzz_command_compare";
  const std::string text = fz::as_text(data, size);
  const std::string in = (fz::input_dir() / "fuzz_input.json").string();
  const std::string out = (fz::work_dir() / "compare.h5").string();
  fz::write_file(in, text);
  const fz::CommandOutput c = fz::run_command(
      target, {"compare", in, "--vary", "/trust/gain=0.1,0.2", "-r", "2", "--seed", "1", "--threads", "1", "--json",
               "-o", out, "--overwrite", "--set", "/steps=12"});
  fz::expect_clean_exit(target, c, {0, 2}, {text, ""});
  if (c.code != 0) return 0;
  const fz::CommandOutput s = fz::run_command(target, {"summarize", out, "--json"});
  fz::expect_clean_exit(target, s, {0}, {text, out});
  return 0;
}
