// Writes a sample result file to $P3SIM_SAMPLE_H5, for developing the Python readers of the format
// (tests/python/test_h5_readers.py) without a working `p3sim run`. Skipped when the variable is unset.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "SampleResults.hpp"
#include "io/ResultReader.hpp"
#include "io/ResultWriter.hpp"

namespace p3sim {
namespace {

TEST(SampleFile, WritesToTheGivenPath) {
  const char* path = std::getenv("P3SIM_SAMPLE_H5");
  if (path == nullptr || *path == '\0') GTEST_SKIP() << "P3SIM_SAMPLE_H5 is not set";
  const ResultLayout layout = test::sample_layout(4);
  ResultWriter writer(path, layout, test::sample_provenance(), true);
  for (std::int64_t run = 0; run < 3; ++run) {
    writer.write_run(run, run, 0, test::sample_result(run, layout), test::sample_params(run, layout));
  }
  RunResult failed;
  failed.status = RunStatus::Failed;
  failed.message = "sample failure";
  writer.write_run(3, 3, 0, failed, test::sample_params(3, layout));
  writer.close();
  EXPECT_EQ(ResultReader(path).runs().status.size(), 4u);
}

}  // namespace
}  // namespace p3sim
