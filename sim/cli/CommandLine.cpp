#include "cli/CommandLine.hpp"

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "io/Provenance.hpp"
#include "scenario/Suggest.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim::cli {
namespace {
std::string& stored() {
  static std::string line;
  return line;
}
}  // namespace

void set_command_line(int argc, char** argv) { stored() = join_command_line(argc, argv); }

const std::string& command_line() { return stored(); }

void check_output_path(const std::string& path, bool overwrite) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  if (fs::exists(p) && !overwrite)
    throw InputError({ValidationError{"output_exists", path, "", "a path that does not exist yet (or --overwrite)",
                                      "an existing file", "pass --overwrite to replace it", 0, 0}});
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir))
    throw InputError({ValidationError{"output_directory", path, "", "an existing directory for the output file",
                                      "no directory " + dir.string(), "", 0, 0}});
}

InputError input_error(std::string id, std::string file, std::string expected, std::string found,
                       std::string hint) {
  ValidationError e;
  e.id = std::move(id);
  e.file = std::move(file);
  e.expected = std::move(expected);
  e.found = std::move(found);
  e.hint = std::move(hint);
  return InputError({std::move(e)});
}

const CLI::Validator& seed_validator() {
  static const CLI::Validator validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, value);
        if (text.empty() || text[0] == '-' || text[0] == '+' || ec != std::errc() || ptr != end) {
          return "a seed is a whole number from 0 to 18446744073709551615, found \"" + text + "\"";
        }
        return "";
      },
      "SEED");
  return validator;
}

std::string unknown_command_message(const CLI::App& app, int argc, char** argv) {
  if (argc < 2) return "";
  const std::string word = argv[1];
  if (word.empty() || word[0] == '-') return "";
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == word) return "";
    names.push_back(sub->get_name());
  }
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  const std::string hint = did_you_mean(word, names);
  return "p3sim: error: unknown command \"" + word + "\"" + (hint.empty() ? "" : " (" + hint + ")") +
         "; the commands are " + list + " (p3sim --help, p3sim COMMAND --help)";
}

}  // namespace p3sim::cli
