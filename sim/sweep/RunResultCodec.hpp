#pragma once
// RunResultCodec: a RunResult as one flat byte buffer and back, for sending results between
// processes (the MPI sweep's workers send every finished run to rank 0, which writes the file).
//
// The encoding is the native in-memory representation of each field (fixed-width integers and IEEE
// doubles, host byte order) behind a magic number and a version, so decode(encode(r)) == r bit for
// bit, NaN payloads included: a result sent between ranks writes the same bytes as one computed
// locally. Sender and receiver must share byte order (every MPI cluster in practice; a mismatch is
// caught by the magic number and reported, never misread).
#include <cstddef>
#include <vector>

#include "result/RunResult.hpp"

namespace p3sim {

/// Appends the encoding of `result` to `out` (so a caller can put a header in front of it).
void encode_run_result(const RunResult& result, std::vector<std::byte>& out);

/// The result encoded in `size` bytes at `data`. Throws std::invalid_argument when the bytes are not
/// exactly one encoded RunResult of this version (wrong magic or version, truncated, trailing bytes,
/// sizes that disagree with the shape).
RunResult decode_run_result(const std::byte* data, std::size_t size);

}  // namespace p3sim
