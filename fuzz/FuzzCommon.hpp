#pragma once
// Shared by the libFuzzer targets: what counts as an expected failure.
//
// Bad input of any kind must end in InputError (which carries ValidationErrors with JSON
// Pointers). Any other exception escaping the code under test is a bug: the target aborts so that
// libFuzzer records the input as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "scenario/ValidationError.hpp"

namespace p3sim::fuzz {

/// Runs `body`; returns normally for success or InputError, aborts on any other exception.
template <class Body>
void expect_only_input_errors(const char* target, Body&& body) {
  try {
    body();
  } catch (const InputError& e) {
    if (e.errors().empty()) {
      std::fprintf(stderr, "%s: InputError without errors\n", target);
      std::abort();
    }
    for (const ValidationError& v : e.errors()) {
      if (v.id.empty() || v.expected.empty()) {
        std::fprintf(stderr, "%s: incomplete error: %s\n", target, v.format().c_str());
        std::abort();
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: unexpected exception: %s\n", target, e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "%s: unexpected non-standard exception\n", target);
    std::abort();
  }
}

inline std::string as_text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace p3sim::fuzz
