#include "scenario/JsonReader.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;

// A SAX consumer that builds the document and knows, at every event, the JSON Pointer of the value
// being read: that is what lets a syntax error name its place in the document, not only its line.
class PointerTrackingBuilder {
 public:
  PointerTrackingBuilder(std::string_view text, const std::string& file, std::vector<ValidationError>& errors)
      : text_(text), file_(file), errors_(errors) {}

  ojson& root() { return root_; }

  bool null() { return put(ojson(nullptr)); }
  bool boolean(bool v) { return put(ojson(v)); }
  bool number_integer(ojson::number_integer_t v) { return put(ojson(v)); }
  bool number_unsigned(ojson::number_unsigned_t v) { return put(ojson(v)); }
  bool number_float(ojson::number_float_t v, const ojson::string_t&) { return put(ojson(v)); }
  bool string(ojson::string_t& v) { return put(ojson(std::move(v))); }
  bool binary(ojson::binary_t& v) { return put(ojson(v)); }
  bool start_object(std::size_t) { return open(ojson::object()); }
  bool start_array(std::size_t) { return open(ojson::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(ojson::string_t& k) {
    Frame& f = stack_.back();
    f.duplicate = !f.keys.insert(k).second;
    if (f.duplicate) {
      ValidationError e;
      e.id = "duplicate_key";
      e.file = file_;
      e.pointer = pointer() + "/" + pointer_token(k);
      e.expected = "each key once per object";
      e.found = "the key \"" + k + "\" again";
      e.hint = "the later value would silently replace the earlier one";
      errors_.push_back(std::move(e));
    }
    f.key = k;
    f.key_active = true;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) {
    ValidationError e;
    e.file = file_;
    e.pointer = pointer();
    if (ex.id == 406) {
      // A number too large for a double: the lexer read all of it, so point at its first digit.
      e.id = "non_finite";
      e.expected = "a finite number";
      e.found = last_token;
      const std::size_t start = position >= last_token.size() ? position - last_token.size() : 0;
      std::tie(e.line, e.column) = line_column(text_, start);
    } else {
      e.id = "syntax";
      describe_syntax_error(ex.what(), position, e);
    }
    errors_.push_back(std::move(e));
    return false;
  }

 private:
  struct Frame {
    ojson* node = nullptr;
    std::string key;          // last key read (objects)
    bool key_active = false;  // a key was read and its value is not complete yet
    std::size_t index = 0;    // elements completed so far (arrays)
    std::unordered_set<std::string> keys;
    bool duplicate = false;   // the last key read was read before in this object
  };

  // The value is stored in its parent as soon as it starts, so the frame can point into the parent:
  // the parent does not change while the child is open, which keeps that pointer valid.
  ojson* insert(ojson&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Frame& f = stack_.back();
    if (f.node->is_object()) {
      if (f.duplicate) {  // the later value replaces the earlier (reported as duplicate_key)
        ojson& slot = (*f.node)[f.key];
        slot = std::move(v);
        return &slot;
      }
      // A new key (key() checked it): appended in constant time; operator[] would search the
      // ordered object linearly, making an object of many keys quadratic to read.
      auto& members = f.node->get_ref<ojson::object_t&>();
      members.emplace_back(f.key, std::move(v));
      return &members.back().second;
    }
    f.node->push_back(std::move(v));
    return &f.node->back();
  }

  void completed() {
    if (stack_.empty()) return;
    Frame& f = stack_.back();
    if (f.node->is_object()) {
      f.key_active = false;
    } else {
      ++f.index;
    }
  }

  bool put(ojson&& v) {
    insert(std::move(v));
    completed();
    return true;
  }

  bool open(ojson&& container) {
    if (stack_.size() >= kMaxJsonDepth) {
      ValidationError e;
      e.id = "too_deep";
      e.file = file_;
      e.pointer = pointer();
      e.expected = "arrays and objects nested at most " + std::to_string(kMaxJsonDepth) + " levels deep";
      e.found = "a deeper one";
      errors_.push_back(std::move(e));
      return false;  // stop reading: nothing below this point is built
    }
    Frame f;
    f.node = insert(std::move(container));
    stack_.push_back(std::move(f));
    return true;
  }

  bool close() {
    stack_.pop_back();
    completed();
    return true;
  }

  std::string pointer() const {
    std::string p;
    for (const Frame& f : stack_) {
      if (f.node->is_object()) {
        if (f.key_active) p += "/" + pointer_token(f.key);
      } else {
        p += "/" + std::to_string(f.index);
      }
    }
    return p;
  }

  // The bare word around `offset` (e.g. NaN, tru, 'a'), to name what was found instead of JSON.
  std::string word_at(std::size_t offset) const {
    auto is_word = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'' || c == '.' || c == '+' ||
             c == '-';
    };
    std::size_t b = std::min(offset, text_.size());
    while (b > 0 && is_word(text_[b - 1])) --b;
    std::size_t e = std::min(offset, text_.size());
    while (e < text_.size() && is_word(text_[e])) ++e;
    return std::string(text_.substr(b, e - b));
  }

  char previous_significant(std::size_t offset) const {
    std::size_t i = std::min(offset, text_.size());
    while (i > 0) {
      const char c = text_[--i];
      if (!std::isspace(static_cast<unsigned char>(c))) return c;
    }
    return '\0';
  }

  // The lexer stops at the last character of an unexpected string or number; the user looks for
  // where it begins.
  std::size_t token_start(std::size_t offset, const std::string& found) const {
    if (offset >= text_.size()) return offset;
    if (found == "a string" && text_[offset] == '"') {
      std::size_t i = offset;
      while (i > 0) {
        --i;
        if (text_[i] == '"' && (i == 0 || text_[i - 1] != '\\')) return i;
      }
    }
    if (found == "a number") {
      std::size_t i = offset;
      while (i > 0 && std::string_view("0123456789+-.eE").find(text_[i - 1]) != std::string_view::npos) --i;
      return i;
    }
    return offset;
  }

  // Turns nlohmann's "syntax error while parsing CONTEXT - unexpected X; expected Y" into the
  // expected/found/hint of a ValidationError.
  void describe_syntax_error(const std::string& what, std::size_t position, ValidationError& e) const {
    const std::size_t offset = position > 0 ? position - 1 : 0;
    std::string context;
    std::string detail = what;
    const std::string marker = "syntax error while parsing ";
    if (const auto m = what.find(marker); m != std::string::npos) {
      const std::string rest = what.substr(m + marker.size());
      const auto dash = rest.find(" - ");
      context = rest.substr(0, dash);
      detail = dash == std::string::npos ? rest : rest.substr(dash + 3);
    }
    std::string expected;
    if (const auto x = detail.rfind("; expected "); x != std::string::npos) {
      expected = detail.substr(x + 11);
      detail = detail.substr(0, x);
    }
    if (const auto l = detail.find("; last read"); l != std::string::npos) detail = detail.substr(0, l);

    const std::string word = word_at(offset);
    if (detail.rfind("unexpected ", 0) == 0) {
      e.found = detail.substr(11);
      if (e.found == "string literal") e.found = "a string";
      if (e.found == "number literal") e.found = "a number";
    } else if (detail == "invalid literal") {
      e.found = word.empty() ? (offset < text_.size() ? "'" + std::string(1, text_[offset]) + "'" : "end of input")
                             : "the bare word " + word;
    } else {
      e.found = detail;  // e.g. "invalid number", "invalid string: control character ..."
    }
    if (expected.empty()) {
      expected = "a JSON value";
    } else if (expected == "string literal" && context == "object key") {
      expected = "a quoted object key";
    } else if (expected == "'}'" && context == "object") {
      expected = "',' or '}'";  // nlohmann names only the closing brace, but a comma is as likely
    } else if (expected == "']'" && context == "array") {
      expected = "',' or ']'";
    }
    e.expected = expected;
    std::tie(e.line, e.column) = line_column(text_, token_start(offset, e.found));

    const bool blank = text_.find_first_not_of(" \t\r\n") == std::string_view::npos;
    if (blank) {
      e.found = "an empty file";
    } else if ((e.found == "'}'" || e.found == "']'") && previous_significant(offset) == ',') {
      e.hint = "remove the trailing comma";
    } else if (word == "NaN" || word == "Infinity" || word == "-Infinity" || word == "inf" || word == "nan") {
      e.hint = "JSON has no NaN or Infinity; write a finite number";
    } else if (!word.empty() && word.front() == '\'') {
      e.hint = "JSON strings and keys take double quotes";
    } else if (offset < text_.size() && text_[offset] == '/') {
      e.hint = "JSON does not allow comments";
    } else if (e.found == "end of input" || offset + 1 >= text_.size()) {
      e.hint = "the file ends too early; is it truncated?";
    } else if ((e.found == "a string" || e.found == "a number") && (context == "object" || context == "array")) {
      e.hint = "is a comma missing before it?";
    }
  }

  std::string_view text_;
  const std::string& file_;
  std::vector<ValidationError>& errors_;
  ojson root_;
  std::vector<Frame> stack_;
};

}  // namespace

std::pair<int, int> line_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

std::string pointer_token(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

JsonReadResult parse_json_text(std::string_view text, const std::string& file) {
  JsonReadResult result;
  PointerTrackingBuilder builder(text, file, result.errors);
  result.parsed = ojson::sax_parse(text.begin(), text.end(), &builder, nlohmann::json::input_format_t::json,
                                   /*strict=*/true, /*ignore_comments=*/false);
  if (result.parsed) result.value = std::move(builder.root());
  return result;
}

JsonReadResult read_json_file(const std::string& path) {
  std::error_code ec;
  const bool directory = std::filesystem::is_directory(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (directory || !in) {
    JsonReadResult result;
    ValidationError e;
    e.id = "io";
    e.file = path;
    e.expected = "a readable JSON file";
    e.found = directory ? "a directory" : "no file that can be read at this path";
    result.errors.push_back(std::move(e));
    return result;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_json_text(buffer.str(), path);
}

}  // namespace p3sim
