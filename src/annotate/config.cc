#include "annotate/config.h"

#include <unistd.h>

#include <cstdlib>

#include "util/error.h"
#include "util/fs.h"
#include "util/paths.h"

namespace scale::annotate {
namespace fs = std::filesystem;

const std::string& Prompts::Template(languages::Language language) const {
  auto it = templates.find(language);
  if (it == templates.end()) {
    throw Error(kExitUsage, std::string("no comment template loaded for ") + languages::LanguageName(language));
  }
  return it->second;
}

namespace {

std::string ReadConfigFile(const fs::path& dir, const std::string& name, const std::string& what) {
  fs::path path = dir / name;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw Error(kExitUsage, path.string() + ": missing " + what + " (see --config)");
  }
  std::string text;
  try {
    text = ReadFile(path, 1 << 20);
  } catch (const Error& e) {
    throw Error(kExitUsage, std::string(e.what()) + " (" + what + ")");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw Error(kExitUsage, path.string() + ": " + what + " is empty");
  }
  // Trailing blank lines would only add tokens to every request.
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

fs::path FindConfigDir(const std::string& flag) {
  std::error_code ec;
  if (!flag.empty()) {
    if (!fs::is_directory(flag, ec)) throw Error(kExitUsage, flag + ": --config is not a directory");
    return flag;
  }
  return FindDataDir(DataDirCandidates("scale-cfg", "SCALE_CONFIG"), "scale-cfg", "comment.txt", "; pass --config DIR");
}

Prompts LoadPrompts(const fs::path& dir, const std::vector<languages::Language>& langs) {
  Prompts prompts;
  prompts.dir = dir;
  prompts.system = ReadConfigFile(dir, "comment.txt", "system prompt");
  prompts.summary = ReadConfigFile(dir, "summary.txt", "summary prompt");
  for (auto language : langs) {
    std::string name = languages::LanguageName(language);
    prompts.templates[language] = ReadConfigFile(dir, name + ".txt", name + " comment template");
  }
  return prompts;
}

Prompts LoadPromptsOver(const Prompts& base, const fs::path& dir, const std::vector<languages::Language>& langs) {
  Prompts prompts = base;
  prompts.dir = dir;
  std::error_code ec;
  auto has = [&](const std::string& name) { return fs::exists(dir / name, ec); };
  if (has("comment.txt")) prompts.system = ReadConfigFile(dir, "comment.txt", "system prompt");
  if (has("summary.txt")) prompts.summary = ReadConfigFile(dir, "summary.txt", "summary prompt");
  for (auto language : langs) {
    std::string name = languages::LanguageName(language);
    if (has(name + ".txt")) prompts.templates[language] = ReadConfigFile(dir, name + ".txt", name + " comment template");
  }
  return prompts;
}

}  // namespace scale::annotate
