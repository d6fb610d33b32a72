// The RunResult byte encoding (see RunResultCodec.hpp). Layout, all host byte order:
//   u32 magic, u32 version, u64 seed, i8 status, i32 steps sectors orgs dims,
//   u64 n + n bytes message, then for series, sector_series, final_metrics, org_fields, org_vectors:
//   u64 n + n doubles; then u64 n + n events of (i32 step, i32 org, i8 kind, i8 cause, f64 value).
#include "sweep/RunResultCodec.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace p3sim {
namespace {

constexpr std::uint32_t kMagic = 0x52523350;  // "P3RR" read as little-endian bytes
constexpr std::uint32_t kVersion = 1;

template <typename T>
void put(std::vector<std::byte>& out, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  const auto* p = reinterpret_cast<const std::byte*>(&value);
  out.insert(out.end(), p, p + sizeof(T));
}

void put_doubles(std::vector<std::byte>& out, const std::vector<double>& values) {
  put<std::uint64_t>(out, values.size());
  const auto* p = reinterpret_cast<const std::byte*>(values.data());
  out.insert(out.end(), p, p + values.size() * sizeof(double));
}

// Reads fields in order and refuses to run past the end.
class Reader {
 public:
  Reader(const std::byte* data, std::size_t size) : data_(data), left_(size) {}

  template <typename T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
    return value;
  }
  std::uint64_t count(std::size_t element_size) {
    const auto n = get<std::uint64_t>();
    if (n > left_ / element_size) fail("a length larger than the rest of the buffer");
    return n;
  }
  void doubles(std::vector<double>& values, std::size_t expected, const char* what) {
    const std::uint64_t n = count(sizeof(double));
    // Arrays are either empty (a failed run) or of the size the shape implies.
    if (n != 0 && n != expected) fail(std::string(what) + " of a length that does not match the shape");
    values.resize(n);
    if (n > 0) std::memcpy(values.data(), take(n * sizeof(double)), n * sizeof(double));
  }
  const std::byte* take(std::size_t n) {
    if (n > left_) fail("a truncated buffer");
    const std::byte* p = data_;
    data_ += n;
    left_ -= n;
    return p;
  }
  std::size_t left() const { return left_; }
  [[noreturn]] static void fail(const std::string& found) {
    throw std::invalid_argument("RunResult decoding: expected an encoded RunResult, found " + found);
  }

 private:
  const std::byte* data_;
  std::size_t left_;
};

}  // namespace

void encode_run_result(const RunResult& r, std::vector<std::byte>& out) {
  put(out, kMagic);
  put(out, kVersion);
  put(out, r.seed);
  put(out, static_cast<std::int8_t>(r.status));
  for (const int v : {r.steps, r.sectors, r.orgs, r.dims}) put(out, static_cast<std::int32_t>(v));
  put<std::uint64_t>(out, r.message.size());
  const auto* m = reinterpret_cast<const std::byte*>(r.message.data());
  out.insert(out.end(), m, m + r.message.size());
  for (const auto* v : {&r.series, &r.sector_series, &r.final_metrics, &r.org_fields, &r.org_vectors}) {
    put_doubles(out, *v);
  }
  put<std::uint64_t>(out, r.events.size());
  for (const Event& e : r.events) {
    put(out, e.step);
    put(out, e.org);
    put(out, static_cast<std::int8_t>(e.kind));
    put(out, static_cast<std::int8_t>(e.cause));
    put(out, e.value);
  }
}

RunResult decode_run_result(const std::byte* data, std::size_t size) {
  Reader in(data, size);
  if (in.get<std::uint32_t>() != kMagic) Reader::fail("another magic number (not a RunResult, or another byte order)");
  if (in.get<std::uint32_t>() != kVersion) Reader::fail("another encoding version");
  RunResult r;
  r.seed = in.get<std::uint64_t>();
  r.status = static_cast<RunStatus>(in.get<std::int8_t>());
  r.steps = in.get<std::int32_t>();
  r.sectors = in.get<std::int32_t>();
  r.orgs = in.get<std::int32_t>();
  r.dims = in.get<std::int32_t>();
  const std::uint64_t message = in.count(1);
  r.message.assign(reinterpret_cast<const char*>(in.take(message)), message);
  const std::size_t states = r.steps < 0 ? 0 : static_cast<std::size_t>(r.steps) + 1;
  const auto sectors = static_cast<std::size_t>(r.sectors < 0 ? 0 : r.sectors);
  const auto orgs = static_cast<std::size_t>(r.orgs < 0 ? 0 : r.orgs);
  const auto dims = static_cast<std::size_t>(r.dims < 0 ? 0 : r.dims);
  in.doubles(r.series, kSeriesCount * states, "series");
  in.doubles(r.sector_series, kSectorSeriesCount * states * sectors, "sector series");
  in.doubles(r.final_metrics, kFinalCount, "final metrics");
  in.doubles(r.org_fields, kOrgFieldCount * orgs, "organization fields");
  in.doubles(r.org_vectors, kOrgVectorFieldCount * orgs * dims, "organization vectors");
  const std::uint64_t events = in.count(2 * sizeof(std::int32_t) + 2 + sizeof(double));
  r.events.resize(events);
  for (Event& e : r.events) {
    e.step = in.get<std::int32_t>();
    e.org = in.get<std::int32_t>();
    e.kind = static_cast<EventKind>(in.get<std::int8_t>());
    e.cause = static_cast<Cause>(in.get<std::int8_t>());
    e.value = in.get<double>();
  }
  if (in.left() != 0) Reader::fail(std::to_string(in.left()) + " bytes after its end");
  return r;
}

}  // namespace p3sim
