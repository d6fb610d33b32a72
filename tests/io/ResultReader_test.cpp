// ResultReader: refuses what is not a p3sim result file with a clear message, and reads rows,
// columns and event ranges of one that is.
#include "io/ResultReader.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <fstream>
#include <stdexcept>

#include "SampleResults.hpp"
#include "io/H5Handle.hpp"
#include "io/ResultWriter.hpp"

namespace p3sim {
namespace {

using test::sample_layout;
using test::sample_params;
using test::sample_provenance;
using test::sample_result;
using test::temp_path;

std::string message_of(const std::string& path) {
  try {
    ResultReader reader(path);
  } catch (const OutputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string written_file(const std::string& name, std::int64_t runs, std::int64_t done) {
  const std::string path = temp_path(name);
  const ResultLayout layout = sample_layout(runs);
  ResultWriter writer(path, layout, sample_provenance(), false);
  for (std::int64_t run = 0; run < done; ++run)
    writer.write_run(run, 0, run, sample_result(run, layout), sample_params(run, layout));
  writer.close();
  return path;
}

TEST(ResultReader, RefusesAMissingFile) {
  const std::string path = temp_path("missing.h5");
  EXPECT_EQ(message_of(path), "cannot open '" + path + "': no such file");
}

TEST(ResultReader, RefusesAFileThatIsNotHdf5) {
  const std::string path = temp_path("text.h5");
  std::ofstream(path) << "{\"not\": \"hdf5\"}";
  EXPECT_EQ(message_of(path), "cannot open '" + path + "': not an HDF5 file");
}

TEST(ResultReader, RefusesAnHdf5FileNotWrittenByP3sim) {
  const std::string path = temp_path("foreign.h5");
  h5::Handle file = h5::own(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create");
  file.close("close");
  EXPECT_EQ(message_of(path), "'" + path + "' is not a p3sim result file (no format_version attribute)");
}

TEST(ResultReader, RefusesANewerFormatVersion) {
  const std::string path = written_file("newer.h5", 2, 1);
  {
    h5::Handle file = h5::own(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open");
    h5::Handle attr = h5::own(H5Aopen(file.get(), "format_version", H5P_DEFAULT), H5Aclose, "attr");
    const std::int32_t newer = kFormatVersion + 1;
    ASSERT_GE(H5Awrite(attr.get(), H5T_NATIVE_INT32, &newer), 0);
  }
  EXPECT_EQ(message_of(path), "cannot read '" + path + "': format_version 3 is not supported (this p3sim reads 2..2)");
}

TEST(ResultReader, ReadsColumnsRowsAndEventRanges) {
  const std::string path = written_file("read.h5", 4, 3);
  const ResultLayout layout = sample_layout(4);
  ResultReader reader(path);
  EXPECT_EQ(reader.path(), path);
  EXPECT_EQ(reader.steps().size(), 37u);
  EXPECT_EQ(reader.steps().back(), 36);

  const std::vector<double> outcome = reader.final_metric("outcome");
  ASSERT_EQ(outcome.size(), 4u);
  EXPECT_EQ(outcome[2], sample_result(2, layout).final_metrics[kFOutcome]);
  EXPECT_TRUE(std::isnan(outcome[3]));

  const RunResult two = sample_result(2, layout);
  const std::vector<double> trust = reader.series_row("trust", 2);
  ASSERT_EQ(trust.size(), 37u);
  for (int t = 0; t <= 36; ++t) EXPECT_EQ(trust[t], two.at_series(kSTrust, t));
  const std::vector<double> goal = reader.org_vector_row("goal", 2);
  ASSERT_EQ(goal.size(), 8u);
  EXPECT_EQ(goal[7], two.org_vectors[(1 * 4 + 3) * 2 + 1]);
  const std::vector<double> exit_step = reader.org_field_row("exit_step", 2);
  EXPECT_EQ(exit_step, (std::vector<double>{10, -1, 12, -1}));

  EXPECT_EQ(reader.param("/governance/mode")[1], sample_params(1, layout)[0]);
  try {
    reader.final_metric("happiness");
    ADD_FAILURE() << "unknown metric accepted";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), "final metric 'happiness' is not in '" + path + "'");
  }
  EXPECT_THROW(reader.param("/governance/lead"), OutputError);
  EXPECT_THROW(reader.series_row("trust", 4), std::out_of_range);
  EXPECT_THROW(reader.read_run(-1), std::out_of_range);

  // 2 + 3 + 4 events from runs 0, 1, 2.
  EXPECT_EQ(reader.event_count(), 9);
  const std::vector<EventRecord> tail = reader.events(7, 5);
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].run, 2);
  EXPECT_EQ(tail[1].value, two.events[3].value);
  EXPECT_TRUE(reader.events(9, 1).empty());
  EXPECT_TRUE(reader.events(-5, 0).empty());
}

TEST(ResultReader, CanBeMovedAndOutlivesTheWriter) {
  const std::string path = written_file("move.h5", 2, 2);
  ResultReader first(path);
  ResultReader second = std::move(first);
  EXPECT_EQ(second.runs().status, (std::vector<RunStatus>{RunStatus::Done, RunStatus::Done}));
}

}  // namespace
}  // namespace p3sim
