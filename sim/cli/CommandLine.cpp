#include "cli/CommandLine.hpp"

#include <filesystem>

#include "io/Provenance.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim::cli {
namespace {
std::string& stored() {
  static std::string line;
  return line;
}
}  // namespace

void set_command_line(int argc, char** argv) { stored() = join_command_line(argc, argv); }

const std::string& command_line() { return stored(); }

void check_output_path(const std::string& path, bool overwrite) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  if (fs::exists(p) && !overwrite)
    throw InputError({ValidationError{"output_exists", path, "", "a path that does not exist yet (or --overwrite)",
                                      "an existing file", "pass --overwrite to replace it", 0, 0}});
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir))
    throw InputError({ValidationError{"output_directory", path, "", "an existing directory for the output file",
                                      "no directory " + dir.string(), "", 0, 0}});
}

}  // namespace p3sim::cli
