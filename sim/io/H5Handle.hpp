#pragma once
// H5Handle: ownership of HDF5 C API identifiers, error checking, and the few attribute and string
// helpers shared by the result writer, the reader and provenance.
//
// p3sim talks to HDF5 through the C API (the C++ API cannot express dimension scales, fill values
// or creation-order flags any more briefly) and owns every hid_t through a Handle, so that an
// exception never leaks an identifier or leaves a file open. Every failed call becomes an
// OutputError carrying what p3sim was doing and HDF5's own innermost message.
#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "io/ResultLayout.hpp"

namespace p3sim::h5 {

/// Closes an identifier of one kind (H5Fclose, H5Dclose, ...).
using Closer = herr_t (*)(hid_t);

/// Owns one HDF5 identifier and closes it with its Closer; movable, not copyable.
/// A default-constructed Handle owns nothing (get() == H5I_INVALID_HID).
class Handle {
 public:
  Handle() = default;
  /// Takes ownership of `id` (may be invalid, then nothing is closed).
  Handle(hid_t id, Closer close) noexcept : id_(id), close_(close) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(other.close_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      close_ = other.close_;
    }
    return *this;
  }

  /// The identifier, still owned by this Handle.
  hid_t get() const noexcept { return id_; }
  /// True when an identifier is owned.
  bool valid() const noexcept { return id_ >= 0; }
  /// Closes the identifier now. Errors on close are ignored (destructors must not throw); use
  /// close() where a failure must be reported.
  void reset() noexcept {
    if (id_ >= 0 && close_ != nullptr) close_(id_);
    id_ = H5I_INVALID_HID;
  }
  /// Closes the identifier and reports failure (HDF5 flushes data when a file is closed).
  /// Throws OutputError naming `what`.
  void close(const std::string& what);

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer close_ = nullptr;
};

/// HDF5's innermost error description on the current thread's error stack, or "" if none.
/// Call it right after the failing call: any later HDF5 call clears the stack.
inline std::string last_error() {
  std::string text;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned, const H5E_error2_t* err, void* data) -> herr_t {
        if (err->desc != nullptr && err->desc[0] != '\0') *static_cast<std::string*>(data) = err->desc;
        return 0;
      },
      &text);
  // A failed read or write of the file describes itself in a long record (time, descriptor, buffer
  // address, byte counts) around the system's own message; users need only "File too large".
  const std::string marker = "error message = '";
  if (const std::size_t at = text.find(marker); at != std::string::npos) {
    const std::size_t begin = at + marker.size(), end = text.find('\'', begin);
    if (end != std::string::npos) {
      const std::string operation = text.substr(0, text.find(':'));
      text = operation + ": " + text.substr(begin, end - begin);
    }
  }
  // Other descriptions may span lines; errors are reported in one line.
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

/// Throws OutputError("`what`: <HDF5 message>").
[[noreturn]] inline void fail(const std::string& what) {
  const std::string detail = last_error();
  throw OutputError(detail.empty() ? what : what + " (HDF5: " + detail + ")");
}

/// Returns `status` when it is non-negative; otherwise throws OutputError naming `what`.
inline herr_t check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
  return status;
}

/// Wraps a freshly returned identifier; throws OutputError naming `what` if it is invalid.
inline Handle own(hid_t id, Closer close, const std::string& what) {
  if (id < 0) fail(what);
  return Handle(id, close);
}

inline void Handle::close(const std::string& what) {
  if (id_ < 0) return;
  const hid_t id = std::exchange(id_, H5I_INVALID_HID);
  if (close_ != nullptr) check(close_(id), what);
}

/// While alive, stops HDF5 from printing its error stack to stderr (errors become exceptions
/// instead); restores the previous behaviour on destruction. Scoped to the calling thread.
class QuietErrors {
 public:
  QuietErrors() noexcept {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

/// A dataset transfer property list with its own type-conversion and background buffers.
/// Without it HDF5 callocs a fresh 1 MiB conversion buffer for every read or write that converts
/// (strings, compound rows, narrowing integers), which costs milliseconds per call; with it nothing
/// is allocated per call. Conversions of more than `bytes` are done in several passes.
class TransferList {
 public:
  /// Throws OutputError.
  explicit TransferList(std::size_t bytes = 256 * 1024) : conversion_(bytes), background_(bytes) {
    list_ = own(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "cannot create a transfer property list");
    check(H5Pset_buffer(list_.get(), bytes, conversion_.data(), background_.data()), "cannot set conversion buffers");
  }
  /// The property list, for H5Dread/H5Dwrite.
  hid_t get() const noexcept { return list_.get(); }

 private:
  std::vector<unsigned char> conversion_, background_;
  Handle list_;
};

/// A new variable-length UTF-8 string type (what h5py reads as str).
inline Handle string_type() {
  Handle type = own(H5Tcopy(H5T_C_S1), H5Tclose, "cannot copy the string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "cannot make a variable-length string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot set the UTF-8 character set");
  return type;
}

/// A new fixed-length UTF-8 string type of `bytes` bytes per string, NUL-padded (h5py reads it as
/// bytes). Unlike variable-length strings it keeps its text in the dataset itself rather than in
/// the file's global heap, so writing it never touches file metadata.
inline Handle fixed_string_type(std::size_t bytes) {
  Handle type = own(H5Tcopy(H5T_C_S1), H5Tclose, "cannot copy the string type");
  check(H5Tset_size(type.get(), bytes), "cannot size a fixed-length string type");
  check(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "cannot set string padding");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot set the UTF-8 character set");
  return type;
}

/// A scalar dataspace.
inline Handle scalar_space() { return own(H5Screate(H5S_SCALAR), H5Sclose, "cannot create a scalar dataspace"); }

/// A simple dataspace of the given extent; `max` empty means fixed size.
inline Handle simple_space(const std::vector<hsize_t>& dims, const std::vector<hsize_t>& max = {}) {
  return own(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max.empty() ? nullptr : max.data()), H5Sclose,
             "cannot create a dataspace");
}

/// Creates group `path` (absolute, parent existing) that tracks and indexes link creation order
/// (readers list members in the order they were made) and stores no modification times (so that
/// identical content gives identical bytes). Throws OutputError.
inline Handle create_group(hid_t file, const char* path) {
  const std::string what = std::string("cannot create group '") + path + "'";
  Handle gcpl = own(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, what);
  check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  check(H5Pset_obj_track_times(gcpl.get(), false), what);
  return own(H5Gcreate2(file, path, H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose, what);
}

/// How a dataset's storage is set up.
enum class Storage {
  /// Chunks are allocated on first write and go through a small chunk cache (two chunks, all a
  /// writer filling chunks one after another needs).
  Cached,
  /// Every chunk of a fixed-size dataset is allocated and filled when the dataset is created, and
  /// there is no chunk cache: each write goes straight to the file, in call order, and never
  /// changes file metadata. A process killed between writes leaves a readable file whose datasets
  /// hold exactly the writes that were made. What the sweep writer needs for crash safety.
  Direct
};

/// Creates (or, when `create` is false, opens) dataset `path` of `file_type` with extent `extent`
/// (maximum `max`, empty = fixed), chunked as `chunk` (empty = contiguous). Unwritten elements read
/// as `fill`, given in native type `fill_type` (nullptr: HDF5's default). No modification times are
/// stored, so that identical content gives identical bytes. Throws OutputError.
inline Handle dataset(hid_t file, bool create, const std::string& path, hid_t file_type,
                      const std::vector<hsize_t>& extent, const std::vector<hsize_t>& chunk,
                      hid_t fill_type = H5I_INVALID_HID, const void* fill = nullptr,
                      const std::vector<hsize_t>& max = {}, Storage storage = Storage::Cached) {
  const std::string what = std::string(create ? "cannot create" : "cannot open") + " dataset '" + path + "'";
  Handle dapl = own(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose, what);
  if (!chunk.empty()) {
    hsize_t bytes = H5Tget_size(file_type);
    for (hsize_t c : chunk) bytes *= c;
    const bool cached = storage == Storage::Cached;
    check(H5Pset_chunk_cache(dapl.get(), cached ? 521 : 0, cached ? static_cast<std::size_t>(2 * bytes) : 0, 1.0),
          what);
  }
  if (!create) return own(H5Dopen2(file, path.c_str(), dapl.get()), H5Dclose, what);
  Handle dcpl = own(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, what);
  check(H5Pset_obj_track_times(dcpl.get(), false), what);
  if (!chunk.empty()) check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), what);
  if (fill != nullptr) check(H5Pset_fill_value(dcpl.get(), fill_type, fill), what);
  if (storage == Storage::Direct && max.empty()) {
    check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), what);
    check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_ALLOC), what);
  }
  Handle space = simple_space(extent, max);
  return own(H5Dcreate2(file, path.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(), dapl.get()), H5Dclose,
             what);
}

/// Writes a scalar attribute `name` on `obj`. `file_type` is how it is stored, `mem_type` how
/// `value` is laid out in memory. Throws OutputError.
inline void write_scalar_attribute(hid_t obj, const char* name, hid_t file_type, hid_t mem_type, const void* value) {
  const std::string what = std::string("cannot write attribute '") + name + "'";
  Handle space = scalar_space();
  Handle attr = own(H5Acreate2(obj, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
  check(H5Awrite(attr.get(), mem_type, value), what);
}

/// Writes a scalar variable-length UTF-8 string attribute. Throws OutputError.
inline void write_string_attribute(hid_t obj, const char* name, const std::string& value) {
  Handle type = string_type();
  const char* text = value.c_str();
  write_scalar_attribute(obj, name, type.get(), type.get(), &text);
}

/// Writes a one-dimensional attribute of variable-length UTF-8 strings (a name table).
/// Throws OutputError.
inline void write_string_array_attribute(hid_t obj, const char* name, const std::vector<std::string>& values) {
  const std::string what = std::string("cannot write attribute '") + name + "'";
  std::vector<const char*> texts;
  texts.reserve(values.size());
  for (const std::string& v : values) texts.push_back(v.c_str());
  Handle type = string_type();
  Handle space = simple_space({static_cast<hsize_t>(values.size())});
  Handle attr = own(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
  check(H5Awrite(attr.get(), type.get(), texts.data()), what);
}

/// Reads `count` strings stored with file type `file_type` from `read` (which reads into a buffer
/// with the memory type it is given). Handles variable- and fixed-length strings.
template <typename ReadFn>
std::vector<std::string> read_strings(hid_t file_type, std::size_t count, ReadFn read, const std::string& what) {
  std::vector<std::string> out(count);
  if (count == 0) return out;
  const htri_t variable = H5Tis_variable_str(file_type);
  if (variable < 0) fail(what);
  if (variable > 0) {
    Handle type = string_type();
    std::vector<char*> texts(count, nullptr);
    check(read(type.get(), texts.data()), what);
    for (std::size_t i = 0; i < count; ++i) {
      if (texts[i] != nullptr) out[i] = texts[i];
      H5free_memory(texts[i]);
    }
    return out;
  }
  const std::size_t size = H5Tget_size(file_type);
  Handle type = own(H5Tcopy(H5T_C_S1), H5Tclose, what);
  check(H5Tset_size(type.get(), size), what);
  check(H5Tset_cset(type.get(), H5Tget_cset(file_type)), what);  // HDF5 converts no character sets
  std::vector<char> buffer(size * count);
  check(read(type.get(), buffer.data()), what);
  for (std::size_t i = 0; i < count; ++i) {
    const char* begin = buffer.data() + i * size;
    std::size_t length = 0;
    while (length < size && begin[length] != '\0') ++length;
    out[i] = std::string(begin, length);
  }
  return out;
}

/// Reads every string of attribute `name` on `obj` (scalar or one-dimensional).
/// Throws OutputError if it is missing or not a string.
inline std::vector<std::string> read_string_attribute_values(hid_t obj, const char* name) {
  const std::string what = std::string("cannot read string attribute '") + name + "'";
  Handle attr = own(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, what);
  Handle type = own(H5Aget_type(attr.get()), H5Tclose, what);
  if (H5Tget_class(type.get()) != H5T_STRING) throw OutputError(what + ": not a string");
  Handle space = own(H5Aget_space(attr.get()), H5Sclose, what);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) fail(what);
  return read_strings(
      type.get(), static_cast<std::size_t>(count), [&](hid_t mem, void* buf) { return H5Aread(attr.get(), mem, buf); },
      what);
}

/// Reads a scalar string attribute. Throws OutputError if missing or not a single string.
inline std::string read_string_attribute(hid_t obj, const char* name) {
  std::vector<std::string> values = read_string_attribute_values(obj, name);
  if (values.size() != 1) throw OutputError(std::string("attribute '") + name + "' is not a single string");
  return values.front();
}

/// Reads a scalar numeric attribute converted to `mem_type`. Throws OutputError if missing.
inline void read_scalar_attribute(hid_t obj, const char* name, hid_t mem_type, void* value) {
  const std::string what = std::string("cannot read attribute '") + name + "'";
  Handle attr = own(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, what);
  Handle space = own(H5Aget_space(attr.get()), H5Sclose, what);
  if (H5Sget_simple_extent_npoints(space.get()) != 1) throw OutputError(what + ": not a single value");
  check(H5Aread(attr.get(), mem_type, value), what);
}

/// True if `obj` has an attribute `name`. Throws OutputError on failure.
inline bool has_attribute(hid_t obj, const char* name) {
  const htri_t exists = H5Aexists(obj, name);
  if (exists < 0) fail(std::string("cannot look up attribute '") + name + "'");
  return exists > 0;
}

/// True if `loc` has a link `name` (a relative path of one component). Throws OutputError.
inline bool has_link(hid_t loc, const std::string& name) {
  const htri_t exists = H5Lexists(loc, name.c_str(), H5P_DEFAULT);
  if (exists < 0) fail("cannot look up '" + name + "'");
  return exists > 0;
}

}  // namespace p3sim::h5
