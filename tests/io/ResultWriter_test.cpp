// ResultWriter: every dataset round-trips, dimension scales are attached, existing files are
// protected, nothing half-written is ever left at the target path, and identical results give
// identical files.
#include "io/ResultWriter.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include <sys/wait.h>
#include <unistd.h>

#include "SampleResults.hpp"
#include "io/H5Handle.hpp"
#include "io/ResultReader.hpp"

namespace p3sim {
namespace {

using test::sample_layout;
using test::sample_params;
using test::sample_provenance;
using test::sample_result;
using test::temp_path;

/// Writes runs 0..done-1 of `layout` as Done, then closes.
void write_sample(const std::string& path, const ResultLayout& layout, std::int64_t done, bool overwrite = false) {
  ResultWriter writer(path, layout, sample_provenance(), overwrite);
  for (std::int64_t run = 0; run < done; ++run) {
    writer.write_run(run, run / 2, run % 2, sample_result(run, layout), sample_params(run, layout));
  }
  writer.close();
}

void expect_same_values(const std::vector<double>& actual, const std::vector<double>& expected,
                        const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) EXPECT_EQ(actual[i], expected[i]) << what << " [" << i << "]";
}

void expect_same_run(const RunResult& actual, const RunResult& expected) {
  EXPECT_EQ(actual.seed, expected.seed);
  EXPECT_EQ(actual.status, expected.status);
  EXPECT_EQ(actual.message, expected.message);
  EXPECT_EQ(actual.steps, expected.steps);
  expect_same_values(actual.series, expected.series, "series");
  expect_same_values(actual.sector_series, expected.sector_series, "sector_series");
  expect_same_values(actual.final_metrics, expected.final_metrics, "final_metrics");
  expect_same_values(actual.org_fields, expected.org_fields, "org_fields");
  expect_same_values(actual.org_vectors, expected.org_vectors, "org_vectors");
  ASSERT_EQ(actual.events.size(), expected.events.size());
  for (std::size_t i = 0; i < actual.events.size(); ++i) {
    EXPECT_EQ(actual.events[i].step, expected.events[i].step);
    EXPECT_EQ(actual.events[i].org, expected.events[i].org);
    EXPECT_EQ(actual.events[i].kind, expected.events[i].kind);
    EXPECT_EQ(actual.events[i].cause, expected.events[i].cause);
    EXPECT_EQ(actual.events[i].value, expected.events[i].value);
  }
}

h5::Handle open_file(const std::string& path) {
  return h5::own(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
}

/// Stored type of a dataset: class, size in bytes, signedness (for integers).
struct StoredType {
  H5T_class_t type_class;
  std::size_t size;
  bool is_signed;
};
StoredType stored_type(hid_t file, const char* path) {
  h5::Handle d = h5::own(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose, path);
  h5::Handle t = h5::own(H5Dget_type(d.get()), H5Tclose, path);
  const H5T_class_t c = H5Tget_class(t.get());
  return {c, H5Tget_size(t.get()), c == H5T_INTEGER && H5Tget_sign(t.get()) == H5T_SGN_2};
}

TEST(ResultWriter, EveryDatasetRoundTrips) {
  const std::string path = temp_path("roundtrip.h5");
  const ResultLayout layout = sample_layout(5);
  {
    ResultWriter writer(path, layout, sample_provenance(), false);
    for (std::int64_t run = 0; run < 3; ++run) {
      writer.write_run(run, 100 + run, 200 + run, sample_result(run, layout), sample_params(run, layout));
    }
    RunResult failed;
    failed.seed = 77;
    failed.status = RunStatus::Failed;
    failed.message = "scenario invariant broken at step 4: trust 1.2 > 1";
    writer.write_run(3, 103, 203, failed, sample_params(3, layout));
    EXPECT_EQ(writer.status(2), RunStatus::Done);
    EXPECT_EQ(writer.status(3), RunStatus::Failed);
    EXPECT_EQ(writer.status(4), RunStatus::Pending);
    writer.close();
  }
  ResultReader reader(path);
  EXPECT_EQ(reader.provenance(), sample_provenance());
  EXPECT_EQ(reader.layout().runs, 5);
  EXPECT_EQ(reader.layout().steps, layout.steps);
  EXPECT_EQ(reader.layout().sectors, layout.sectors);
  EXPECT_EQ(reader.layout().orgs, layout.orgs);
  EXPECT_EQ(reader.layout().org_sectors, layout.org_sectors);
  EXPECT_EQ(reader.layout().dims, layout.dims);
  EXPECT_EQ(reader.layout().params, layout.params);
  EXPECT_EQ(reader.layout().series, layout.series);
  EXPECT_TRUE(reader.layout().events);

  const RunsTable runs = reader.runs();
  for (std::int64_t run = 0; run < 3; ++run) {
    expect_same_run(reader.read_run(run), sample_result(run, layout));
    EXPECT_EQ(runs.seed[run], sample_result(run, layout).seed);
    EXPECT_EQ(runs.point[run], 100 + run);
    EXPECT_EQ(runs.replicate[run], 200 + run);
    EXPECT_EQ(runs.status[run], RunStatus::Done);
    EXPECT_EQ(runs.message[run], "");
  }
  EXPECT_EQ(runs.status[3], RunStatus::Failed);
  EXPECT_EQ(runs.seed[3], 77u);
  EXPECT_EQ(runs.point[3], 103);
  EXPECT_EQ(runs.message[3], "scenario invariant broken at step 4: trust 1.2 > 1");
  EXPECT_EQ(runs.status[4], RunStatus::Pending);
  EXPECT_EQ(runs.point[4], -1);
  EXPECT_EQ(runs.replicate[4], -1);
  for (std::size_t p = 0; p < layout.params.size(); ++p) {
    const std::vector<double> values = reader.param(layout.params[p]);
    for (std::int64_t run = 0; run < 4; ++run) EXPECT_EQ(values[run], sample_params(run, layout)[p]);
    EXPECT_TRUE(std::isnan(values[4]));
  }
  for (int m = 0; m < kFinalCount; ++m) {
    const std::vector<double> values = reader.final_metric(kFinalMetrics[m]);
    ASSERT_EQ(values.size(), 5u);
    EXPECT_EQ(values[1], sample_result(1, layout).final_metrics[m]);
    EXPECT_TRUE(std::isnan(values[3])) << "failed runs have no metrics";
    EXPECT_TRUE(std::isnan(values[4])) << "pending runs have no metrics";
  }
  // A failed or pending run reads back as missing data, integer fields as -2.
  const RunResult pending = reader.read_run(4);
  EXPECT_EQ(pending.status, RunStatus::Pending);
  EXPECT_TRUE(std::isnan(pending.series[0]));
  EXPECT_EQ(pending.org_fields[0], -2.0);

  // Events in write order, run by run.
  std::vector<EventRecord> expected;
  for (std::int64_t run = 0; run < 3; ++run) {
    for (const Event& e : sample_result(run, layout).events) {
      expected.push_back(
          {run, e.step, e.org, static_cast<std::int8_t>(e.kind), static_cast<std::int8_t>(e.cause), e.value});
    }
  }
  EXPECT_EQ(reader.event_count(), static_cast<std::int64_t>(expected.size()));
  EXPECT_EQ(reader.events(), expected);
  EXPECT_EQ(reader.events(2, 3), std::vector<EventRecord>(expected.begin() + 2, expected.begin() + 5));
  EXPECT_EQ(reader.events(expected.size() - 1, 100).size(), 1u) << "ranges are clipped to the table";
}

TEST(ResultWriter, StoresDocumentedTypesAndNameTables) {
  const std::string path = temp_path("types.h5");
  const ResultLayout layout = sample_layout();
  write_sample(path, layout, 1);
  h5::Handle file = open_file(path);
  const hid_t f = file.get();
  struct Expected {
    const char* path;
    H5T_class_t type_class;
    std::size_t size;
    bool is_signed;
  };
  for (const Expected& e : std::initializer_list<Expected>{{"/runs/seed", H5T_INTEGER, 8, false},
                                                           {"/runs/point", H5T_INTEGER, 8, true},
                                                           {"/runs/replicate", H5T_INTEGER, 8, true},
                                                           {"/runs/status", H5T_INTEGER, 1, true},
                                                           {"/final/outcome", H5T_FLOAT, 8, false},
                                                           {"/series/trust", H5T_FLOAT, 8, false},
                                                           {"/series_by_sector/effort", H5T_FLOAT, 8, false},
                                                           {"/org_final/member", H5T_INTEGER, 1, true},
                                                           {"/org_final/joined_step", H5T_INTEGER, 4, true},
                                                           {"/org_final/exit_step", H5T_INTEGER, 4, true},
                                                           {"/org_final/exit_cause", H5T_INTEGER, 1, true},
                                                           {"/org_final/belief", H5T_FLOAT, 8, false},
                                                           {"/org_final/goal", H5T_FLOAT, 8, false},
                                                           {"/params/governance.mode", H5T_FLOAT, 8, false},
                                                           {"/run", H5T_INTEGER, 8, true},
                                                           {"/step", H5T_INTEGER, 4, true},
                                                           {"/orgs/sector_index", H5T_INTEGER, 4, true},
                                                           {"/events", H5T_COMPOUND, 26, false}}) {
    const StoredType t = stored_type(f, e.path);
    EXPECT_EQ(t.type_class, e.type_class) << e.path;
    EXPECT_EQ(t.size, e.size) << e.path;
    EXPECT_EQ(t.is_signed, e.is_signed) << e.path;
  }
  for (const char* p : {"/orgs/name", "/orgs/sector", "/sectors/name", "/sector", "/org", "/dim"}) {
    h5::Handle d = h5::own(H5Dopen2(f, p, H5P_DEFAULT), H5Dclose, p);
    h5::Handle t = h5::own(H5Dget_type(d.get()), H5Tclose, p);
    EXPECT_GT(H5Tis_variable_str(t.get()), 0) << p;
    EXPECT_EQ(H5Tget_cset(t.get()), H5T_CSET_UTF8) << p;
  }
  {  // fixed length, so that no run's text lives in the global heap
    h5::Handle d = h5::own(H5Dopen2(f, "/runs/message", H5P_DEFAULT), H5Dclose, "message");
    h5::Handle t = h5::own(H5Dget_type(d.get()), H5Tclose, "message");
    EXPECT_EQ(H5Tis_variable_str(t.get()), 0);
    EXPECT_EQ(H5Tget_size(t.get()), 256u);
    EXPECT_EQ(H5Tget_cset(t.get()), H5T_CSET_UTF8);
  }
  // Every [run, ...] dataset is allocated in full when the file is created, so that writing a run
  // never changes file metadata (what makes a file killed mid-sweep readable).
  for (const char* p : {"/runs/status", "/runs/message", "/final/outcome", "/series/trust", "/org_final/member"}) {
    h5::Handle d = h5::own(H5Dopen2(f, p, H5P_DEFAULT), H5Dclose, p);
    h5::Handle dcpl = h5::own(H5Dget_create_plist(d.get()), H5Pclose, p);
    H5D_alloc_time_t when{};
    H5Pget_alloc_time(dcpl.get(), &when);
    EXPECT_EQ(when, H5D_ALLOC_TIME_EARLY) << p;
  }
  h5::Handle events = h5::own(H5Dopen2(f, "/events", H5P_DEFAULT), H5Dclose, "events");
  EXPECT_EQ(h5::read_string_attribute_values(events.get(), "kind_names"),
            std::vector<std::string>(std::begin(kEventKindNames), std::end(kEventKindNames)));
  EXPECT_EQ(h5::read_string_attribute_values(events.get(), "cause_names"),
            std::vector<std::string>(std::begin(kCauseNames), std::end(kCauseNames)));
  h5::Handle cause = h5::own(H5Dopen2(f, "/org_final/exit_cause", H5P_DEFAULT), H5Dclose, "exit_cause");
  EXPECT_EQ(h5::read_string_attribute_values(cause.get(), "cause_names"),
            std::vector<std::string>(std::begin(kCauseNames), std::end(kCauseNames)));
  h5::Handle status = h5::own(H5Dopen2(f, "/runs/status", H5P_DEFAULT), H5Dclose, "status");
  EXPECT_EQ(h5::read_string_attribute_values(status.get(), "status_names"),
            (std::vector<std::string>{"pending", "done", "failed"}));
  h5::Handle param = h5::own(H5Dopen2(f, "/params/organizations.*.disclosure", H5P_DEFAULT), H5Dclose, "param");
  EXPECT_EQ(h5::read_string_attribute(param.get(), "parameter"), "/organizations/*/disclosure");
  std::int32_t steps = 0, every = 0;
  h5::read_scalar_attribute(f, "steps", H5T_NATIVE_INT32, &steps);
  h5::read_scalar_attribute(f, "record_every", H5T_NATIVE_INT32, &every);
  EXPECT_EQ(steps, 36);
  EXPECT_EQ(every, 1);
}

TEST(ResultWriter, AttachesDimensionScalesToEveryAxis) {
  const std::string path = temp_path("scales.h5");
  const ResultLayout layout = sample_layout();
  write_sample(path, layout, 2);
  h5::Handle file = open_file(path);
  const hid_t f = file.get();
  std::map<std::string, h5::Handle> scales;
  for (const char* name : {"run", "step", "sector", "org", "dim", "event"}) {
    scales[name] = h5::own(H5Dopen2(f, (std::string("/") + name).c_str(), H5P_DEFAULT), H5Dclose, name);
    EXPECT_GT(H5DSis_scale(scales[name].get()), 0) << name;
  }
  std::map<std::string, std::vector<std::string>> expected = {
      {"/runs/seed", {"run"}},   {"/runs/point", {"run"}},        {"/runs/replicate", {"run"}},
      {"/runs/status", {"run"}}, {"/runs/message", {"run"}},      {"/orgs/name", {"org"}},
      {"/orgs/sector", {"org"}}, {"/orgs/sector_index", {"org"}}, {"/sectors/name", {"sector"}},
      {"/events", {"event"}}};
  for (const std::string& p : layout.params) expected["/params/" + param_dataset_name(p)] = {"run"};
  for (const char* m : kFinalMetrics) expected[std::string("/final/") + m] = {"run"};
  for (const char* m : kSeriesMetrics) expected[std::string("/series/") + m] = {"run", "step"};
  for (const char* m : kSectorSeriesMetrics)
    expected[std::string("/series_by_sector/") + m] = {"run", "step", "sector"};
  for (const char* m : kOrgFields) expected[std::string("/org_final/") + m] = {"run", "org"};
  for (const char* m : kOrgVectorFields) expected[std::string("/org_final/") + m] = {"run", "org", "dim"};
  for (const auto& [dataset_path, axes] : expected) {
    h5::Handle d = h5::own(H5Dopen2(f, dataset_path.c_str(), H5P_DEFAULT), H5Dclose, dataset_path);
    for (std::size_t axis = 0; axis < axes.size(); ++axis) {
      EXPECT_GT(H5DSis_attached(d.get(), scales[axes[axis]].get(), static_cast<unsigned>(axis)), 0)
          << dataset_path << " axis " << axis << " should be " << axes[axis];
    }
  }
  // No dataset is left without scales: count every dataset in the file.
  std::size_t count = 0;
  H5Ovisit(
      f, H5_INDEX_NAME, H5_ITER_INC,
      [](hid_t, const char*, const H5O_info_t* info, void* data) -> herr_t {
        if (info->type == H5O_TYPE_DATASET) ++*static_cast<std::size_t*>(data);
        return 0;
      },
      &count);
  EXPECT_EQ(count, expected.size() + scales.size());
}

TEST(ResultWriter, RecordsEveryNthStepOfChosenSeries) {
  const std::string path = temp_path("every.h5");
  ResultLayout layout = sample_layout(2, 12);
  layout.every = 5;
  layout.series = {"trust", "members"};
  layout.events = false;
  write_sample(path, layout, 2);
  ResultReader reader(path);
  EXPECT_EQ(reader.steps(), (std::vector<std::int32_t>{0, 5, 10}));
  EXPECT_EQ(reader.layout().series, (std::vector<std::string>{"members", "trust"}));
  EXPECT_FALSE(reader.layout().events);
  EXPECT_EQ(reader.event_count(), 0);
  const RunResult source = sample_result(1, layout);
  EXPECT_EQ(
      reader.series_row("trust", 1),
      (std::vector<double>{source.at_series(kSTrust, 0), source.at_series(kSTrust, 5), source.at_series(kSTrust, 10)}));
  const std::vector<double> members = reader.sector_series_row("members", 1);
  ASSERT_EQ(members.size(), 9u);
  RunResult copy = source;
  EXPECT_EQ(members[1 * 3 + 2], copy.at_sector(0, 5, 2));
  EXPECT_THROW(reader.series_row("outcome", 0), OutputError);
  EXPECT_THROW(reader.sector_series_row("effort", 0), OutputError);
  h5::Handle file = open_file(path);
  EXPECT_FALSE(h5::has_link(file.get(), "events"));
  EXPECT_FALSE(h5::has_link(file.get(), "event"));
}

TEST(ResultWriter, RefusesAnExistingFileUnlessOverwriting) {
  const std::string path = temp_path("exists.h5");
  { std::ofstream(path) << "precious"; }
  try {
    ResultWriter writer(path, sample_layout(), sample_provenance(), false);
    FAIL() << "an existing file was not refused";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), "output file '" + path + "' already exists; use --overwrite to replace it");
  }
  EXPECT_EQ(test::file_bytes(path), "precious");
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));

  ResultWriter writer(path, sample_layout(), sample_provenance(), true);
  writer.write_run(0, 0, 0, sample_result(0, sample_layout()), sample_params(0, sample_layout()));
  EXPECT_EQ(test::file_bytes(path), "precious") << "the old file stays until the new one is complete";
  writer.close();
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  EXPECT_EQ(ResultReader(path).runs().status[0], RunStatus::Done);
}

TEST(ResultWriter, ReportsAMissingDirectory) {
  const std::string path = temp_path("no_such_dir") + "/out.h5";
  EXPECT_THROW(
      {
        try {
          ResultWriter(path, sample_layout(), sample_provenance(), false);
        } catch (const OutputError& e) {
          EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
          throw;
        }
      },
      OutputError);
}

TEST(ResultWriter, LeavesNothingBehindWhenNotClosed) {
  const std::string path = temp_path("interrupted.h5");
  try {
    ResultWriter writer(path, sample_layout(), sample_provenance(), false);
    writer.write_run(0, 0, 0, sample_result(0, sample_layout()), sample_params(0, sample_layout()));
    EXPECT_TRUE(std::filesystem::exists(path + ".partial"));
    throw std::runtime_error("simulation failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST(ResultWriter, RejectsBadRunsWithoutWriting) {
  const std::string path = temp_path("bad_runs.h5");
  const ResultLayout layout = sample_layout();
  ResultWriter writer(path, layout, sample_provenance(), false);
  const std::vector<double> params = sample_params(0, layout);
  RunResult good = sample_result(0, layout);
  EXPECT_THROW(writer.write_run(3, 0, 0, good, params), std::invalid_argument);
  EXPECT_THROW(writer.write_run(-1, 0, 0, good, params), std::invalid_argument);
  EXPECT_THROW(writer.write_run(0, 0, 0, good, {1.0}), std::invalid_argument);
  RunResult pending = good;
  pending.status = RunStatus::Pending;
  EXPECT_THROW(writer.write_run(0, 0, 0, pending, params), std::invalid_argument);
  RunResult wrong_shape;
  wrong_shape.allocate(layout.steps + 1, 3, 4, 2);
  wrong_shape.status = RunStatus::Done;
  EXPECT_THROW(writer.write_run(0, 0, 0, wrong_shape, params), std::invalid_argument);
  RunResult fractional = good;
  fractional.at_org(kOJoinedStep, 2) = 3.5;
  try {
    writer.write_run(0, 0, 0, fractional, params);
    ADD_FAILURE() << "a fractional joined_step was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "run result does not fit the layout: org field joined_step of organization 2 is 3.500000, expected an integer "
        "in [-1, 2147483647]");
  }
  RunResult bad_event = good;
  bad_event.events.push_back({0, 4, EventKind::Join, Cause::None, 0});
  EXPECT_THROW(writer.write_run(0, 0, 0, bad_event, params), std::invalid_argument);
  EXPECT_EQ(writer.status(0), RunStatus::Pending);
  writer.write_run(0, 0, 0, good, params);
  EXPECT_THROW(writer.write_run(0, 0, 0, good, params), std::invalid_argument) << "a run is written once";
  writer.close();
  ResultReader reader(path);
  EXPECT_EQ(reader.event_count(), static_cast<std::int64_t>(good.events.size()));
  expect_same_run(reader.read_run(0), good);
}

TEST(ResultWriter, WritesRunsInAnyOrderAcrossBlocks) {
  // Runs are gathered in blocks of 64; this order jumps between blocks, leaves gaps inside them
  // and retries a failed run.
  const std::string path = temp_path("any_order.h5");
  const ResultLayout layout = sample_layout(150, 5);
  const std::vector<std::int64_t> order = {149, 3, 0, 64, 70, 1, 127, 128, 2, 63, 65, 100};
  {
    ResultWriter writer(path, layout, sample_provenance(), false);
    RunResult failed;
    failed.status = RunStatus::Failed;
    failed.message = "first attempt failed";
    writer.write_run(70, 7, 7, failed, sample_params(70, layout));
    for (std::int64_t run : order)
      writer.write_run(run, run, 0, sample_result(run, layout), sample_params(run, layout));
    writer.close();
  }
  ResultReader reader(path);
  const RunsTable runs = reader.runs();
  for (std::int64_t run = 0; run < layout.runs; ++run) {
    const bool written = std::find(order.begin(), order.end(), run) != order.end();
    ASSERT_EQ(runs.status[run], written ? RunStatus::Done : RunStatus::Pending) << "run " << run;
    if (written) {
      expect_same_run(reader.read_run(run), sample_result(run, layout));
      EXPECT_EQ(runs.point[run], run);
    } else {
      EXPECT_EQ(runs.point[run], -1);
      EXPECT_TRUE(std::isnan(reader.final_metric("outcome")[run]));
    }
  }
  // Events in call order.
  std::vector<std::int64_t> event_runs;
  for (const EventRecord& e : reader.events()) {
    if (event_runs.empty() || event_runs.back() != e.run) event_runs.push_back(e.run);
  }
  EXPECT_EQ(event_runs, order);
}

TEST(ResultWriter, IdenticalResultsGiveIdenticalFiles) {
  const std::string a = temp_path("same_a.h5"), b = temp_path("same_b.h5");
  const ResultLayout layout = sample_layout(70);  // more than one chunk of runs
  write_sample(a, layout, 70);
  write_sample(b, layout, 70);
  const std::string bytes = test::file_bytes(a);
  ASSERT_FALSE(bytes.empty());
  EXPECT_TRUE(bytes == test::file_bytes(b)) << "same results and provenance must give the same bytes";

  // With a different creation time only that attribute differs: h5diff compares every dataset.
  const std::string c = temp_path("same_c.h5");
  Provenance later = sample_provenance();
  later.created_utc = "2026-12-31T23:59:59Z";
  {
    ResultWriter writer(c, layout, later, false);
    for (std::int64_t run = 0; run < 70; ++run) {
      writer.write_run(run, run / 2, run % 2, sample_result(run, layout), sample_params(run, layout));
    }
    writer.close();
  }
  EXPECT_EQ(std::system(("h5diff -q '" + a + "' '" + c + "' /final /final").c_str()), 0);
  for (const char* group : {"/runs", "/params", "/series", "/series_by_sector", "/org_final", "/orgs", "/sectors",
                            "/events", "/run", "/step", "/org", "/dim"}) {
    EXPECT_EQ(std::system(("h5diff -q '" + a + "' '" + c + "' " + group + " " + group).c_str()), 0) << group;
  }
}

TEST(ResultWriter, ResumesAnInterruptedSweepInPlace) {
  const ResultLayout layout = sample_layout(4);
  const std::string whole = temp_path("whole.h5"), resumed = temp_path("resumed.h5");
  write_sample(whole, layout, 4);
  {
    // Interrupted: runs 0-1 done, run 2 failed; the writer goes away without close().
    ResultWriter writer(resumed, layout, sample_provenance(), false, WriteMode::InPlace);
    for (std::int64_t run = 0; run < 2; ++run)
      writer.write_run(run, run / 2, run % 2, sample_result(run, layout), sample_params(run, layout));
    RunResult failed;
    failed.status = RunStatus::Failed;
    failed.message = "out of memory";
    writer.write_run(2, 1, 0, failed, sample_params(2, layout));
  }
  ASSERT_TRUE(std::filesystem::exists(resumed));
  {
    // Simulate a crash after run 1's events but before its status: mark it pending again.
    h5::Handle file = h5::own(H5Fopen(resumed.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open");
    h5::Handle status = h5::own(H5Dopen2(file.get(), "/runs/status", H5P_DEFAULT), H5Dclose, "status");
    std::vector<std::int8_t> codes{1, 0, 2, 0};
    ASSERT_GE(H5Dwrite(status.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, codes.data()), 0);
  }
  ResultLayout other = layout;
  other.steps = 20;
  try {
    ResultWriter::open_existing(resumed, other);
    ADD_FAILURE() << "a different layout was accepted";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot resume '" + resumed + "': the file has 36 steps, expected 20; use --overwrite to start over");
  }
  {
    ResultWriter writer = ResultWriter::open_existing(resumed, layout);
    EXPECT_EQ(writer.status(0), RunStatus::Done);
    EXPECT_EQ(writer.status(1), RunStatus::Pending);
    EXPECT_EQ(writer.status(2), RunStatus::Failed);
    EXPECT_EQ(ResultReader(resumed).event_count(), 2) << "only run 0's events are kept";
    for (std::int64_t run = 1; run < 4; ++run) {
      writer.write_run(run, run / 2, run % 2, sample_result(run, layout), sample_params(run, layout));
    }
    writer.close();
  }
  ResultReader expected(whole), actual(resumed);
  for (std::int64_t run = 0; run < 4; ++run) expect_same_run(actual.read_run(run), expected.read_run(run));
  EXPECT_EQ(actual.events(), expected.events()) << "events as in an uninterrupted sweep";
  EXPECT_EQ(actual.runs().point, expected.runs().point);
  EXPECT_EQ(std::system(("h5diff -q '" + whole + "' '" + resumed + "'").c_str()), 0);
}

TEST(ResultWriter, AProcessKilledMidSweepLeavesAResumableFile) {
  // The child writes runs and dies without closing anything (_exit skips every destructor and
  // HDF5's own clean-up, as kill -9 does) at several points of the writer's cycle: right after a
  // flush, inside a block, and after a block boundary wrote a block but before the next flush.
  const ResultLayout layout = sample_layout(300);
  const std::string whole = temp_path("crash_whole.h5");
  write_sample(whole, layout, 300);
  for (const std::int64_t written : {100, 130, 200, 261}) {
    const std::string path = temp_path("crash_" + std::to_string(written) + ".h5");
    std::filesystem::remove(path);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ResultWriter writer(path, layout, sample_provenance(), false, WriteMode::InPlace);
      for (std::int64_t run = 0; run < written; ++run) {
        writer.write_run(run, run / 2, run % 2, sample_result(run, layout), sample_params(run, layout));
        if (run == 99) writer.flush();
      }
      std::_Exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    {
      ResultReader reader(path);  // opens: the file is not damaged
      const RunsTable runs = reader.runs();
      std::int64_t done = 0;
      for (std::int64_t run = 0; run < layout.runs; ++run) {
        if (runs.status[run] != RunStatus::Done) continue;
        ++done;
        EXPECT_LT(run, written);
        expect_same_run(reader.read_run(run), sample_result(run, layout));  // done means complete
      }
      EXPECT_GE(done, 100) << "runs flushed before the crash are kept (written " << written << ")";
    }
    {
      ResultWriter writer = ResultWriter::open_existing(path, layout);
      for (std::int64_t run = 0; run < layout.runs; ++run) {
        if (writer.status(run) != RunStatus::Done)
          writer.write_run(run, run / 2, run % 2, sample_result(run, layout), sample_params(run, layout));
      }
      writer.close();
    }
    EXPECT_EQ(ResultReader(path).events(), ResultReader(whole).events()) << "written " << written;
    EXPECT_EQ(std::system(("h5diff -q '" + whole + "' '" + path + "'").c_str()), 0) << "written " << written;
  }
}

TEST(ResultWriter, CutsLongMessagesAtACharacterBoundary) {
  const ResultLayout layout = sample_layout(2);
  const std::string path = temp_path("long_message.h5");
  std::string text = "run failed: ";
  while (text.size() < 400) text += "\u00e9tat ";  // two-byte characters
  {
    ResultWriter writer(path, layout, sample_provenance(), true);
    RunResult failed;
    failed.status = RunStatus::Failed;
    failed.message = text;
    writer.write_run(0, 0, 0, failed, sample_params(0, layout));
    writer.close();
  }
  const std::string stored = ResultReader(path).runs().message[0];
  ASSERT_LE(stored.size(), 256u);
  EXPECT_GE(stored.size(), 250u);
  EXPECT_EQ(stored.substr(stored.size() - 3), "...");
  EXPECT_EQ(text.compare(0, stored.size() - 3, stored, 0, stored.size() - 3), 0) << "a prefix of the message";
  EXPECT_NE(static_cast<unsigned char>(text[stored.size() - 3]) & 0xC0, 0x80) << "not cut inside a character";
}

}  // namespace
}  // namespace p3sim
