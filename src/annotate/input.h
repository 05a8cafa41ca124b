// Which files `scale comment` works on, and whether each is usable text. DIR arguments go through
// the shared walk (walk/walker.h: .gitignore rules, no vendored/generated/minified files, no
// symlinks, no special files, sorted) picking files of a supported language; hidden and build
// output directories are skipped too. A file named explicitly is taken as given.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"

namespace scale::annotate {

struct InputFile {
  std::filesystem::path path;
  std::optional<languages::Language> language;  // nullopt: unknown extension (caller decides)
  bool from_directory = false;                  // found by walking a DIR argument
};

// Expands the arguments: a file is taken as given (even with an unknown extension), a directory
// is walked. A missing path, or one that is neither a regular file nor a directory (a FIFO,
// /dev/zero: reading it would never end), throws Error(kExitInput). `language` (--language)
// overrides detection. Duplicates (same canonical path) are dropped, first occurrence kept.
std::vector<InputFile> CollectInputs(const std::vector<std::string>& args,
                                     std::optional<languages::Language> language);

// True for directory names a walk never enters: ".git", ".venv" (any hidden), node_modules,
// __pycache__, build, build-*, cmake-build-*, dist, out, target, venv, CMakeFiles.
bool IsSkippedDirectory(std::string_view name);

// Why `text` cannot be commented, or nullopt if it is fine: "binary file (NUL byte at offset N)",
// "not valid UTF-8 (bad byte at offset N)".
std::optional<std::string> TextProblem(std::string_view text);

// The default size limit for one input file (--max-file-size).
constexpr uint64_t kDefaultMaxFileBytes = 2u << 20;

}  // namespace scale::annotate
