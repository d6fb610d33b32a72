#pragma once
// Shared by the libFuzzer targets: what counts as an expected failure.
//
// Bad input of any kind must end in InputError (which carries ValidationErrors with JSON
// Pointers). Any other exception escaping the code under test is a bug: the target aborts so that
// libFuzzer records the input as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "scenario/ValidationError.hpp"

namespace p3sim::fuzz {

/// Runs `body`; returns normally for success or InputError, aborts on any other exception.
template <class Body>
void expect_only_input_errors(const char* target, Body&& body) {
  try {
    body();
  } catch (const InputError& e) {
    if (e.errors().empty()) {
      std::fprintf(stderr, "%s: InputError without errors\n", target);
      std::abort();
    }
    for (const ValidationError& v : e.errors()) {
      if (v.id.empty() || v.expected.empty()) {
        std::fprintf(stderr, "%s: incomplete error: %s\n", target, v.format().c_str());
        std::abort();
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: unexpected exception: %s\n", target, e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "%s: unexpected non-standard exception\n", target);
    std::abort();
  }
}

inline std::string as_text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace p3sim::fuzz

// --- Whole commands (fuzz_command_*.cpp, which link p3sim_cli) ---------------------------------
//
// A command target writes its input to a file in a private temporary folder and calls
// p3sim::cli::run_main with a command line, end to end. What counts as a finding there
// (expect_clean_exit): a crash or sanitizer report (automatic), an exception escaping run_main, an
// exit code outside the target's allowed set (2, bad input, must be an InputError with a pointer:
// `FILE: /pointer: error[id]: expected ..., found ...`; 1, a runtime failure, is a finding for an
// input file unless the target allows it), a failure that does not name the file it is about, and
// raw library text in a message ("json.exception", "basic_string", "std::", ...), unless the
// fuzzer wrote that very text into its input.
#if __has_include("cli/Main.hpp")
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <iterator>
#include <sstream>
#include <system_error>
#include <vector>

#include "cli/Main.hpp"

namespace p3sim::fuzz {

/// What one command printed and returned.
struct CommandOutput {
  std::vector<std::string> args;  ///< the command line, without "p3sim"
  int code = 0;
  std::string out;  ///< std::cout and stdout (printf)
  std::string err;  ///< std::cerr and std::clog (fprintf(stderr) is not captured: the sanitizers report there)
};

/// Text of the C++ runtime or a library that must never reach a user: it means an exception of a
/// library escaped with its own what() instead of being turned into a p3sim message.
inline const std::vector<std::string>& raw_library_texts() {
  static const std::vector<std::string> texts = {
      "json.exception", "basic_string", "vector::", "std::", "stoi", "stol", "stoul", "stod", "stof",
      "bad_alloc", "bad_optional", "bad_variant", "bad_any_cast", "map::at", "unordered_map",
      "filesystem error", "out_of_range", "invalid_argument", "length_error", "bad_array_new_length",
      "H5E", "HDF5-DIAG", "H5D", "H5F", "H5A", "Eigen", "boost::", "CLI::", "terminate called"};
  return texts;
}

/// Folder of the scenario files that sweeps and the seeds name.
inline std::filesystem::path source_dir() { return std::filesystem::path(P3SIM_SOURCE_DIR); }

/// A private temporary folder, made once per process and removed at exit.
inline const std::filesystem::path& work_dir() {
  static const std::filesystem::path dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/p3sim_fuzz_XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    static std::filesystem::path removed_at_exit = templ;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(removed_at_exit, ec);
    });
    return std::filesystem::path(templ);
  }();
  return dir;
}

/// Symbolic links in `to` to every file of `from` with extension `ext` (existing links are kept).
inline void link_files(const std::filesystem::path& from, const std::filesystem::path& to, const std::string& ext) {
  std::error_code ec;
  std::filesystem::create_directories(to, ec);
  for (const auto& entry : std::filesystem::directory_iterator(from, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ext) continue;
    std::filesystem::create_symlink(entry.path(), to / entry.path().filename(), ec);
  }
}

/// The folder into which scenario and sweep inputs are written: work_dir()/tests/data/sweeps, with
/// links to every bundled scenario in it, in work_dir()/tests/data and in work_dir()/scenarios, so
/// that the scenario paths the seeds use resolve ("tiny_partnership.json" as in scenarios/,
/// "../X.json" as in scenarios/sweeps/, "../../../scenarios/X.json" as in tests/data/sweeps/).
inline const std::filesystem::path& input_dir() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path root = work_dir();
    const std::filesystem::path scenarios = source_dir() / "scenarios";
    for (const auto& to : {root / "scenarios", root / "tests" / "data", root / "tests" / "data" / "sweeps"}) {
      link_files(scenarios, to, ".json");
    }
    return root / "tests" / "data" / "sweeps";
  }();
  return dir;
}

/// Writes `bytes` to `path` (truncating); aborts if it cannot (the temporary folder is ours).
inline void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

/// Prints the command and what it printed, then aborts (libFuzzer records the input).
[[noreturn]] inline void report_finding(const char* target, const CommandOutput& c, const std::string& why) {
  std::string line = "p3sim";
  for (const std::string& a : c.args) line += " " + a;
  std::fprintf(stderr, "\n%s: FINDING: %s\n  command: %s\n  exit code: %d\n  stderr:\n%s\n  stdout (first 4000 bytes):\n%s\n",
               target, why.c_str(), line.c_str(), c.code, c.err.c_str(), c.out.substr(0, 4000).c_str());
  std::fflush(stderr);
  std::abort();
}

/// Runs `p3sim ARGS...` in-process through cli::run_main with std::cout, std::cerr, std::clog and
/// file descriptor 1 captured. An exception escaping run_main is a finding.
inline CommandOutput run_command(const char* target, std::vector<std::string> args) {
  CommandOutput c;
  c.args = args;
  args.insert(args.begin(), "p3sim");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::ostringstream out, err;
  std::streambuf* const old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* const old_err = std::cerr.rdbuf(err.rdbuf());
  std::streambuf* const old_log = std::clog.rdbuf(err.rdbuf());
  // printf() output: fd 1 goes to a file for the duration of the command.
  std::fflush(stdout);
  const std::filesystem::path stdout_file = work_dir() / "stdout.txt";
  const int saved_fd = dup(STDOUT_FILENO);
  const int file_fd = open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (saved_fd >= 0 && file_fd >= 0) dup2(file_fd, STDOUT_FILENO);
  if (file_fd >= 0) close(file_fd);
  const auto restore = [&] {
    std::fflush(stdout);
    if (saved_fd >= 0) {
      dup2(saved_fd, STDOUT_FILENO);
      close(saved_fd);
    }
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    std::clog.rdbuf(old_log);
  };
  std::string escaped;
  try {
    c.code = p3sim::cli::run_main(static_cast<int>(argv.size()) - 1, argv.data());
  } catch (const std::exception& e) {
    escaped = std::string("an exception escaped run_main: ") + e.what();
  } catch (...) {
    escaped = "a non-standard exception escaped run_main";
  }
  restore();
  c.out = read_file(stdout_file) + out.str();
  c.err = err.str();
  if (!escaped.empty()) report_finding(target, c, escaped);
  return c;
}

/// The rules of expect_clean_exit beyond the allowed exit codes.
struct ExitRules {
  /// Text the fuzzer controls (the input file, strings it wrote): a raw library text that occurs
  /// in it may be quoted back by a message and is not a finding.
  std::string input;
  /// When non-empty, a failure (exit other than 0) must name it (e.g. the file it is about).
  std::string must_name;
};

/// Checks a command's exit and messages; reports a finding (abort) when
///  - the exit code is not in `allowed` (e.g. 1, a runtime failure, for an input file),
///  - exit 2 (bad input) does not come with an `error[id]: expected ..., found ...` message,
///  - a failure does not name `rules.must_name`,
///  - stderr or stdout holds raw library text (raw_library_texts()) that the input does not.
inline void expect_clean_exit(const char* target, const CommandOutput& c, std::initializer_list<int> allowed,
                              const ExitRules& rules = {}) {
  if (std::find(allowed.begin(), allowed.end(), c.code) == allowed.end()) {
    report_finding(target, c, "exit code " + std::to_string(c.code) + " is not allowed here");
  }
  if (c.code == 2 && (c.err.find("error[") == std::string::npos || c.err.find(": expected ") == std::string::npos)) {
    report_finding(target, c, "bad input (exit 2) without an `error[id]: expected ..., found ...` message");
  }
  if (c.code != 0 && !rules.must_name.empty() && c.err.find(rules.must_name) == std::string::npos) {
    report_finding(target, c, "the failure does not name " + rules.must_name);
  }
  for (const std::string& raw : raw_library_texts()) {
    if (rules.input.find(raw) != std::string::npos) continue;
    if (c.err.find(raw) != std::string::npos) report_finding(target, c, "raw library text \"" + raw + "\" on stderr");
    if (c.out.find(raw) != std::string::npos) report_finding(target, c, "raw library text \"" + raw + "\" on stdout");
  }
}

}  // namespace p3sim::fuzz
#endif
