#include "summarize/prompts.h"

#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "util/error.h"
#include "util/fs.h"
#include "util/paths.h"
#include "util/text.h"

namespace scale::summarize {
namespace fs = std::filesystem;
namespace {

constexpr const char* kMarker = "### USER";

PromptTemplate LoadOne(const fs::path& path) {
  std::string text;
  try {
    text = ReadFile(path, 1 << 20);
  } catch (const Error& e) {
    throw Error(kExitUsage, std::string("prompt file missing: ") + e.what());
  }
  size_t at = text.find(std::string("\n") + kMarker);
  if (at == std::string::npos) throw Error(kExitUsage, path.string() + ": no \"### USER\" line separating the user message");
  size_t user_start = text.find('\n', at + 1);
  PromptTemplate t;
  t.system = Trim(text.substr(0, at));
  t.user = user_start == std::string::npos ? "" : Trim(text.substr(user_start + 1));
  if (t.system.empty() || t.user.empty()) throw Error(kExitUsage, path.string() + ": empty system or user part");
  return t;
}

}  // namespace

fs::path FindPromptDir(const std::string& flag) {
  std::vector<fs::path> candidates = flag.empty() ? DataDirCandidates("scale-cfg", "SCALE_CONFIG")
                                                  : std::vector<fs::path>{flag};
  return FindDataDir(candidates, "scale-cfg", "summarize_chunk.txt");
}

PromptSet LoadPromptSet(const fs::path& dir) {
  PromptSet set;
  set.dir = dir;
  set.chunk = LoadOne(dir / "summarize_chunk.txt");
  set.file = LoadOne(dir / "summarize_file.txt");
  set.folder = LoadOne(dir / "summarize_folder.txt");
  return set;
}

std::string FillTemplate(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      size_t close = text.find('}', i);
      if (close != std::string::npos) {
        auto it = vars.find(text.substr(i + 1, close - i - 1));
        if (it != vars.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace scale::summarize
