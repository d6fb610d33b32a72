// libFuzzer target: `p3sim summarize` on p3sim result files that were edited after writing.
//
// Raw-byte fuzzing of HDF5 would mostly test libhdf5 (whose crashes on malformed files are out of
// our hands). Instead LLVMFuzzerInitialize writes three small valid result files with run_main (a
// sweep of scenarios/tiny_sweep.json, a run and a compare of scenarios/tiny_partnership.json) and
// lists their groups, datasets and attributes. Each input is a sequence of edits, applied with the
// HDF5 C API to a fresh copy of one of them:
//
//   byte 0                  which base file (sweep, run, compare)
//   then per edit (<= 12):  op, item (u16: a group, dataset or attribute of the list), element (u32),
//                           value selector, payload length + payload bytes (strings, raw bytes, names)
//   ops: set one element (NaN, inf, -1, huge, out-of-range codes, garbage/empty/long/invalid UTF-8
//   strings), overwrite its raw bytes, delete, resize (chunked datasets), replace by another type,
//   replace by another shape, add a sibling dataset, set every element.
//
// Then `p3sim summarize COPY.h5`, `--json` and `--by PARAM` run. This tests how far p3sim trusts its
// own files. Allowed: exit 0, and exit 1 or 2 when the message names the file (expect_clean_exit);
// summarize with and without --json must agree. Crashes, sanitizer reports, escaped exceptions and
// raw library text are findings as for every command target.
//
// Replay: `P3SIM_FUZZ_KEEP=/tmp/edited.h5 build-fuzz/fuzz/fuzz_command_summarize INPUT` keeps the
// edited file, so that `build/p3sim summarize /tmp/edited.h5` shows the same; P3SIM_FUZZ_LIST_ITEMS=1
// prints the items of the base files by index.
#include <hdf5.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "FuzzCommon.hpp"

namespace fz = p3sim::fuzz;

namespace {

constexpr const char* kTarget = "fuzz_command_summarize";

/// One editable thing of a base file: a group or dataset (attr empty) or an attribute of one.
struct Item {
  std::string path;
  std::string attr;
  bool group = false;
};

struct Base {
  std::string file;
  std::string by;  ///< the --by parameter
  std::vector<Item> items;
  std::int64_t runs = 1;
};

/// Closes an HDF5 id at scope exit.
class Id {
 public:
  Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Id() {
    if (id_ >= 0) close_(id_);
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  operator hid_t() const { return id_; }
  bool ok() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
  auto* p = static_cast<std::pair<std::vector<Item>*, std::string>*>(data);
  p->first->push_back({p->second, name, false});
  return 0;
}

herr_t collect_object(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  auto* items = static_cast<std::vector<Item>*>(data);
  const std::string path = std::strcmp(name, ".") == 0 ? std::string("/") : "/" + std::string(name);
  if (info->type != H5O_TYPE_GROUP && info->type != H5O_TYPE_DATASET) return 0;
  if (path != "/") items->push_back({path, "", info->type == H5O_TYPE_GROUP});
  Id obj(H5Oopen(root, name, H5P_DEFAULT), H5Oclose);
  if (!obj.ok()) return 0;
  std::pair<std::vector<Item>*, std::string> ctx{items, path};
  hsize_t idx = 0;
  H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr, &ctx);
  return 0;
}

std::vector<Item> list_items(const std::string& file) {
  std::vector<Item> items;
  Id f(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!f.ok()) {
    std::fprintf(stderr, "%s: cannot open %s\n", kTarget, file.c_str());
    std::abort();
  }
  H5Ovisit(f, H5_INDEX_NAME, H5_ITER_INC, collect_object, &items);
  return items;
}

Base make_base(const std::string& name, std::vector<std::string> args, const std::string& by, std::int64_t runs) {
  Base b;
  b.file = (fz::work_dir() / name).string();
  args.push_back("-o");
  args.push_back(b.file);
  args.push_back("--overwrite");
  const fz::CommandOutput c = fz::run_command(kTarget, args);
  if (c.code != 0) fz::report_finding(kTarget, c, "cannot write a base file");
  b.items = list_items(b.file);
  b.by = by;
  b.runs = runs;
  return b;
}

const std::vector<Base>& bases() {
  static const std::vector<Base> all = [] {
    const std::string scenarios = (fz::source_dir() / "scenarios").string();
    std::vector<Base> v;
    v.push_back(make_base("base_sweep.h5",
                          {"sweep", scenarios + "/tiny_sweep.json", "--threads", "1", "--no-progress"},
                          "governance.mode", 6));
    v.push_back(make_base("base_run.h5",
                          {"run", scenarios + "/tiny_partnership.json", "--steps", "6", "--seed", "3", "--quiet"},
                          "governance.mode", 1));
    v.push_back(make_base("base_compare.h5",
                          {"compare", scenarios + "/tiny_partnership.json", "--vary", "/trust/gain=0.1,0.2", "-r", "2",
                           "--seed", "1", "--threads", "1", "--json", "--set", "/steps=6"},
                          "/trust/gain", 4));
    for (const Base& b : v) {
      if (b.items.empty()) std::abort();
    }
    return v;
  }();
  return all;
}

/// The input, read as bytes; zeros once exhausted.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint32_t u16() { return u8() | (static_cast<std::uint32_t>(u8()) << 8); }
  std::uint32_t u32() { return u16() | (u16() << 16); }
  std::string bytes(std::size_t n) {
    const std::size_t k = std::min(n, size_ - std::min(pos_, size_));
    std::string s(reinterpret_cast<const char*>(data_) + std::min(pos_, size_), k);
    pos_ += k;
    return s;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

/// One edit's value: a selector and a payload.
struct Value {
  std::uint8_t selector = 0;
  std::string payload;

  double real() const {
    static const double kValues[] = {std::numeric_limits<double>::quiet_NaN(),
                                     std::numeric_limits<double>::infinity(),
                                     -std::numeric_limits<double>::infinity(),
                                     -1, 0, 1, 2, 3, 0.5, -0.5, 1e308, -1e308, 9.3e18, 5e-324, 1e6};
    const std::size_t n = sizeof kValues / sizeof kValues[0];
    const std::size_t s = selector % (n + 2);
    if (s < n) return kValues[s];
    if (s == n && payload.size() >= 8) {
      double d;
      std::memcpy(&d, payload.data(), 8);
      return d;
    }
    return payload.empty() ? -2.0 : static_cast<double>(static_cast<std::int8_t>(payload[0]));
  }

  long long integer() const {
    static const long long kValues[] = {-1, 0, 1, 2, 3, 4, 127, -128, 255, 256, 1000000000, -1000000000,
                                        std::numeric_limits<int>::max(), std::numeric_limits<int>::min(),
                                        std::numeric_limits<long long>::max(), std::numeric_limits<long long>::min(),
                                        100000, 7};
    const std::size_t n = sizeof kValues / sizeof kValues[0];
    const std::size_t s = selector % (n + 2);
    if (s < n) return kValues[s];
    if (s == n && payload.size() >= 8) {
      long long v;
      std::memcpy(&v, payload.data(), 8);
      return v;
    }
    return payload.empty() ? -2 : static_cast<std::int8_t>(payload[0]);
  }

  std::string text() const {
    switch (selector % 10) {
      case 0: return "";
      case 1: return payload;
      case 2: return std::string(100000, 'x');
      case 3: return "\xff\xfe\xc3(\xe2\x82";
      case 4: return "{}";
      case 5: return "null";
      case 6: return "[1, 2";
      case 7: return "{\"steps\": -1, \"organizations\": []}";
      case 8: return "governance.mode";
      default: return payload + payload + payload;
    }
  }
};

hsize_t element_count(hid_t space) {
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  return n > 0 ? static_cast<hsize_t>(n) : 0;
}

/// Writes `count` copies of `v` (as the type class of `ftype` says) through `write` with a memory
/// type; returns false for types that are not edited element-wise (references, vlen sequences).
template <class Write>
bool write_values(hid_t ftype, hsize_t count, const Value& v, Write&& write) {
  const H5T_class_t cls = H5Tget_class(ftype);
  if (cls == H5T_INTEGER || cls == H5T_ENUM) {
    std::vector<long long> buf(count, v.integer());
    return write(H5T_NATIVE_LLONG, buf.data()) >= 0;
  }
  if (cls == H5T_FLOAT) {
    std::vector<double> buf(count, v.real());
    return write(H5T_NATIVE_DOUBLE, buf.data()) >= 0;
  }
  if (cls == H5T_STRING) {
    const std::string text = v.text();
    if (H5Tis_variable_str(ftype) > 0) {
      Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
      H5Tset_size(mem, H5T_VARIABLE);
      H5Tset_cset(mem, H5Tget_cset(ftype));
      std::vector<const char*> buf(count, text.c_str());
      return write(hid_t(mem), buf.data()) >= 0;
    }
    Id mem(H5Tcopy(ftype), H5Tclose);
    const std::size_t size = H5Tget_size(ftype);
    std::string buf(size * count, '\0');
    for (hsize_t i = 0; i < count; ++i) std::memcpy(&buf[i * size], text.data(), std::min(size, text.size()));
    return write(hid_t(mem), buf.data()) >= 0;
  }
  if (cls == H5T_COMPOUND) {
    // One member, chosen by the payload, written alone (HDF5 matches compound members by name).
    const int members = H5Tget_nmembers(ftype);
    if (members <= 0) return false;
    const unsigned m = static_cast<unsigned>(v.payload.empty() ? 0 : static_cast<unsigned char>(v.payload[0])) %
                       static_cast<unsigned>(members);
    char* name = H5Tget_member_name(ftype, m);
    Id mtype(H5Tget_member_type(ftype, m), H5Tclose);
    const H5T_class_t mc = H5Tget_class(mtype);
    bool ok = false;
    if (mc == H5T_INTEGER || mc == H5T_FLOAT || mc == H5T_ENUM) {
      const bool real = mc == H5T_FLOAT;
      Id mem(H5Tcreate(H5T_COMPOUND, 8), H5Tclose);
      H5Tinsert(mem, name, 0, real ? H5T_NATIVE_DOUBLE : H5T_NATIVE_LLONG);
      std::vector<double> rbuf(count, v.real());
      std::vector<long long> ibuf(count, v.integer());
      ok = write(hid_t(mem), real ? static_cast<void*>(rbuf.data()) : static_cast<void*>(ibuf.data())) >= 0;
    }
    H5free_memory(name);
    return ok;
  }
  return false;
}

bool editable_raw(hid_t ftype) {
  const H5T_class_t cls = H5Tget_class(ftype);
  if (cls == H5T_INTEGER || cls == H5T_FLOAT || cls == H5T_ENUM) return true;
  if (cls == H5T_STRING) return H5Tis_variable_str(ftype) <= 0;
  if (cls == H5T_COMPOUND) return H5Tdetect_class(ftype, H5T_VLEN) <= 0 && H5Tdetect_class(ftype, H5T_REFERENCE) <= 0 &&
                                  H5Tdetect_class(ftype, H5T_STRING) <= 0;
  return false;
}

/// Selects element `element` (modulo the count) of `space`; false if it has none.
bool select_element(hid_t space, std::uint32_t element) {
  const hsize_t n = element_count(space);
  if (n == 0) return false;
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank <= 0) return H5Sselect_all(space) >= 0;
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank)), coord(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  hsize_t e = element % n;
  for (int d = rank - 1; d >= 0; --d) {
    coord[static_cast<std::size_t>(d)] = e % dims[static_cast<std::size_t>(d)];
    e /= dims[static_cast<std::size_t>(d)];
  }
  return H5Sselect_elements(space, H5S_SELECT_SET, 1, coord.data()) >= 0;
}

/// Element `element` of a dataset set to `v`.
void set_dataset_element(hid_t file, const Item& it, std::uint32_t element, const Value& v, bool raw) {
  Id d(H5Dopen2(file, it.path.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.ok()) return;
  Id ftype(H5Dget_type(d), H5Tclose);
  Id fspace(H5Dget_space(d), H5Sclose);
  if (!select_element(fspace, element)) return;
  const hsize_t one = 1;
  Id mspace(H5Screate_simple(1, &one, nullptr), H5Sclose);
  if (raw) {
    if (!editable_raw(ftype)) return;
    Id mem(H5Tget_class(ftype) == H5T_STRING ? H5Tcopy(ftype) : H5Tget_native_type(ftype, H5T_DIR_DEFAULT), H5Tclose);
    const std::size_t size = H5Tget_size(mem);
    std::string buf(size, '\0');
    if (H5Dread(d, mem, mspace, fspace, H5P_DEFAULT, buf.data()) < 0) return;
    const std::size_t at = v.selector % size;
    std::memcpy(&buf[at], v.payload.data(), std::min(v.payload.size(), size - at));
    H5Dwrite(d, mem, mspace, fspace, H5P_DEFAULT, buf.data());
    return;
  }
  write_values(ftype, 1, v, [&](hid_t mem, const void* buf) { return H5Dwrite(d, mem, mspace, fspace, H5P_DEFAULT, buf); });
}

void set_dataset_all(hid_t file, const Item& it, const Value& v) {
  Id d(H5Dopen2(file, it.path.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.ok()) return;
  Id ftype(H5Dget_type(d), H5Tclose);
  Id fspace(H5Dget_space(d), H5Sclose);
  const hsize_t n = element_count(fspace);
  if (n == 0 || n > 1000000) return;
  write_values(ftype, n, v, [&](hid_t mem, const void* buf) { return H5Dwrite(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); });
}

/// An attribute's element `element` (or all of them) set to `v`: the attribute is read whole and
/// written back whole, as attributes are.
void set_attribute(hid_t file, const Item& it, std::uint32_t element, const Value& v, bool all, bool raw) {
  Id a(H5Aopen_by_name(file, it.path.c_str(), it.attr.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!a.ok()) return;
  Id ftype(H5Aget_type(a), H5Tclose);
  Id space(H5Aget_space(a), H5Sclose);
  const hsize_t n = element_count(space);
  if (n == 0 || n > 100000) return;
  const hsize_t e = element % n;
  const H5T_class_t cls = H5Tget_class(ftype);
  if (raw) {
    if (!editable_raw(ftype)) return;
    Id mem(cls == H5T_STRING ? H5Tcopy(ftype) : H5Tget_native_type(ftype, H5T_DIR_DEFAULT), H5Tclose);
    const std::size_t size = H5Tget_size(mem);
    std::string buf(size * n, '\0');
    if (H5Aread(a, mem, buf.data()) < 0) return;
    const std::size_t at = v.selector % size;
    std::memcpy(&buf[e * size + at], v.payload.data(), std::min(v.payload.size(), size - at));
    H5Awrite(a, mem, buf.data());
    return;
  }
  if (all || n == 1) {
    write_values(ftype, n, v, [&](hid_t mem, const void* buf) { return H5Awrite(a, mem, buf); });
    return;
  }
  if (cls == H5T_INTEGER || cls == H5T_ENUM) {
    std::vector<long long> buf(n);
    if (H5Aread(a, H5T_NATIVE_LLONG, buf.data()) < 0) return;
    buf[e] = v.integer();
    H5Awrite(a, H5T_NATIVE_LLONG, buf.data());
  } else if (cls == H5T_FLOAT) {
    std::vector<double> buf(n);
    if (H5Aread(a, H5T_NATIVE_DOUBLE, buf.data()) < 0) return;
    buf[e] = v.real();
    H5Awrite(a, H5T_NATIVE_DOUBLE, buf.data());
  } else if (cls == H5T_STRING && H5Tis_variable_str(ftype) > 0) {
    Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem, H5T_VARIABLE);
    H5Tset_cset(mem, H5Tget_cset(ftype));
    std::vector<char*> raw_strings(n, nullptr);
    if (H5Aread(a, mem, raw_strings.data()) < 0) return;
    std::vector<std::string> strings;
    for (char* s : raw_strings) strings.emplace_back(s != nullptr ? s : "");
    H5Dvlen_reclaim(mem, space, H5P_DEFAULT, raw_strings.data());
    strings[e] = v.text();
    std::vector<const char*> out;
    for (const std::string& s : strings) out.push_back(s.c_str());
    H5Awrite(a, mem, out.data());
  }
}

/// Replaces a dataset, attribute or group by a dataset (attribute) of another type or shape.
void replace(hid_t file, const Item& it, const Value& v, bool other_shape) {
  // The replacement's type and dataspace, from the original where there is one.
  hid_t orig_type = -1;
  std::vector<hsize_t> dims;
  if (!it.group) {
    Id obj(it.attr.empty() ? H5Dopen2(file, it.path.c_str(), H5P_DEFAULT)
                           : H5Aopen_by_name(file, it.path.c_str(), it.attr.c_str(), H5P_DEFAULT, H5P_DEFAULT),
           it.attr.empty() ? H5Dclose : H5Aclose);
    if (!obj.ok()) return;
    orig_type = it.attr.empty() ? H5Dget_type(obj) : H5Aget_type(obj);
    Id space(it.attr.empty() ? H5Dget_space(obj) : H5Aget_space(obj), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank > 0) {
      dims.resize(static_cast<std::size_t>(rank));
      H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    }
  }
  Id orig(orig_type, H5Tclose);
  const std::uint8_t how = static_cast<std::uint8_t>(v.selector / 10);
  hid_t type;
  if (other_shape && orig.ok()) {
    type = H5Tcopy(orig);
  } else {
    switch (how % 4) {
      case 0:
        type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, H5T_VARIABLE);
        break;
      case 1: type = H5Tcopy(H5T_NATIVE_DOUBLE); break;
      case 2: type = H5Tcopy(H5T_NATIVE_INT8); break;
      default:
        type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, 4);
        break;
    }
  }
  Id new_type(type, H5Tclose);
  if (other_shape) {
    const hsize_t n = dims.empty() ? 1 : dims[0];
    switch (how % 6) {
      case 0: dims.clear(); break;
      case 1: dims = {n > 0 ? n - 1 : 0}; break;
      case 2: dims = {n + 1}; break;
      case 3: dims = {n, 2}; break;
      case 4: dims = {0}; break;
      default: dims = {n * 3 + 1}; break;
    }
  }
  Id space(dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
           H5Sclose);
  const hsize_t n = element_count(space);
  if (it.attr.empty()) {
    if (H5Ldelete(file, it.path.c_str(), H5P_DEFAULT) < 0) return;
    Id d(H5Dcreate2(file, it.path.c_str(), new_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    // Left unwritten (fill values; NULL strings) for half of the selectors.
    if (d.ok() && n > 0 && v.selector % 2 == 0) {
      write_values(new_type, n, v, [&](hid_t mem, const void* buf) { return H5Dwrite(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); });
    }
  } else {
    if (H5Adelete_by_name(file, it.path.c_str(), it.attr.c_str(), H5P_DEFAULT) < 0) return;
    Id a(H5Acreate_by_name(file, it.path.c_str(), it.attr.c_str(), new_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
         H5Aclose);
    if (a.ok() && n > 0 && v.selector % 2 == 0) {
      write_values(new_type, n, v, [&](hid_t mem, const void* buf) { return H5Awrite(a, mem, buf); });
    }
  }
}

/// A new float64 dataset [runs] next to the item (in it, for a group), named from the payload.
void add_sibling(hid_t file, const Item& it, const Value& v, std::int64_t runs) {
  std::string group = it.group ? it.path : it.path.substr(0, it.path.rfind('/'));
  if (group.empty()) group = "/";
  std::string name = v.payload;
  for (char& c : name) {
    if (c == '/' || c == '\0') c = '_';
  }
  if (name.empty() || name == "." || name == "..") name = "x" + name;
  const std::string path = (group == "/" ? "" : group) + "/" + name;
  const hsize_t dims[1] = {static_cast<hsize_t>(runs) + (v.selector % 3 == 0 ? 1 : 0)};
  Id space(H5Screate_simple(1, dims, nullptr), H5Sclose);
  Id d(H5Dcreate2(file, path.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
  if (!d.ok()) return;
  std::vector<double> values(dims[0]);
  for (std::size_t i = 0; i < values.size(); ++i) {
    Value vi = v;
    vi.selector = static_cast<std::uint8_t>(v.selector + i * 7);
    values[i] = vi.real();
  }
  H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  if (v.selector % 2 == 1) {  // with the "parameter" attribute a sweep's /params datasets carry
    Id str(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(str, H5T_VARIABLE);
    Id scalar(H5Screate(H5S_SCALAR), H5Sclose);
    Id a(H5Acreate2(d, "parameter", str, scalar, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    const std::string text = v.text();
    const char* p = text.c_str();
    if (a.ok()) H5Awrite(a, str, &p);
  }
}

void resize(hid_t file, const Item& it, std::uint32_t element) {
  Id d(H5Dopen2(file, it.path.c_str(), H5P_DEFAULT), H5Dclose);
  if (!d.ok()) return;
  Id space(H5Dget_space(d), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank <= 0) return;
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  const hsize_t n = dims[0];
  const hsize_t choices[] = {0, 1, n > 0 ? n - 1 : 0, n + 1, 2 * n, element % 1000};
  dims[0] = choices[element % 6];
  H5Dset_extent(d, dims.data());
}

/// Applies the edits of the input to `copy`; returns false when nothing could be opened.
bool apply_edits(const std::string& copy, const Base& base, Reader& in) {
  Id file(H5Fopen(copy.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
  if (!file.ok()) return false;
  for (int edit = 0; edit < 12 && !in.done(); ++edit) {
    const std::uint8_t op = in.u8() % 8;
    const Item& it = base.items[in.u16() % base.items.size()];
    const std::uint32_t element = in.u32();
    Value v;
    v.selector = in.u8();
    v.payload = in.bytes(in.u8());
    const bool attr = !it.attr.empty();
    switch (op) {
      case 0:
      case 1:
        if (attr) set_attribute(file, it, element, v, false, op == 1);
        else if (!it.group) set_dataset_element(file, it, element, v, op == 1);
        break;
      case 2:
        if (attr) H5Adelete_by_name(file, it.path.c_str(), it.attr.c_str(), H5P_DEFAULT);
        else H5Ldelete(file, it.path.c_str(), H5P_DEFAULT);
        break;
      case 3:
        if (!attr && !it.group) resize(file, it, element);
        break;
      case 4:
      case 5: replace(file, it, v, op == 5); break;
      case 6: add_sibling(file, it, v, base.runs); break;
      default:
        if (attr) set_attribute(file, it, element, v, true, false);
        else if (!it.group) set_dataset_all(file, it, v);
        break;
    }
  }
  H5Fflush(file, H5F_SCOPE_GLOBAL);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  // P3SIM_FUZZ_LIST_ITEMS=1: print the items of each base file by index (to write or read seeds).
  if (const char* list = std::getenv("P3SIM_FUZZ_LIST_ITEMS"); list != nullptr && *list == '1') {
    for (std::size_t b = 0; b < bases().size(); ++b) {
      for (std::size_t i = 0; i < bases()[b].items.size(); ++i) {
        const Item& it = bases()[b].items[i];
        std::fprintf(stderr, "base %zu item %zu: %s%s%s\n", b, i, it.path.c_str(), it.attr.empty() ? "" : " @",
                     it.attr.c_str());
      }
    }
  }
  (void)bases();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Reader in(data, size);
  const Base& base = bases()[in.u8() % bases().size()];
  const std::string copy = (fz::work_dir() / "edited.h5").string();
  std::filesystem::copy_file(base.file, copy, std::filesystem::copy_options::overwrite_existing);
  if (!apply_edits(copy, base, in)) return 0;
  // P3SIM_FUZZ_KEEP=FILE.h5: keep a copy of the edited file, to replay a finding with build/p3sim.
  if (const char* keep = std::getenv("P3SIM_FUZZ_KEEP"); keep != nullptr && *keep != '\0') {
    std::filesystem::copy_file(copy, keep, std::filesystem::copy_options::overwrite_existing);
  }
  const std::string text = fz::as_text(data, size);
  const fz::ExitRules rules{text, copy};

  const fz::CommandOutput plain = fz::run_command(kTarget, {"summarize", copy});
  fz::expect_clean_exit(kTarget, plain, {0, 1, 2}, rules);
  const fz::CommandOutput json = fz::run_command(kTarget, {"summarize", copy, "--json"});
  fz::expect_clean_exit(kTarget, json, {0, 1, 2}, rules);
  if (json.code != plain.code) fz::report_finding(kTarget, json, "exit " + std::to_string(plain.code) + " without --json");
  const fz::CommandOutput by = fz::run_command(kTarget, {"summarize", copy, "--by", base.by});
  fz::expect_clean_exit(kTarget, by, {0, 1, 2}, rules);
  return 0;
}
