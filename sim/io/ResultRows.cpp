// ResultRows: a block of runs of a result file: each run gathered into the rows of the block,
// then the block written with one write per dataset, statuses last.
#include "io/ResultWriterImpl.hpp"

#include <algorithm>

namespace p3sim {

void ResultWriter::Impl::gather(std::size_t i, std::int64_t run, const RunResult& r) {
  const bool done = r.status == RunStatus::Done;
  const std::size_t states = static_cast<std::size_t>(layout.steps) + 1, sectors = layout.sectors.size(),
                    orgs = layout.orgs.size(), dims = layout.dims.size();
  for (int m = 0; m < kFinalCount; ++m) done ? finals[m].put(i, &r.final_metrics[m]) : finals[m].fill(i, kNaN);
  const bool every_step = layout.every == 1;
  for (auto& [m, column] : series) {
    if (!done) {
      column.fill(i, kNaN);
      continue;
    }
    const double* source = r.series.data() + m * states;
    if (!every_step) {
      gathered.resize(steps.size());
      for (std::size_t k = 0; k < steps.size(); ++k) gathered[k] = source[steps[k]];
      source = gathered.data();
    }
    column.put(i, source);
  }
  for (auto& [m, column] : sector_series) {
    if (!done) {
      column.fill(i, kNaN);
      continue;
    }
    const double* source = r.sector_series.data() + m * states * sectors;
    if (!every_step) {
      gathered.resize(steps.size() * sectors);
      for (std::size_t k = 0; k < steps.size(); ++k)
        std::copy_n(source + steps[k] * sectors, sectors, &gathered[k * sectors]);
      source = gathered.data();
    }
    column.put(i, source);
  }
  for (int f = 0; f < kOrgFieldCount; ++f) {
    Column& column = org_fields[f];
    if (kOrgFieldStorage[f] == OrgFieldStorage::Float64) {
      done ? column.put(i, r.org_fields.data() + f * orgs) : column.fill(i, kNaN);
      continue;
    }
    if (!done) {
      column.fill(i, kIntFill);
      continue;
    }
    org_ints.resize(orgs);
    for (std::size_t o = 0; o < orgs; ++o) org_ints[o] = static_cast<std::int32_t>(r.org_fields[f * orgs + o]);
    column.put(i, org_ints.data());
  }
  for (int f = 0; f < kOrgVectorFieldCount; ++f) {
    done ? org_vectors[f].put(i, r.org_vectors.data() + f * orgs * dims) : org_vectors[f].fill(i, kNaN);
  }
  if (layout.events && done) {
    for (const Event& e : r.events) {
      block_events.push_back(
          {run, e.step, e.org, static_cast<std::int8_t>(e.kind), static_cast<std::int8_t>(e.cause), e.value});
    }
  }
}

// Writes the gathered block: one write per dataset, events appended, statuses last.
//
// The order is what makes a file killed at any moment (kill -9, power cut aside) resumable:
// every [run, ...] dataset is preallocated and uncached (h5::Storage::Direct), so its writes reach
// the file in call order and change no metadata; the only metadata that changes is the extent of
// /events, which is flushed before the statuses are written. A run therefore reads as done only
// once all its data and events are in the file, and a run that does not read as done is redone by
// --resume (its stray events are dropped by compact_events()).
void ResultWriter::Impl::flush_block() {
  if (block_first < 0) return;
  const auto first = static_cast<hsize_t>(block_first);
  block_first = -1;
  std::vector<Segment> segments;
  for (hsize_t i = 0; i < block; ++i) {
    if (!written[i]) continue;
    if (!segments.empty() && segments.back().second == i) {
      ++segments.back().second;
    } else {
      segments.emplace_back(i, i + 1);
    }
  }
  std::fill(written.begin(), written.end(), 0);
  std::vector<EventRecord> rows = std::exchange(block_events, {});
  if (segments.empty()) return;
  for (RowSpace* space : {&run_space, &series_space, &sector_space, &org_space, &org_vector_space}) {
    space->select(first, segments);
  }
  for (Column* c : {&seed, &point, &replicate}) c->write(transfer.get(), working);
  if (H5Dwrite(message.get(), message_type.get(), run_space.memory.get(), run_space.file.get(), transfer.get(),
               messages.data()) < 0) {
    h5::fail("cannot write /runs/message to '" + working + "'");
  }
  for (std::vector<Column>* list : {&params, &finals, &org_fields, &org_vectors}) {
    for (Column& c : *list) c.write(transfer.get(), working);
  }
  for (auto& [m, c] : series) c.write(transfer.get(), working);
  for (auto& [m, c] : sector_series) c.write(transfer.get(), working);
  if (!rows.empty()) {
    const hsize_t at = event_rows;
    // The chunks of /events and /event the new rows start, and 64 KiB for index nodes.
    const hsize_t chunk = event_chunk();
    const hsize_t new_chunks = (at + rows.size() + chunk - 1) / chunk - (at + chunk - 1) / chunk;
    check_room(new_chunks * chunk * (sizeof(EventRecord) + sizeof(float)) + (hsize_t{1} << 16));
    resize_events(at + rows.size());
    write_events(at, rows);
    h5::check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), "cannot flush '" + working + "'");
  }
  run_status.write(transfer.get(), working);
}

}  // namespace p3sim
