#pragma once
// Sub-commands of the p3sim command line. Each add_*_command registers one sub-command on the
// CLI11 app; its callback parses arguments into plain values and calls into p3sim_core.
// Exit codes (DESIGN.md): 0 success, 1 runtime failure, 2 bad input. Commands report bad input by
// throwing InputError and runtime failures by throwing any other std::exception; main() maps them.
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

namespace p3sim::cli {

/// A command stopped by SIGINT or SIGTERM after leaving its output in order: main() prints the
/// message as "p3sim: stopped: ..." and exits with 128 + the signal (130, 143), the shell's
/// convention for a process ended by a signal, rather than calling it an error.
class Stopped : public std::runtime_error {
 public:
  Stopped(int signal, const std::string& message) : std::runtime_error(message), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

void add_run_command(CLI::App& app);
void add_validate_command(CLI::App& app);
void add_schema_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_calibrate_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_summarize_command(CLI::App& app);
void add_list_command(CLI::App& app);
void add_show_command(CLI::App& app);

}  // namespace p3sim::cli
