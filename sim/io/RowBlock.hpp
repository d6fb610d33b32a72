#pragma once
// RowBlock: gathering the rows of a block of consecutive runs in memory and writing them to HDF5
// with one call per dataset.
//
// An HDF5 write costs microseconds however little it writes, and one run touches about fifty
// datasets, so the result writer copies each finished run into row buffers and writes a whole block
// of runs at once (docs/hdf5.md, "Performance"). Rows of a block need not all be written: only the
// rows marked as written are selected, in the file and in the buffer.
#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "io/H5Handle.hpp"

namespace p3sim::h5 {

/// Rows [first, second) of a block.
using Segment = std::pair<hsize_t, hsize_t>;

/// The extent shared by several datasets whose first axis is the run, and dataspaces selecting rows
/// of a block in the file and in a block buffer of `block` rows.
struct RowSpace {
  std::vector<hsize_t> extent;  ///< whole dataset: [runs, ...]
  std::vector<int> axes;        ///< the caller's dimension id of each axis
  hsize_t row_size = 0;         ///< elements per run (product of extent[1:])
  Handle file;                  ///< the datasets' dataspace
  Handle memory;                ///< a block buffer's dataspace: [block, extent[1:]]

  RowSpace() = default;
  /// Throws OutputError.
  RowSpace(std::vector<hsize_t> dims, std::vector<int> dim_axes, hsize_t block)
      : extent(std::move(dims)), axes(std::move(dim_axes)) {
    std::vector<hsize_t> buffer = extent;
    buffer[0] = block;
    row_size = 1;
    for (std::size_t i = 1; i < extent.size(); ++i) row_size *= extent[i];
    file = simple_space(extent);
    memory = simple_space(buffer);
  }

  /// Chunk dimensions: `runs` runs (at most the run count) by everything else; empty (contiguous
  /// storage) when the extent is empty, which HDF5 cannot chunk.
  std::vector<hsize_t> chunk(hsize_t runs) const {
    if (row_size == 0 || extent[0] == 0) return {};
    std::vector<hsize_t> out = extent;
    out[0] = std::min(extent[0], runs);
    return out;
  }

  /// Selects rows `segments` of the block that starts at run `first`, in the file and in the
  /// buffer. Throws OutputError.
  void select(hsize_t first, const std::vector<Segment>& segments) {
    if (row_size == 0) return;
    std::vector<hsize_t> start(extent.size(), 0), count = extent;
    H5S_seloper_t op = H5S_SELECT_SET;
    for (const auto& [begin, end] : segments) {
      count[0] = end - begin;
      start[0] = first + begin;
      const herr_t in_file = H5Sselect_hyperslab(file.get(), op, start.data(), nullptr, count.data(), nullptr);
      start[0] = begin;
      const herr_t in_buffer = H5Sselect_hyperslab(memory.get(), op, start.data(), nullptr, count.data(), nullptr);
      if (in_file < 0 || in_buffer < 0) fail("cannot select runs");
      op = H5S_SELECT_OR;
    }
  }
};

/// One dataset and its block buffer: row i holds the run at block start + i.
struct Column {
  Handle data;
  RowSpace* space = nullptr;         ///< not owned; outlives the column
  hid_t mem_type = H5I_INVALID_HID;  ///< native type of the buffer's elements
  std::size_t element = 0;           ///< bytes per element
  std::vector<unsigned char> buffer;

  Column() = default;
  /// A column of dataset `d` shaped as `s`, buffering `block` rows of elements of `type` (`bytes` each).
  Column(Handle d, RowSpace& s, hid_t type, std::size_t bytes, hsize_t block)
      : data(std::move(d)), space(&s), mem_type(type), element(bytes), buffer(block * s.row_size * bytes) {}

  /// Start of row i of the buffer.
  unsigned char* row(std::size_t i) { return buffer.data() + i * space->row_size * element; }

  /// Copies one row (row_size elements of the buffer's type) into row i.
  void put(std::size_t i, const void* values) {
    if (space->row_size > 0) std::memcpy(row(i), values, space->row_size * element);
  }

  /// Fills row i with `value`, which must be of the buffer's type.
  template <typename T>
  void fill(std::size_t i, T value) {
    unsigned char* out = row(i);
    for (hsize_t k = 0; k < space->row_size; ++k) std::memcpy(out + k * sizeof(T), &value, sizeof(T));
  }

  /// Writes the rows selected by RowSpace::select. Throws OutputError naming the dataset and `file_name`.
  void write(hid_t transfer, const std::string& file_name) {
    if (space->row_size == 0) return;
    if (H5Dwrite(data.get(), mem_type, space->memory.get(), space->file.get(), transfer, buffer.data()) < 0) {
      std::string name(256, '\0');
      name.resize(static_cast<std::size_t>(std::max<ssize_t>(0, H5Iget_name(data.get(), name.data(), name.size()))));
      fail("cannot write " + name + " to '" + file_name + "'");
    }
  }
};

}  // namespace p3sim::h5
