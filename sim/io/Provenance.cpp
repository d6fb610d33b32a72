#include "io/Provenance.hpp"

#include <ctime>
#include <utility>

#include "Version.hpp"
#include "io/H5Handle.hpp"

namespace p3sim {

Provenance Provenance::current(std::string command_line, std::string scenario_json, std::string sweep_json,
                               std::uint64_t master_seed) {
  Provenance p;
  p.format_version = kFormatVersion;
  p.p3sim_version = kVersion;
  p.git_commit = kGitCommit;
  p.created_utc = iso8601_utc(std::chrono::system_clock::now());
  p.command_line = std::move(command_line);
  p.scenario_json = std::move(scenario_json);
  p.sweep_json = std::move(sweep_json);
  p.master_seed = master_seed;
  return p;
}

std::string iso8601_utc(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, n);
}

std::string join_command_line(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i] != nullptr ? argv[i] : "";
    if (i > 0) line += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of(
                                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                           "0123456789_-+=/.,:@%") == std::string::npos;
    if (plain) {
      line += arg;
      continue;
    }
    // Inside single quotes nothing is special except the quote itself: close, escape, reopen.
    line += '\'';
    for (char c : arg) line += (c == '\'') ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

void write_provenance(hid_t file, const Provenance& p) {
  const std::int32_t version = p.format_version;
  h5::write_scalar_attribute(file, "format_version", H5T_STD_I32LE, H5T_NATIVE_INT32, &version);
  h5::write_string_attribute(file, "p3sim_version", p.p3sim_version);
  h5::write_string_attribute(file, "git_commit", p.git_commit);
  h5::write_string_attribute(file, "created_utc", p.created_utc);
  h5::write_string_attribute(file, "command_line", p.command_line);
  h5::write_string_attribute(file, "scenario_json", p.scenario_json);
  h5::write_string_attribute(file, "sweep_json", p.sweep_json);
  h5::write_scalar_attribute(file, "master_seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &p.master_seed);
}

Provenance read_provenance(hid_t file) {
  Provenance p;
  std::int32_t version = 0;
  h5::read_scalar_attribute(file, "format_version", H5T_NATIVE_INT32, &version);
  p.format_version = version;
  p.p3sim_version = h5::read_string_attribute(file, "p3sim_version");
  p.git_commit = h5::read_string_attribute(file, "git_commit");
  p.created_utc = h5::read_string_attribute(file, "created_utc");
  p.command_line = h5::read_string_attribute(file, "command_line");
  p.scenario_json = h5::read_string_attribute(file, "scenario_json");
  p.sweep_json = h5::read_string_attribute(file, "sweep_json");
  h5::read_scalar_attribute(file, "master_seed", H5T_NATIVE_UINT64, &p.master_seed);
  return p;
}

}  // namespace p3sim
