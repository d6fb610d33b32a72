// libFuzzer target: `p3sim list --dir DIR` end to end (cli::run_main), DIR holding the input as
// DIR/fuzz_input.json and a link to a valid bundled scenario. A broken file must be listed as such
// without stopping the listing (ListCommand.cpp): only exit 0 is allowed, and the valid scenario
// must still be listed.
#include <cstddef>
#include <cstdint>

#include "FuzzCommon.hpp"

namespace fz = p3sim::fuzz;

namespace {

const std::filesystem::path& list_dir() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path d = fz::work_dir() / "list";
    std::filesystem::create_directories(d);
    std::filesystem::create_symlink(fz::source_dir() / "scenarios" / "tiny_partnership.json", d / "tiny_partnership.json");
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)list_dir();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const char* const target = "fuzz_command_list";
  const std::string text = fz::as_text(data, size);
  fz::write_file(list_dir() / "fuzz_input.json", text);
  const fz::CommandOutput c = fz::run_command(target, {"list", "--dir", list_dir().string()});
  fz::expect_clean_exit(target, c, {0}, {text, ""});
  if (c.out.find("tiny_partnership") == std::string::npos) {
    fz::report_finding(target, c, "the valid scenario next to the input is not listed");
  }
  return 0;
}
