// Evaluation rows from a JSON-lines file (CodeXGLUE code-to-text / CodeSearchNet layout), and the
// "first paragraph" rule that turns a docstring or a generated comment into the text that is scored.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace scale::eval {

struct EvalRow {
  size_t index = 0;       // 0-based line number among the non-empty lines of the file
  std::string id;         // func_name / path when present, else "row-<index>"
  std::string language;   // lower-case language name ("ruby", "python", ...)
  std::string code;       // the routine's source
  std::string reference;  // the text predictions are scored against
};

struct DatasetOptions {
  std::string code_field = "code";
  std::string ref_field = "docstring";
  std::string lang_field = "language";
  std::string language;  // --language: overrides/sets the language of every row
  size_t limit = 0;      // first N rows only (0 = all)
};

// Reads the rows. The reference is the row's "<ref_field>_tokens" array joined by single spaces when
// present (CodeXGLUE scores exactly that: CodeSearchNet's tokens of the docstring's first
// paragraph), else FirstParagraph(<ref_field>). Throws Error(kExitInput) for an unreadable file, a
// line that is not a JSON object, or a row without the code field; Error(kExitUsage) when no row
// has a language and --language is not given.
std::vector<EvalRow> LoadDataset(const std::filesystem::path& path, const DatasetOptions& options);

// The part of a docstring/comment that is compared: the first paragraph (up to the first blank line),
// also ending before a tag or section line (@param, :param, Args:, Returns:, ...), with runs of
// whitespace collapsed to one space.
std::string FirstParagraph(std::string_view text);

}  // namespace scale::eval
