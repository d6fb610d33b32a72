// ResultEvents: the /events table of a result file: its on-disk type, the room check before it
// grows, growth, writes, and the compaction that drops the events of runs not done on --resume.
#include "io/ResultWriterImpl.hpp"

#include <algorithm>

#include <sys/resource.h>
#include <sys/statvfs.h>

namespace p3sim {

namespace result_writer {

Handle event_file_type() {
  const std::string what = "cannot build the event type";
  Handle type = h5::own(H5Tcreate(H5T_COMPOUND, 26), H5Tclose, what);
  h5::check(H5Tinsert(type.get(), "run", 0, H5T_STD_I64LE), what);
  h5::check(H5Tinsert(type.get(), "step", 8, H5T_STD_I32LE), what);
  h5::check(H5Tinsert(type.get(), "org", 12, H5T_STD_I32LE), what);
  h5::check(H5Tinsert(type.get(), "kind", 16, H5T_STD_I8LE), what);
  h5::check(H5Tinsert(type.get(), "cause", 17, H5T_STD_I8LE), what);
  h5::check(H5Tinsert(type.get(), "value", 18, H5T_IEEE_F64LE), what);
  return type;
}

}  // namespace result_writer

void ResultWriter::Impl::check_room(hsize_t bytes) {
  hsize_t size = 0;
  h5::check(H5Fget_filesize(file.get(), &size), "cannot read the size of '" + working + "'");
  rlimit limit{};
  const bool too_large = getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
                         size + bytes > static_cast<hsize_t>(limit.rlim_cur);
  struct statvfs disk {};
  const std::string parent = fs::path(working).parent_path().string();
  const bool full = statvfs(parent.empty() ? "." : parent.c_str(), &disk) == 0 &&
                    static_cast<hsize_t>(disk.f_bavail) * disk.f_frsize < bytes;
  if (too_large || full) {
    throw OutputError("cannot write '" + working + "': " +
                      (too_large ? "file size limit reached" : "no space left on device") +
                      "; the runs written before are kept, --resume finishes the file");
  }
}

void ResultWriter::Impl::resize_events(hsize_t rows) {
  h5::check(H5Dset_extent(events.get(), &rows), "cannot extend /events");
  h5::check(H5Dset_extent(event_dim.get(), &rows), "cannot extend /event");
  event_rows = rows;
}

void ResultWriter::Impl::write_events(hsize_t first, const std::vector<EventRecord>& rows) {
  if (rows.empty()) return;
  const hsize_t count = rows.size();
  Handle space = h5::own(H5Dget_space(events.get()), H5Sclose, "cannot write /events");
  h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr),
            "cannot write /events");
  Handle memory = h5::simple_space({count});
  h5::check(H5Dwrite(events.get(), event_type.get(), memory.get(), space.get(), transfer.get(), rows.data()),
            "cannot write /events to '" + working + "'");
}

void ResultWriter::Impl::compact_events() {
  hsize_t kept = 0;
  std::vector<EventRecord> rows;
  Handle space = h5::own(H5Dget_space(events.get()), H5Sclose, "cannot read /events");
  for (hsize_t first = 0; first < event_rows; first += kRowsPerCall) {
    const hsize_t count = std::min(kRowsPerCall, event_rows - first);
    rows.resize(count);
    h5::check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr),
              "cannot read /events");
    Handle memory = h5::simple_space({count});
    h5::check(H5Dread(events.get(), event_type.get(), memory.get(), space.get(), transfer.get(), rows.data()),
              "cannot read /events");
    std::erase_if(rows, [&](const EventRecord& e) {
      return e.run < 0 || e.run >= layout.runs ||
             status[static_cast<std::size_t>(e.run)] != static_cast<std::int8_t>(RunStatus::Done);
    });
    if (kept != first || rows.size() != count) write_events(kept, rows);
    kept += rows.size();
  }
  if (kept != event_rows) resize_events(kept);
}

}  // namespace p3sim
