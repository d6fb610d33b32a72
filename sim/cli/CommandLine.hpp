#pragma once
// Helpers shared by the sub-commands.
#include <string>

#include <CLI/CLI.hpp>

namespace p3sim::cli {

/// The command line as typed (for provenance).
const std::string& command_line();
void set_command_line(int argc, char** argv);

/// Refuses to clobber: throws InputError (exit code 2) when `path` exists and `overwrite` is false,
/// or when its directory does not exist.
void check_output_path(const std::string& path, bool overwrite);

}  // namespace p3sim::cli
