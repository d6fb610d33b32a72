#pragma once
// Helpers shared by the sub-commands.
#include <string>

#include <CLI/CLI.hpp>

#include "scenario/ValidationError.hpp"

namespace p3sim::cli {

/// The command line as typed (for provenance).
const std::string& command_line();
void set_command_line(int argc, char** argv);

/// Refuses to clobber: throws InputError (exit code 2) when `path` exists and `overwrite` is false,
/// or when its directory does not exist.
void check_output_path(const std::string& path, bool overwrite);

/// Bad input of a command line option or file, without a JSON Pointer: what main() prints as
/// "FILE: (document): error[ID]: expected EXPECTED, found FOUND" and exits 2 for.
InputError input_error(std::string id, std::string file, std::string expected, std::string found,
                       std::string hint = "");

/// Accepts a seed only as the decimal digits of a number in [0, 2^64 - 1]: CLI11 alone took "-1"
/// and 2^64 silently as 2^64 - 1.
const CLI::Validator& seed_validator();

/// When argv names no known subcommand ("p3sim swep x.json"), the message to print instead of
/// CLI11's "A subcommand is required": the unknown word and the closest command. "" otherwise.
std::string unknown_command_message(const CLI::App& app, int argc, char** argv);

}  // namespace p3sim::cli
