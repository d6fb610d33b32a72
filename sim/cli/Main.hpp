#pragma once
// The p3sim command line as a function: what main() calls, and what the fuzz targets call to run
// a command end to end in-process.

namespace p3sim::cli {

/// Parses `argv` (argv[0] is the program name), runs the sub-command and returns the exit code:
/// 0 success, 1 runtime failure, 2 bad input, 128 + signal for a command stopped by SIGINT/SIGTERM.
/// Messages go to std::cout and std::cerr.
int run_main(int argc, char** argv);

}  // namespace p3sim::cli
