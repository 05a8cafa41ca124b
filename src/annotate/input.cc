#include "annotate/input.h"

#include <algorithm>
#include <set>

#include "util/error.h"
#include "util/hex.h"
#include "util/json_text.h"
#include "util/log.h"
#include "walk/walker.h"

namespace scale::annotate {
namespace fs = std::filesystem;

bool IsSkippedDirectory(std::string_view name) {
  if (name.empty() || name[0] == '.') return true;
  static const std::set<std::string_view> names = {"node_modules", "__pycache__", "build", "dist", "out",
                                                   "target", "venv", "CMakeFiles", "site-packages"};
  if (names.count(name)) return true;
  return name.substr(0, 6) == "build-" || name.substr(0, 12) == "cmake-build-";
}

std::vector<InputFile> CollectInputs(const std::vector<std::string>& args, std::optional<languages::Language> language) {
  std::vector<InputFile> files;
  std::set<fs::path> seen;
  auto add = [&](const fs::path& path, bool from_dir) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    if (!seen.insert(ec ? path : canonical).second) return;
    InputFile f;
    f.path = path;
    f.language = language ? language : languages::LanguageForPath(path);
    f.from_directory = from_dir;
    files.push_back(std::move(f));
  };
  // A walk only takes files it knows the language of (by extension, even with --language: the
  // override says how to parse, not which files to pick).
  walk::Options walk_options;
  walk_options.read_contents = false;  // LoadInputs reads each file and reports what is wrong with it
  walk_options.skip_hidden = true;
  walk_options.skip_dir = IsSkippedDirectory;
  walk_options.want_file = [](const std::string& rel) { return languages::LanguageForPath(rel).has_value(); };
  for (const auto& arg : args) {
    fs::path path(arg);
    std::error_code ec;
    auto status = fs::status(path, ec);  // follows a symlink: a named link is taken as given
    if (ec || !fs::exists(status)) throw Error(kExitInput, arg + ": no such file or directory");
    if (fs::is_regular_file(status)) {
      add(path, false);
      continue;
    }
    if (!fs::is_directory(status)) {
      throw Error(kExitInput, arg + ": not a regular file (a FIFO, device or socket); scale reads only regular files");
    }
    walk::Result walked = walk::Walk({path}, walk_options);
    for (const auto& s : walked.skipped) LogVerbose("skipped " + (path / s.rel).string() + " (" + s.reason + ")");
    for (const auto& f : walked.files) add(path / f.rel, true);
  }
  return files;
}

std::optional<std::string> TextProblem(std::string_view text) {
  size_t nul = text.find('\0');
  if (nul != std::string_view::npos) return "binary file (NUL byte at offset " + std::to_string(nul) + ")";
  // UTF-8 validation (RFC 3629, util/json_text.h): no overlongs, surrogates or values above U+10FFFF.
  for (size_t i = 0; i < text.size();) {
    if (size_t len = Utf8SequenceLength(text, i)) {
      i += len;
      continue;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if ((c >= 0x80 && c < 0xC2) || c > 0xF4) {
      return "not valid UTF-8 (bad byte 0x" + HexEncode(std::string_view(&text[i], 1)) + " at offset " +
             std::to_string(i) + ")";
    }
    size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (i + want > text.size()) return "not valid UTF-8 (truncated character at offset " + std::to_string(i) + ")";
    return "not valid UTF-8 (bad sequence at offset " + std::to_string(i) + ")";
  }
  return std::nullopt;
}

}  // namespace scale::annotate
