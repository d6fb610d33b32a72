#pragma once
// Hand-built layouts and results for the io tests: every value distinct, so that a value written to
// the wrong row, column or dataset cannot go unnoticed.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "io/Provenance.hpp"
#include "io/ResultLayout.hpp"
#include "result/RunResult.hpp"

namespace p3sim::test {

/// Three sectors, four organizations, two agenda dimensions, three parameters.
inline ResultLayout sample_layout(std::int64_t runs = 3, int steps = 36) {
  ResultLayout l;
  l.runs = runs;
  l.steps = steps;
  l.sectors = {"public", "private", "civil_society"};
  l.orgs = {"Ministry", "Cooperative", "Exporter", "Foundation"};
  l.org_sectors = {0, 2, 1, 2};
  l.dims = {"coverage", "income"};
  l.params = {"/governance/mode", "/organizations/*/disclosure", "pitfall:hidden_incentives"};
  return l;
}

/// Run `run` of `layout`, Done, with distinct values everywhere: value = run * 1e6 + position + 0.5
/// (integer org fields get small distinct integers) and 2 + run events.
inline RunResult sample_result(std::int64_t run, const ResultLayout& layout) {
  RunResult r;
  r.allocate(layout.steps, static_cast<int>(layout.sectors.size()), static_cast<int>(layout.orgs.size()),
             static_cast<int>(layout.dims.size()));
  r.seed = 0xF000000000000000ULL + static_cast<std::uint64_t>(run);  // above 2^63: tests unsigned storage
  r.status = RunStatus::Done;
  const double base = static_cast<double>(run) * 1e6;
  for (std::size_t i = 0; i < r.series.size(); ++i) r.series[i] = base + static_cast<double>(i) + 0.5;
  for (std::size_t i = 0; i < r.sector_series.size(); ++i)
    r.sector_series[i] = base + 1e5 + static_cast<double>(i) + 0.5;
  for (std::size_t i = 0; i < r.final_metrics.size(); ++i)
    r.final_metrics[i] = base + 2e5 + static_cast<double>(i) + 0.5;
  for (std::size_t i = 0; i < r.org_vectors.size(); ++i) r.org_vectors[i] = base + 3e5 + static_cast<double>(i) + 0.5;
  for (int i = 0; i < r.orgs; ++i) {
    r.at_org(kOMember, i) = (i + run) % 2;
    r.at_org(kOJoinedStep, i) = static_cast<double>(i + run);
    r.at_org(kOExitStep, i) = (i + run) % 2 == 0 ? 10.0 + i : -1.0;
    r.at_org(kOExitCause, i) = (i + run) % 2 == 0 ? 1.0 + i : 0.0;
    for (int f = kOMeanEffort; f < kOrgFieldCount; ++f) r.at_org(f, i) = base + 4e5 + f * 100 + i + 0.5;
  }
  for (std::int64_t e = 0; e < 2 + run; ++e) {
    r.events.push_back({static_cast<std::int32_t>(e * 3 % (layout.steps + 1)), static_cast<std::int32_t>(e % 5) - 1,
                        static_cast<EventKind>(e % 8), static_cast<Cause>((e + run) % kCauseCount),
                        base + 5e5 + static_cast<double>(e) + 0.5});
  }
  return r;
}

/// Parameter values of run `run`, distinct per run and parameter.
inline std::vector<double> sample_params(std::int64_t run, const ResultLayout& layout) {
  std::vector<double> v;
  for (std::size_t p = 0; p < layout.params.size(); ++p)
    v.push_back(static_cast<double>(run) * 10 + static_cast<double>(p) + 0.25);
  return v;
}

/// Fixed provenance (fixed time, so that files can be compared byte for byte).
inline Provenance sample_provenance() {
  Provenance p;
  p.format_version = kFormatVersion;
  p.p3sim_version = "0.1.0";
  p.git_commit = "0123456789ab";
  p.created_utc = "2025-01-02T03:04:05Z";
  p.command_line = "p3sim run scenarios/tiny_partnership.json -o 'out file.h5' --seed 7";
  p.scenario_json = R"({"name": "tiny \u00e9t\u00e9", "organizations": []})";
  p.sweep_json = "";
  p.master_seed = 18446744073709551557ULL;  // largest 64-bit prime: must survive as uint64
  return p;
}

/// A per-process temporary directory, removed with everything in it when the program exits.
inline const std::filesystem::path& temp_dir() {
  struct Directory {
    std::filesystem::path path;
    ~Directory() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Directory dir{std::filesystem::temp_directory_path() / ("p3sim_io_test_" + std::to_string(::getpid()))};
  std::filesystem::create_directories(dir.path);
  return dir.path;
}

/// A fresh path in temp_dir() (removed first if it exists, with its partial file).
inline std::string temp_path(const std::string& name) {
  const std::filesystem::path path = temp_dir() / name;
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + ".partial");
  return path.string();
}

/// The whole content of a file.
inline std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace p3sim::test
