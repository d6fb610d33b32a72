#include "io/ResultWriter.hpp"

#include "io/ResultWriterImpl.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "io/ResultReader.hpp"
#include "scenario/Utf8.hpp"

namespace p3sim {
namespace {

// HDF5 closes files left open at exit (an atexit handler). A file whose close failed (disk full)
// stays registered half torn down, and HDF5 1.10 crashes (SIGSEGV) closing it again at exit. Every
// file p3sim opens is closed explicitly, so the handler is not needed; it must be refused before
// the library initializes, hence a static initializer.
[[maybe_unused]] const herr_t kNoAtExit = H5dont_atexit();

[[noreturn]] void reject(const std::string& text) { throw std::invalid_argument("write_run: " + text); }

/// Copies `text` into `out` (kMessageBytes bytes, NUL-padded), cut to fit at a UTF-8 character
/// boundary and marked with "..." when it is longer.
void put_message(const std::string& text, char* out) {
  std::fill_n(out, kMessageBytes, '\0');
  const std::string kept = utf8::truncate(text, kMessageBytes);
  std::copy(kept.begin(), kept.end(), out);
}

/// Rows per block: a power of two up to kMaxBlock such that a block of the widest row stays near
/// kTargetChunkBytes, and no more than the run count.
hsize_t block_rows(const ResultLayout& l) {
  const hsize_t states = l.recorded_steps().size(), orgs = l.orgs.size();
  const hsize_t widest = 8 * std::max({states, states * l.sectors.size(), orgs * std::max<hsize_t>(1, l.dims.size())});
  hsize_t block = kMaxBlock;
  while (block > 1 && block * widest > kTargetChunkBytes) block /= 2;
  return std::min(block, static_cast<hsize_t>(l.runs));
}

}  // namespace

ResultWriter::Impl::Impl(std::string path, const ResultLayout& l, WriteMode m)
    : target(std::move(path)),
      working(target + ".partial"),
      mode(m),
      layout(l),
      steps(l.recorded_steps()),
      status(static_cast<std::size_t>(l.runs), 0),
      block(block_rows(l)),
      written(block, 0),
      messages(block * kMessageBytes, '\0') {
  string_type = h5::string_type();
  message_type = h5::fixed_string_type(kMessageBytes);
  event_type = event_record_type();
}

ResultWriter::Impl::~Impl() {
  if (file.valid()) {
    if (mode == WriteMode::InPlace && published) {
      try {
        flush_block();
      } catch (...) {  // the runs of the block stay pending; --resume redoes them
      }
    }
    release_objects();
    file.reset();
  }
  // Also when the file was never opened: H5Fcreate leaves an empty file behind when it cannot
  // write the superblock (a full disk).
  if (!published) {
    std::error_code ignored;
    fs::remove(working, ignored);
  }
}

ResultWriter::ResultWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ResultWriter::ResultWriter(const std::string& path, const ResultLayout& layout, const Provenance& provenance,
                           bool overwrite, WriteMode mode) {
  layout.validate();
  std::error_code ec;
  if (!overwrite && fs::exists(path, ec)) {
    throw OutputError("output file '" + path + "' already exists; use --overwrite to replace it");
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    throw OutputError("cannot create output file '" + path + "': directory '" + parent.string() + "' does not exist");
  }
  h5::QuietErrors quiet;
  auto impl = std::make_unique<Impl>(path, layout, mode);
  try {
    impl->create_file(provenance);
    std::array<Handle, kDimCount> scales = impl->create_scales();
    impl->build(true, scales);
    if (mode == WriteMode::InPlace) impl->publish();
  } catch (const OutputError& e) {
    // The error names the file the user asked for: HDF5's messages name only the dataset, and the
    // temporary ".partial" path is p3sim's business.
    std::string text = e.what();
    const std::string& working = impl->working;
    for (std::size_t at = text.find(working); at != std::string::npos; at = text.find(working, at + path.size()))
      text.replace(at, working.size(), path);
    if (text.find(path) == std::string::npos) text = "cannot create output file '" + path + "': " + text;
    throw OutputError(text);
  }
  impl_ = std::move(impl);
}

ResultWriter ResultWriter::open_existing(const std::string& path, const ResultLayout& layout) {
  layout.validate();
  {
    ResultReader reader(path);
    const std::string difference = reader.layout().difference(layout);
    if (!difference.empty())
      throw OutputError("cannot resume '" + path + "': " + difference + "; use --overwrite to start over");
  }
  h5::QuietErrors quiet;
  auto impl = std::make_unique<Impl>(path, layout, WriteMode::InPlace);
  impl->working = path;
  impl->published = true;
  impl->open_file();
  std::array<Handle, kDimCount> unused;
  impl->build(false, unused);
  impl->read_status();
  if (layout.events) impl->compact_events();
  return ResultWriter(std::move(impl));
}

ResultWriter::~ResultWriter() {
  h5::QuietErrors quiet;
  impl_.reset();
}
ResultWriter::ResultWriter(ResultWriter&&) noexcept = default;
ResultWriter& ResultWriter::operator=(ResultWriter&& other) noexcept {
  h5::QuietErrors quiet;
  impl_ = std::move(other.impl_);
  return *this;
}

void ResultWriter::write_run(std::int64_t run, std::int64_t point, std::int64_t replicate, const RunResult& result,
                             const std::vector<double>& params) {
  if (!impl_ || !impl_->file.valid()) throw std::logic_error("write_run on a closed ResultWriter");
  Impl& w = *impl_;
  if (run < 0 || run >= w.layout.runs)
    reject("run " + std::to_string(run) + " outside 0.." + std::to_string(w.layout.runs - 1));
  if (w.status[static_cast<std::size_t>(run)] == static_cast<std::int8_t>(RunStatus::Done)) {
    reject("run " + std::to_string(run) + " was already written");
  }
  if (result.status == RunStatus::Pending) reject("result of run " + std::to_string(run) + " is still pending");
  if (params.size() != w.layout.params.size()) {
    reject(std::to_string(params.size()) + " parameter values for " + std::to_string(w.layout.params.size()) +
           " parameters");
  }
  if (result.status == RunStatus::Done) w.layout.check_result(result);

  h5::QuietErrors quiet;
  const auto block = static_cast<std::int64_t>(w.block);
  if (w.block_first >= 0 && (run < w.block_first || run >= w.block_first + block)) w.flush_block();
  if (w.block_first < 0) w.block_first = run - run % block;
  const auto i = static_cast<std::size_t>(run - w.block_first);
  const auto code = static_cast<std::int8_t>(result.status);
  w.seed.put(i, &result.seed);
  w.point.put(i, &point);
  w.replicate.put(i, &replicate);
  w.run_status.put(i, &code);
  put_message(result.message, &w.messages[i * kMessageBytes]);
  for (std::size_t p = 0; p < params.size(); ++p) w.params[p].put(i, &params[p]);
  w.gather(i, run, result);
  w.written[i] = 1;
  w.status[static_cast<std::size_t>(run)] = code;
}

void ResultWriter::flush() {
  if (!impl_ || !impl_->file.valid()) return;
  h5::QuietErrors quiet;
  impl_->flush_block();
  h5::check(H5Fflush(impl_->file.get(), H5F_SCOPE_LOCAL), "cannot flush '" + impl_->working + "'");
}

void ResultWriter::close() {
  if (!impl_ || !impl_->file.valid()) return;
  h5::QuietErrors quiet;
  Impl& w = *impl_;
  try {
    w.flush_block();
    w.release_objects();
    w.file.close("cannot finish output file '" + w.working + "'");
    if (w.mode == WriteMode::Atomic) {
      std::error_code ec;
      fs::rename(w.working, w.target, ec);
      if (ec) throw OutputError("cannot move '" + w.working + "' to '" + w.target + "': " + ec.message());
    }
  } catch (...) {
    w.release_objects();
    w.file.reset();
    if (!w.published) {
      std::error_code ignored;
      fs::remove(w.working, ignored);
    }
    throw;
  }
}

const std::string& ResultWriter::path() const { return impl_->target; }
const ResultLayout& ResultWriter::layout() const { return impl_->layout; }

RunStatus ResultWriter::status(std::int64_t run) const {
  if (run < 0 || run >= impl_->layout.runs) throw std::out_of_range("run " + std::to_string(run) + " out of range");
  return static_cast<RunStatus>(impl_->status[static_cast<std::size_t>(run)]);
}

}  // namespace p3sim
