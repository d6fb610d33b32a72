// The whole p3sim command line as one function, so that the program and the fuzz targets that
// drive a command end to end (fuzz/fuzz_command_*.cpp) run the same code: parses arguments with
// CLI11 and maps failures to exit codes (0 success, 1 runtime failure, 2 bad input, 128 + signal
// when stopped).
#include "cli/Main.hpp"

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "Version.hpp"
#include "cli/CommandLine.hpp"
#include "cli/Commands.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim::cli {

int run_main(int argc, char** argv) {
  set_command_line(argc, argv);
  CLI::App app{"p3sim: agent-based simulation of multi-sector partnerships", "p3sim"};
  app.set_version_flag("--version", std::string(kVersion) + " (" + kGitCommit + ")");
  app.require_subcommand(1);
  add_run_command(app);
  add_validate_command(app);
  add_schema_command(app);
  add_sweep_command(app);
  add_calibrate_command(app);
  add_compare_command(app);
  add_summarize_command(app);
  add_list_command(app);
  add_show_command(app);
  if (argc == 2 && std::string(argv[1]) == "help") {
    std::cout << app.help();
    return 0;
  }
  if (const std::string unknown = unknown_command_message(app, argc, argv); !unknown.empty()) {
    std::cerr << unknown << "\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const Stopped& e) {
    std::cerr << "p3sim: stopped: " << e.what() << "\n";
    return 128 + e.signal();
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "p3sim: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace p3sim::cli
