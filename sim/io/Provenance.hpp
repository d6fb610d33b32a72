#pragma once
// Provenance: what produced a result file -- program version and commit, when, from which command
// line, scenario, sweep and master seed. Stored as root attributes of every result file so that a
// file can be traced back to (and re-run from) its inputs without any side files.
#include <hdf5.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace p3sim {

/// Root attributes of a result file (docs/hdf5.md, "Root attributes").
struct Provenance {
  int format_version = 0;     ///< layout version of the file (kFormatVersion when written)
  std::string p3sim_version;  ///< p3sim::kVersion of the writing program, e.g. "0.1.0"
  std::string git_commit;     ///< p3sim::kGitCommit of the writing program, or "unknown"
  std::string created_utc;    ///< creation time, ISO 8601 UTC, e.g. "2025-03-01T14:05:09Z"
  std::string command_line;   ///< the command line, arguments shell-quoted where needed
  std::string scenario_json;  ///< the resolved scenario as JSON text
  std::string sweep_json;     ///< the sweep file as JSON text; empty for single runs
  std::uint64_t master_seed = 0;

  /// Provenance of this program now: format_version = kFormatVersion, version and commit from the
  /// generated Version.hpp, created_utc = the current time.
  static Provenance current(std::string command_line, std::string scenario_json, std::string sweep_json,
                            std::uint64_t master_seed);

  bool operator==(const Provenance&) const = default;
};

/// `time` as ISO 8601 UTC with second resolution, e.g. "2025-03-01T14:05:09Z".
std::string iso8601_utc(std::chrono::system_clock::time_point time);

/// argv[0..argc) joined by spaces; arguments that are empty or contain characters special to a
/// POSIX shell are single-quoted, so the result can be pasted back into a shell.
std::string join_command_line(int argc, const char* const* argv);

/// Writes `provenance` as attributes of `file`'s root group: strings as variable-length UTF-8
/// scalars, format_version as int32, master_seed as uint64. Throws OutputError.
void write_provenance(hid_t file, const Provenance& provenance);

/// Reads the attributes written by write_provenance. Throws OutputError if one is missing or of the
/// wrong kind (a file not written by p3sim).
Provenance read_provenance(hid_t file);

}  // namespace p3sim
