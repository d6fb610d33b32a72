#pragma once
// ResultLayout: the shape of a p3sim result file (docs/hdf5.md) -- how many runs, how long the
// series are, which sectors, organizations, agenda dimensions and parameters it describes, and what
// is recorded. The writer creates every dataset from it before the first run finishes, so that
// datasets can be preallocated and filled row by row in bounded memory.
//
// Also OutputError, the error for anything that goes wrong creating, writing or reading such a file.
#include <algorithm>
#include <map>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "result/RunResult.hpp"

namespace p3sim {

/// A result file cannot be created, written, opened or read, or does not have the expected layout.
/// what() names the file and, where HDF5 said why, HDF5's reason. Maps to exit code 1.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Version of the file layout written to the root attribute format_version; readers refuse newer.
inline constexpr int kFormatVersion = 2;
/// The oldest version this p3sim reads (summarize, --resume). Version 2 added the replanted_* series
/// and final metrics, which every run record has; a version 1 file is read by the Python package.
inline constexpr int kOldestFormatVersion = 2;

/// How each of kOrgFields is stored in /org_final: the discrete fields (member, joined_step,
/// exit_step, exit_cause) as integers, the rest as float64.
enum class OrgFieldStorage { Float64, Int8, Int32 };
inline constexpr OrgFieldStorage kOrgFieldStorage[kOrgFieldCount] = {
    OrgFieldStorage::Int8,    OrgFieldStorage::Int32,   OrgFieldStorage::Int32,   OrgFieldStorage::Int8,
    OrgFieldStorage::Float64, OrgFieldStorage::Float64, OrgFieldStorage::Float64, OrgFieldStorage::Float64};

/// The dataset name under /params for parameter `name`: a JSON Pointer such as
/// "/governance/mode" becomes "governance.mode" (leading '/' dropped, further '/' turned into '.',
/// because '/' separates groups in HDF5). The original name is kept in the dataset's attribute
/// "parameter". Throws std::invalid_argument for a name that maps to "", "." or "..".
inline std::string param_dataset_name(const std::string& name) {
  std::string out = (!name.empty() && name.front() == '/') ? name.substr(1) : name;
  std::replace(out.begin(), out.end(), '/', '.');
  if (out.empty() || out == "." || out == "..") {
    throw std::invalid_argument("parameter name \"" + name + "\" cannot name a dataset");
  }
  return out;
}

/// Why `params` cannot all be /params datasets of one file: "" when they can, otherwise which
/// name maps to no dataset name or which two map to the same one ("/a/b" and "/a.b" are both
/// "a.b"). What the sweep and run commands check before they run, and the writer before it writes.
inline std::string param_name_clash(const std::vector<std::string>& params) {
  std::map<std::string, std::string> seen;  // dataset name -> the parameter that took it
  for (const std::string& p : params) {
    std::string name;
    try {
      name = param_dataset_name(p);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    const auto [it, added] = seen.emplace(name, p);
    if (!added) {
      return "parameters \"" + it->second + "\" and \"" + p + "\" both map to the dataset /params/" + name;
    }
  }
  return "";
}

/// The most steps a run can have (the scenario schema's maximum of /steps). A file claiming more is
/// damaged: a fuzzed `steps` attribute of 2^31 - 1 made readers allocate 8 GB of recorded steps.
inline constexpr int kMaxSteps = 100000;

/// What a result file holds. Plain value; fill it, then call validate() (the writer does).
struct ResultLayout {
  /// Number of runs (the run dimension), >= 1. Every dataset is preallocated to this many rows.
  std::int64_t runs = 1;
  /// Simulated steps per run, >= 0; a run has steps + 1 states (step 0 is the initial state).
  int steps = 0;
  /// Sector names (the sector dimension), in the scenario's order.
  std::vector<std::string> sectors;
  /// Organization names (the org dimension), in the scenario's order.
  std::vector<std::string> orgs;
  /// Sector index of each organization; same size as orgs, each in [0, sectors.size()).
  std::vector<int> org_sectors;
  /// Agenda dimension labels (the dim dimension of stated_position and goal).
  std::vector<std::string> dims;
  /// Names of the parameters recorded per run under /params (varied parameters, pitfall flags);
  /// may be empty. See param_dataset_name() for how a name becomes a dataset name.
  std::vector<std::string> params;
  /// Series recorded under /series (names from kSeriesMetrics, any order, no duplicates). A sector
  /// series (kSectorSeriesMetrics) is recorded under /series_by_sector when its name is listed.
  std::vector<std::string> series{std::begin(kSeriesMetrics), std::end(kSeriesMetrics)};
  /// Record every N-th step (N >= 1): the recorded steps are 0, N, 2N, ... <= steps.
  int every = 1;
  /// Whether /events is written.
  bool events = true;

  /// The step numbers stored along the step dimension.
  std::vector<std::int32_t> recorded_steps() const {
    std::vector<std::int32_t> out;
    for (int t = 0; t <= steps; t += every) out.push_back(t);
    return out;
  }

  /// Whether series metric `name` (of kSeriesMetrics or kSectorSeriesMetrics) is recorded.
  bool records(const std::string& name) const { return std::find(series.begin(), series.end(), name) != series.end(); }

  /// The recorded series in kSeriesMetrics order (the order of the datasets in the file).
  std::vector<std::string> series_in_metric_order() const {
    std::vector<std::string> out;
    for (const char* m : kSeriesMetrics) {
      if (records(m)) out.emplace_back(m);
    }
    return out;
  }

  /// How this layout (typically read from a file) differs from `wanted`, in words, e.g.
  /// "the file has 36 steps, expected 20"; "" when the two describe the same file. The order in
  /// which series are listed does not matter.
  std::string difference(const ResultLayout& wanted) const {
    auto list = [](const std::vector<std::string>& v) {
      std::string s = "[";
      for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", \"" : "\"") + v[i] + "\"";
      return s + "]";
    };
    auto count = [](const char* what, auto have, auto want) {
      return "the file has " + std::to_string(have) + " " + what + ", expected " + std::to_string(want);
    };
    if (runs != wanted.runs) return count("runs", runs, wanted.runs);
    if (steps != wanted.steps) return count("steps", steps, wanted.steps);
    if (every != wanted.every) {
      return "the file records every " + std::to_string(every) + " steps, expected every " +
             std::to_string(wanted.every);
    }
    if (sectors != wanted.sectors) return "sectors are " + list(sectors) + ", expected " + list(wanted.sectors);
    if (orgs != wanted.orgs) return "organizations are " + list(orgs) + ", expected " + list(wanted.orgs);
    if (org_sectors != wanted.org_sectors) return "the sectors of the organizations differ";
    if (dims != wanted.dims) return "agenda dimensions are " + list(dims) + ", expected " + list(wanted.dims);
    if (params != wanted.params) return "parameters are " + list(params) + ", expected " + list(wanted.params);
    if (series_in_metric_order() != wanted.series_in_metric_order()) {
      return "recorded series are " + list(series_in_metric_order()) + ", expected " +
             list(wanted.series_in_metric_order());
    }
    if (events != wanted.events) return std::string("the file ") + (events ? "records" : "does not record") + " events";
    return "";
  }

  /// Checks that a Done result fits this layout: same steps, sectors, organizations and dimensions,
  /// arrays of the sizes allocate() gives, events with valid step, organization, kind and cause,
  /// and integer org fields (kOrgFieldStorage) holding integers in [-1, max of their type].
  /// Throws std::invalid_argument("run result does not fit the layout: ...") naming the first misfit.
  void check_result(const RunResult& r) const {
    auto misfit = [](const std::string& text) {
      throw std::invalid_argument("run result does not fit the layout: " + text);
    };
    auto same = [&](const char* what, std::size_t have, std::size_t want) {
      if (have != want) misfit(std::to_string(have) + " " + what + ", expected " + std::to_string(want));
    };
    const std::size_t states = static_cast<std::size_t>(steps) + 1;
    if (r.steps != steps) misfit(std::to_string(r.steps) + " steps, expected " + std::to_string(steps));
    same("sectors", static_cast<std::size_t>(r.sectors), sectors.size());
    same("organizations", static_cast<std::size_t>(r.orgs), orgs.size());
    same("agenda dimensions", static_cast<std::size_t>(r.dims), dims.size());
    same("series values (allocate() not called?)", r.series.size(), kSeriesCount * states);
    same("sector series values", r.sector_series.size(), kSectorSeriesCount * states * sectors.size());
    same("final metrics", r.final_metrics.size(), kFinalCount);
    same("org field values", r.org_fields.size(), kOrgFieldCount * orgs.size());
    same("org vector values", r.org_vectors.size(), kOrgVectorFieldCount * orgs.size() * dims.size());
    for (const Event& e : r.events) {
      const int kind = static_cast<int>(e.kind), cause = static_cast<int>(e.cause);
      if (e.step < 0 || e.step > steps) misfit("event at step " + std::to_string(e.step));
      if (e.org < -1 || e.org >= r.orgs) misfit("event of organization " + std::to_string(e.org));
      if (kind < 0 || kind >= static_cast<int>(std::size(kEventKindNames)))
        misfit("event kind " + std::to_string(kind));
      if (cause < 0 || cause >= kCauseCount) misfit("event cause " + std::to_string(cause));
    }
    for (int f = 0; f < kOrgFieldCount; ++f) {
      if (kOrgFieldStorage[f] == OrgFieldStorage::Float64) continue;
      const double high = kOrgFieldStorage[f] == OrgFieldStorage::Int8 ? 127.0 : 2147483647.0;
      for (int i = 0; i < r.orgs; ++i) {
        const double v = r.org_fields[static_cast<std::size_t>(f) * orgs.size() + static_cast<std::size_t>(i)];
        if (!(std::isfinite(v) && v == std::trunc(v) && v >= -1 && v <= high)) {
          misfit("org field " + std::string(kOrgFields[f]) + " of organization " + std::to_string(i) + " is " +
                 std::to_string(v) + ", expected an integer in [-1, " + std::to_string(static_cast<long>(high)) + "]");
        }
      }
    }
  }

  /// Throws std::invalid_argument describing the first inconsistency (ranges above, unknown or
  /// duplicate series, parameter names that collide once mapped to dataset names).
  void validate() const {
    auto bad = [](const std::string& text) { throw std::invalid_argument("result layout: " + text); };
    if (runs < 1) bad("runs must be >= 1, found " + std::to_string(runs));
    if (steps < 0 || steps > kMaxSteps) {
      bad("steps must be in [0, " + std::to_string(kMaxSteps) + "], found " + std::to_string(steps));
    }
    if (every < 1) bad("every must be >= 1, found " + std::to_string(every));
    if (org_sectors.size() != orgs.size()) {
      bad("org_sectors has " + std::to_string(org_sectors.size()) + " entries for " + std::to_string(orgs.size()) +
          " organizations");
    }
    for (std::size_t i = 0; i < org_sectors.size(); ++i) {
      if (org_sectors[i] < 0 || static_cast<std::size_t>(org_sectors[i]) >= sectors.size()) {
        bad("organization \"" + orgs[i] + "\" has sector index " + std::to_string(org_sectors[i]) + ", expected 0.." +
            std::to_string(static_cast<long>(sectors.size()) - 1));
      }
    }
    for (std::size_t i = 0; i < series.size(); ++i) {
      if (std::find(std::begin(kSeriesMetrics), std::end(kSeriesMetrics), series[i]) == std::end(kSeriesMetrics)) {
        bad("unknown series \"" + series[i] + "\"");
      }
      if (std::find(series.begin(), series.begin() + static_cast<std::ptrdiff_t>(i), series[i]) !=
          series.begin() + static_cast<std::ptrdiff_t>(i)) {
        bad("series \"" + series[i] + "\" listed twice");
      }
    }
    if (const std::string clash = param_name_clash(params); !clash.empty()) bad(clash);
  }
};

}  // namespace p3sim
